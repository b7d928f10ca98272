package org.dl4jinvariance.examples.ssl;

import java.util.Random;
import org.dl4jinvariance.data.BatchIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
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
public final class PairedViews extends BatchIterator {

    private static final long serialVersionUID = 1L;

    private final INDArray images;
    private final int labelWidth;
    private final transient ViewAugmentation views;
    private final transient Random random;

    /**
     * @param images      [n, 1, H, W] unlabelled training images
     * @param batchImages images per minibatch (the minibatch has twice as many rows)
     * @param labelWidth  the width of the output layer (placeholder labels)
     */
    public PairedViews(INDArray images, int batchImages, int labelWidth, ViewAugmentation views, long seed) {
        super(checkedBatch(batchImages), checked(images));
        if (labelWidth < 1) {
            throw new IllegalArgumentException("PairedViews needs labelWidth >= 1, got " + labelWidth);
        }
        this.images = images;
        this.labelWidth = labelWidth;
        this.views = views;
        this.random = new Random(seed);
    }

    private static int checkedBatch(int batchImages) {
        if (batchImages < 1) {
            throw new IllegalArgumentException("PairedViews needs batchImages >= 1, got " + batchImages);
        }
        return batchImages;
    }

    private static int checked(INDArray images) {
        if (images == null || images.rank() != 4 || images.size(0) < 1) {
            throw new IllegalArgumentException("PairedViews needs images [n, C, H, W] with n >= 1, got "
                    + (images == null ? "null" : java.util.Arrays.toString(images.shape())));
        }
        return (int) images.size(0);
    }

    /** Images from..from+count−1, two views each, interleaved. */
    @Override
    protected DataSet makeBatch(int from, int count) {
        INDArray batch = images.get(NDArrayIndex.interval(from, from + count), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all());
        INDArray first = views.apply(batch, random);
        INDArray second = views.apply(batch, random);
        // Interleave: [n, 2, C, H, W] → [2n, C, H, W] puts view 1 of image k at row 2k, view 2 at 2k+1.
        long[] shape = batch.shape();
        INDArray paired = Nd4j.stack(1, first, second).reshape('c', 2L * count, shape[1], shape[2], shape[3]);
        return new DataSet(paired, Nd4j.zeros(paired.dataType(), 2L * count, labelWidth));
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
    public String toString() {
        return "PairedViews[" + numExamples() + " images, " + batch() + " per batch]";
    }
}
