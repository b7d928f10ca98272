package org.dl4jinvariance.data;

import java.io.DataInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.datavec.api.conf.Configuration;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.records.metadata.RecordMetaDataIndex;
import org.datavec.api.records.reader.BaseRecordReader;
import org.datavec.api.split.InputSplit;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DataVec {@link org.datavec.api.records.reader.RecordReader} over an IDX image file and an
 * optional label file (MNIST's format, raw or gzip), parsed and checked by {@link IdxFile} — the
 * same code {@link IdxDataset} uses. Each record is, as {@code ImageRecordReader} gives for an image
 * file, the image as an {@link NDArrayWritable} [1, 1, rows, cols] with pixel values 0..255, then
 * the label as an {@link IntWritable} when there are labels. So
 * {@code new RecordReaderDataSetIterator(reader, batch, 1, classes)} with an
 * {@code ImagePreProcessingScaler} gives the batches of {@link IdxDataset#iterator(int)}.
 *
 * <pre>{@code
 * IdxRecordReader reader = IdxRecordReader.of(imagesPath, labelsPath, 10);
 * // or DataVec style: new IdxRecordReader(10).initialize(new CollectionInputSplit(List.of(imagesUri, labelsUri)))
 * }</pre>
 */
public final class IdxRecordReader extends BaseRecordReader {

    private static final long serialVersionUID = 1L;

    private final int classes;
    private transient URI source;
    private transient byte[] pixels;
    private transient byte[] labels;
    private int rows;
    private int cols;
    private int count;
    private int cursor;
    private Configuration conf;

    /** A reader for labels 0..9; give the files with {@link #initialize(InputSplit)}. */
    public IdxRecordReader() {
        this(10);
    }

    /** A reader for labels 0..classes−1; give the files with {@link #initialize(InputSplit)}. */
    public IdxRecordReader(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("IdxRecordReader needs at least one class, got " + classes);
        }
        this.classes = classes;
    }

    /** An initialised reader over an image file and its label file (labels 0..classes−1). */
    public static IdxRecordReader of(Path images, Path labels, int classes) {
        IdxRecordReader reader = new IdxRecordReader(classes);
        reader.open(images, labels);
        return reader;
    }

    /** An initialised reader over an image file alone: records hold the image only. */
    public static IdxRecordReader of(Path images) {
        IdxRecordReader reader = new IdxRecordReader();
        reader.open(images, null);
        return reader;
    }

    /** A reader over a data set already in memory (e.g. {@link Datasets#mnist()}). */
    static IdxRecordReader of(IdxDataset data) {
        IdxRecordReader reader = new IdxRecordReader(data.classes());
        reader.source = URI.create("idx:" + data.name());
        reader.set(data.pixelBytes(), data.labelBytes(), data.height(), data.width(), data.size());
        return reader;
    }

    /**
     * Reads the files of {@code split}: its first location is the image file, an optional
     * second the label file.
     *
     * @throws IllegalArgumentException for a split with no or more than two locations, or files
     *                                  {@link IdxFile} refuses (named in the message)
     */
    @Override
    public void initialize(InputSplit split) {
        URI[] locations = split == null ? null : split.locations();
        if (locations == null || locations.length < 1 || locations.length > 2) {
            throw new IllegalArgumentException("IdxRecordReader needs a split with the image file and optionally the "
                    + "label file, got " + (locations == null ? "no locations" : locations.length + " locations"));
        }
        this.inputSplit = split;
        open(Paths.get(locations[0]), locations.length == 2 ? Paths.get(locations[1]) : null);
    }

    @Override
    public void initialize(Configuration conf, InputSplit split) {
        this.conf = conf;
        initialize(split);
    }

    private void open(Path images, Path labelFile) {
        IdxFile im = IdxFile.readImages(images);
        IdxFile lb = labelFile == null ? null : IdxFile.readLabels(labelFile);
        IdxFile.checkPair(images.toString(), im, lb, classes);
        int[] dims = im.dimensions();
        this.source = images.toUri();
        set(im.bytes(), lb == null ? null : lb.bytes(), dims[1], dims[2], dims[0]);
    }

    private void set(byte[] pixels, byte[] labels, int rows, int cols, int count) {
        this.pixels = pixels;
        this.labels = labels;
        this.rows = rows;
        this.cols = cols;
        this.count = count;
        this.cursor = 0;
    }

    /** Number of images. */
    public int size() {
        return count;
    }

    /** True when records carry a label. */
    public boolean labelled() {
        return labels != null;
    }

    @Override
    public List<Writable> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("IdxRecordReader over " + source + " is exhausted (" + count
                    + " records); call reset()");
        }
        return record(cursor++);
    }

    /** Record {@code i}: [image [1, 1, rows, cols] in 0..255, label]. */
    private List<Writable> record(int i) {
        if (i < 0 || i >= count) {
            throw new IllegalArgumentException("Record index " + i + " is outside 0.." + (count - 1) + " of " + source);
        }
        int n = rows * cols;
        float[] x = new float[n];
        for (int p = 0; p < n; p++) {
            x[p] = pixels[i * n + p] & 0xFF;
        }
        INDArray image = Nd4j.create(x, new long[] {1, 1, rows, cols}, 'c');
        List<Writable> out = new ArrayList<>(2);
        out.add(new NDArrayWritable(image));
        if (labels != null) {
            out.add(new IntWritable(labels[i] & 0xFF));
        }
        invokeListeners(out);
        return out;
    }

    @Override
    public boolean hasNext() {
        requireOpen();
        return cursor < count;
    }

    private void requireOpen() {
        if (pixels == null) {
            throw new IllegalStateException("IdxRecordReader is not initialised: call initialize(split) or use IdxRecordReader.of");
        }
    }

    /** The class names "0" … "classes−1", or null without labels. */
    @Override
    public List<String> getLabels() {
        return labels == null ? null
                : IntStream.range(0, classes).mapToObj(String::valueOf).collect(Collectors.toList());
    }

    @Override
    public void reset() {
        cursor = 0;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** IDX files hold many records; one record cannot be parsed from a stream of its own. */
    @Override
    public List<Writable> record(URI uri, DataInputStream dataInputStream) {
        throw new UnsupportedOperationException("IdxRecordReader reads whole IDX files; a single record cannot be read "
                + "from a stream (" + uri + ")");
    }

    @Override
    public Record nextRecord() {
        int i = cursor;
        return new org.datavec.api.records.impl.Record(next(), new RecordMetaDataIndex(i, source, IdxRecordReader.class));
    }

    @Override
    public Record loadFromMetaData(RecordMetaData recordMetaData) {
        if (!(recordMetaData instanceof RecordMetaDataIndex m)) {
            throw new IllegalArgumentException("IdxRecordReader loads records by index (RecordMetaDataIndex), got "
                    + recordMetaData);
        }
        return new org.datavec.api.records.impl.Record(record((int) m.getIndex()), m);
    }

    @Override
    public List<Record> loadFromMetaData(List<RecordMetaData> recordMetaDatas) {
        List<Record> out = new ArrayList<>(recordMetaDatas.size());
        for (RecordMetaData m : recordMetaDatas) {
            out.add(loadFromMetaData(m));
        }
        return out;
    }

    @Override
    public void close() {
        pixels = null;
        labels = null;
    }

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }

    @Override
    public String toString() {
        return "IdxRecordReader[" + source + ", " + count + " images " + rows + "x" + cols
                + (labels == null ? ", unlabelled" : ", " + classes + " classes") + "]";
    }
}
