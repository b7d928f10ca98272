package org.dl4jinvariance.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

class IdxDataTest {

    @Test
    void embeddedMnistHasTenThousandDigitsOfEveryClass() {
        IdxDataset mnist = Datasets.mnist();
        assertEquals(10_000, mnist.size());
        assertEquals(28, mnist.height());
        // The shipped file is the MNIST test set: its real class counts, not 1,000 each.
        assertArrayEquals(new int[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, mnist.labelCounts());
        DataSet first = mnist.slice(0, 100);
        assertArrayEquals(new long[] {100, 1, 28, 28}, first.getFeatures().shape());
        assertEquals(0.0, first.getFeatures().minNumber().doubleValue());
        assertEquals(1.0, first.getFeatures().maxNumber().doubleValue(), 1e-6);
        assertEquals(100.0, first.getLabels().sumNumber().doubleValue());
    }

    @Test
    void embeddedFashionMnistHasTenThousandImages() {
        IdxDataset fashion = Datasets.fashionMnist();
        assertEquals(10_000, fashion.size());
        int total = 0;
        for (int c : fashion.labelCounts()) {
            assertTrue(c > 0);
            total += c;
        }
        assertEquals(10_000, total);
    }

    @Test
    void iteratorBatchesResetsAndSplitsByOffsetAndLimit() {
        IdxDataset mnist = Datasets.mnist();
        IdxDataSetIterator it = mnist.iterator(64, 9_000, 150);
        assertEquals(10, it.totalOutcomes());
        assertEquals(64, it.batch());
        int seen = 0;
        int batches = 0;
        while (it.hasNext()) {
            DataSet ds = it.next();
            seen += ds.numExamples();
            batches++;
        }
        assertEquals(150, seen);
        assertEquals(3, batches);
        it.reset();
        DataSet again = it.next();
        assertEquals(mnist.slice(9_000, 64).getFeatures(), again.getFeatures());
        assertEquals(mnist.label(9_000), again.getLabels().getRow(0).argMax().getInt(0));
        assertThrows(IllegalArgumentException.class, () -> mnist.iterator(10, 9_950, 100));
    }

    @Test
    void readsRawAndGzipFilesFromADirectory(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), images(IdxFile.IMAGES_MAGIC, 3, 2, 2, 12));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(3, 3)));
        IdxDataset data = Datasets.fashionMnistTrain(dir);
        assertEquals(3, data.size());
        assertEquals(2, data.label(2));
        assertEquals(11 / 255.0, data.slice(2, 1).getFeatures().getDouble(0, 0, 1, 1), 1e-7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.fromDirectory(dir, "nothing"));
        assertTrue(e.getMessage().contains("nothing"));
    }

    @Test
    void badMagicNumberIsNamed() {
        byte[] bytes = images(0x00000802, 1, 2, 2, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxFile.readImages(new ByteArrayInputStream(bytes), "bad.idx"));
        assertTrue(e.getMessage().contains("0x00000802") && e.getMessage().contains("0x00000803"), e.getMessage());
    }

    @Test
    void truncatedFileIsReported() throws IOException {
        byte[] full = images(IdxFile.IMAGES_MAGIC, 4, 2, 2, 16);
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxFile.readImages(new ByteArrayInputStream(gzip(cut)), "cut.gz"));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("16"), e.getMessage());
    }

    @Test
    void imageLabelCountMismatchIsReported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxDataset.read("pair", new ByteArrayInputStream(images(IdxFile.IMAGES_MAGIC, 3, 2, 2, 12)),
                        new ByteArrayInputStream(labels(2, 3)), 10));
        assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("2 labels"), e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }

    static byte[] images(int magic, int n, int rows, int cols, int bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(out)) {
            d.writeInt(magic);
            d.writeInt(n);
            d.writeInt(rows);
            d.writeInt(cols);
            for (int i = 0; i < bytes; i++) {
                d.writeByte(i);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    static byte[] labels(int n, int classesUsed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(out)) {
            d.writeInt(IdxFile.LABELS_MAGIC);
            d.writeInt(n);
            for (int i = 0; i < n; i++) {
                d.writeByte(i % classesUsed);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }
}
