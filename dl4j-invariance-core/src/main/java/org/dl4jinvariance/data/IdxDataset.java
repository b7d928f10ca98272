package org.dl4jinvariance.data;

import java.io.InputStream;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An image classification data set held in memory as read from an IDX image/label pair:
 * grey-scale images with pixel values in [0, 1] and integer labels 0..classes-1.
 */
public final class IdxDataset {

    private final String name;
    private final int height;
    private final int width;
    private final byte[] pixels;
    private final byte[] labels;
    private final int classes;

    IdxDataset(String name, IdxFile images, IdxFile labelFile, int classes) {
        IdxFile.checkPair(name, images, labelFile, classes);
        int[] dims = images.dimensions();
        this.name = name;
        this.height = dims[1];
        this.width = dims[2];
        this.pixels = images.bytes();
        this.labels = labelFile.bytes();
        this.classes = classes;
    }

    /** Reads a pair of IDX streams (gzip or raw). */
    public static IdxDataset read(String name, InputStream images, InputStream labels, int classes) {
        return new IdxDataset(name, IdxFile.readImages(images, name + " images"),
                IdxFile.readLabels(labels, name + " labels"), classes);
    }

    /** Reads a pair of IDX files (gzip or raw). */
    public static IdxDataset read(Path images, Path labels, int classes) {
        return new IdxDataset(images.getFileName().toString(), IdxFile.readImages(images), IdxFile.readLabels(labels),
                classes);
    }

    public String name() {
        return name;
    }

    /** Number of examples. */
    public int size() {
        return labels.length;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Number of classes (length of the one-hot labels). */
    public int classes() {
        return classes;
    }

    /** The label of example i. */
    public int label(int i) {
        return labels[checkIndex(i)] & 0xFF;
    }

    /** How many examples of each class. */
    public int[] labelCounts() {
        int[] counts = new int[classes];
        for (byte b : labels) {
            counts[b & 0xFF]++;
        }
        return counts;
    }

    /** Examples [from, from+count) as a DataSet: features [count, 1, H, W] in [0, 1], one-hot labels. */
    public DataSet slice(int from, int count) {
        if (from < 0 || count < 0 || from + count > size()) {
            throw new IllegalArgumentException("Slice [" + from + ", " + (from + count) + ") is outside "
                    + name + " of size " + size());
        }
        int pixelsPerImage = height * width;
        float[] features = new float[count * pixelsPerImage];
        float[] oneHot = new float[count * classes];
        for (int n = 0; n < count; n++) {
            int src = (from + n) * pixelsPerImage;
            for (int p = 0; p < pixelsPerImage; p++) {
                features[n * pixelsPerImage + p] = (pixels[src + p] & 0xFF) / 255f;
            }
            oneHot[n * classes + label(from + n)] = 1f;
        }
        INDArray x = Nd4j.create(features, new long[] {count, 1, height, width}, 'c');
        INDArray y = Nd4j.create(oneHot, new long[] {count, classes}, 'c');
        return new DataSet(x, y);
    }

    /** The raw pixel bytes [n, rows, cols], row-major (shared, do not modify). */
    byte[] pixelBytes() {
        return pixels;
    }

    /** The raw labels [n] (shared, do not modify). */
    byte[] labelBytes() {
        return labels;
    }

    /** A DataVec record reader over this data set: [image [1, 1, H, W] in 0..255, label]. */
    public IdxRecordReader recordReader() {
        return IdxRecordReader.of(this);
    }

    /** An iterator over every example. */
    public IdxDataSetIterator iterator(int batchSize) {
        return new IdxDataSetIterator(this, batchSize, 0, size());
    }

    /** An iterator over examples [offset, offset+limit), e.g. to split one file into train and held-out. */
    public IdxDataSetIterator iterator(int batchSize, int offset, int limit) {
        return new IdxDataSetIterator(this, batchSize, offset, limit);
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= labels.length) {
            throw new IllegalArgumentException("Example index " + i + " is outside " + name + " of size " + size());
        }
        return i;
    }

    @Override
    public String toString() {
        return name + " (" + size() + " images " + height + "x" + width + ", " + classes + " classes)";
    }
}
