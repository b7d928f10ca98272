package org.dl4jinvariance.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.datavec.api.records.Record;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.dl4jinvariance.testing.ImageFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;

/** IdxRecordReader gives, through DataVec, exactly what IdxDataset gives from the same files. */
class IdxRecordReaderTest {

    private static final int COUNT = 50;

    @TempDir
    static Path dir;
    private static Path images;
    private static Path labels;

    @BeforeAll
    static void writeFiles() {
        images = dir.resolve("digits-images-idx3-ubyte");
        labels = dir.resolve("digits-labels-idx1-ubyte");
        ImageFiles.writeIdx(images, labels, Datasets.mnist(), 100, COUNT);
    }

    private static void assertSameBatchesAsIdxDataset(IdxRecordReader reader) {
        RecordReaderDataSetIterator it = new RecordReaderDataSetIterator(reader, 16, 1, 10);
        it.setPreProcessor(new ImagePreProcessingScaler(0, 1));
        IdxDataSetIterator expected = IdxDataset.read(images, labels, 10).iterator(16);
        int batches = 0;
        while (expected.hasNext()) {
            DataSet e = expected.next();
            DataSet a = it.next();
            assertArrayEquals(e.getFeatures().shape(), a.getFeatures().shape());
            assertArrayEquals(e.getFeatures().data().asFloat(), a.getFeatures().dup('c').data().asFloat(), 0f);
            assertEquals(e.getLabels(), a.getLabels());
            batches++;
        }
        assertFalse(it.hasNext());
        assertEquals(4, batches);
    }

    @Test
    void recordsThroughRecordReaderDataSetIteratorEqualIdxDatasetBatches() {
        IdxRecordReader reader = IdxRecordReader.of(images, labels, 10);
        assertEquals(COUNT, reader.size());
        assertEquals(10, reader.getLabels().size());
        assertSameBatchesAsIdxDataset(reader);
    }

    @Test
    void initialisesFromADataVecSplitOfImageAndLabelFiles() {
        IdxRecordReader reader = new IdxRecordReader(10);
        reader.initialize(new CollectionInputSplit(List.of(images.toUri(), labels.toUri())));
        assertSameBatchesAsIdxDataset(reader);
    }

    @Test
    void eachRecordIsTheImageIn0To255AndItsLabelAndResetsAndLoadsByIndex() {
        IdxRecordReader reader = Datasets.mnist().recordReader();
        List<Writable> first = reader.next();
        assertEquals(2, first.size());
        float[] pixels = ((NDArrayWritable) first.get(0)).get().dup('c').data().asFloat();
        float[] expected = Datasets.mnist().slice(0, 1).getFeatures().mul(255).data().asFloat();
        assertArrayEquals(expected, pixels, 1e-3f);
        assertEquals(Datasets.mnist().label(0), ((IntWritable) first.get(1)).get());
        reader.next();
        Record third = reader.nextRecord();
        reader.reset();
        assertEquals(first, reader.next());
        assertEquals(third.getRecord(), reader.loadFromMetaData(third.getMetaData()).getRecord());
    }

    @Test
    void imagesAloneGiveRecordsWithoutLabels() {
        IdxRecordReader reader = IdxRecordReader.of(images);
        assertFalse(reader.labelled());
        assertNull(reader.getLabels());
        assertEquals(1, reader.next().size());
    }

    @Test
    void badFilesAreRefusedByTheSharedIdxChecksNamingTheFile() throws IOException {
        byte[] all = Files.readAllBytes(images);
        Path cut = Files.write(dir.resolve("cut-images-idx3-ubyte"), Arrays.copyOf(all, all.length - 100));
        IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class,
                () -> IdxRecordReader.of(cut, labels, 10));
        assertTrue(truncated.getMessage().contains("cut-images") && truncated.getMessage().contains("truncated"),
                truncated.getMessage());

        Path fewer = dir.resolve("fewer-images-idx3-ubyte");
        ImageFiles.writeIdx(fewer, dir.resolve("fewer-labels-idx1-ubyte"), Datasets.mnist(), 0, 10);
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> IdxRecordReader.of(fewer, labels, 10));
        assertTrue(count.getMessage().contains("10 images") && count.getMessage().contains(COUNT + " labels"),
                count.getMessage());

        IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
                () -> IdxRecordReader.of(images, labels, 3));
        assertTrue(classes.getMessage().contains("outside 0..2"), classes.getMessage());
        // Swapped files: the label file's magic number is not an image file's.
        assertThrows(IllegalArgumentException.class, () -> IdxRecordReader.of(labels, images, 10));
        assertThrows(IllegalArgumentException.class, () -> new IdxRecordReader(10).initialize(
                new CollectionInputSplit(List.of(images.toUri(), labels.toUri(), labels.toUri()))));
        assertThrows(IllegalStateException.class, () -> new IdxRecordReader().hasNext());
    }
}
