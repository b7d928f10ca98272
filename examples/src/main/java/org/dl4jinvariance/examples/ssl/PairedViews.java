package org.dl4jinvariance.examples.ssl;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Minibatches of paired views for contrastive learning: a batch of N images becomes 2N rows
 * where rows 2k and 2k+1 are two independent random views of image k (the layout
 * {@link NtXentLoss} expects). The pre-processor, if any (e.g. a per-example
 * {@code GroupAugmentation}), runs on the 2N rows and must keep each row in place.
 *
 * <p>Labels are zeros of width {@code labelWidth} (the loss ignores them; DL4J needs an array
 * of the output's shape). Images are taken in order; the views differ every epoch, drawn from
 * one seeded stream, so runs repeat.
 */
public final class PairedViews implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final INDArray images;
    private final int batchImages;
    private final int labelWidth;
    private final transient ViewAugmentation views;
    private final transient Random random;
    private DataSetPreProcessor preProcessor;
    private int cursor;

    /**
     * @param images      [n, 1, H, W] unlabelled training images
     * @param batchImages images per minibatch (the minibatch has twice as many rows)
     * @param labelWidth  the width of the output layer (placeholder labels)
     */
    public PairedViews(INDArray images, int batchImages, int labelWidth, ViewAugmentation views, long seed) {
        if (images == null || images.rank() != 4 || images.size(0) < 1) {
            throw new IllegalArgumentException("PairedViews needs images [n, C, H, W] with n >= 1, got "
                    + (images == null ? "null" : java.util.Arrays.toString(images.shape())));
        }
        if (batchImages < 1 || labelWidth < 1) {
            throw new IllegalArgumentException("PairedViews needs batchImages >= 1 and labelWidth >= 1, got "
                    + batchImages + " and " + labelWidth);
        }
        this.images = images;
        this.batchImages = batchImages;
        this.labelWidth = labelWidth;
        this.views = views;
        this.random = new Random(seed);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException("PairedViews: no images left in this epoch; call reset()");
        }
        int n = (int) Math.min(num, images.size(0) - cursor);
        INDArray batch = images.get(NDArrayIndex.interval(cursor, cursor + n), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all());
        cursor += n;
        INDArray first = views.apply(batch, random);
        INDArray second = views.apply(batch, random);
        // Interleave: [n, 2, C, H, W] → [2n, C, H, W] puts view 1 of image k at row 2k, view 2 at 2k+1.
        long[] shape = batch.shape();
        INDArray paired = Nd4j.stack(1, first, second).reshape('c', 2L * n, shape[1], shape[2], shape[3]);
        DataSet ds = new DataSet(paired, Nd4j.zeros(paired.dataType(), 2L * n, labelWidth));
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public DataSet next() {
        return next(batchImages);
    }

    @Override
    public boolean hasNext() {
        return cursor < images.size(0);
    }

    @Override
    public int inputColumns() {
        return (int) (images.length() / images.size(0));
    }

    @Override
    public int totalOutcomes() {
        return labelWidth;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** Kept synchronous: the views come from one seeded stream in order. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        cursor = 0;
    }

    /** Images per minibatch (rows are twice as many). */
    @Override
    public int batch() {
        return batchImages;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
