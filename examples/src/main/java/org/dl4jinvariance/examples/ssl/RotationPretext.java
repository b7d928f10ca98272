package org.dl4jinvariance.examples.ssl;

import java.util.Random;
import org.dl4jinvariance.data.BatchIterator;
import org.dl4jinvariance.action.GroupAction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The rotation-prediction pretext task (Gidaris et al., 2018) without labels: each image x is
 * replaced by g·x for a uniformly random group element g, and the target is g (one-hot over
 * |G| classes). A non-contrastive self-supervised task whose solution must tell rotations apart.
 */
public final class RotationPretext extends BatchIterator {

    private static final long serialVersionUID = 1L;

    private final INDArray images;
    private final transient GroupAction action;
    private final transient Random random;

    public RotationPretext(INDArray images, int batchSize, GroupAction action, long seed) {
        super(batchSize, checked(images));
        this.images = images;
        this.action = action;
        this.random = new Random(seed);
    }

    private static int checked(INDArray images) {
        if (images == null || images.rank() != 4 || images.size(0) < 1) {
            throw new IllegalArgumentException("RotationPretext needs images [n, C, H, W] with n >= 1, got "
                    + (images == null ? "null" : java.util.Arrays.toString(images.shape())));
        }
        return (int) images.size(0);
    }

    /** Images from..from+count−1, each turned by a random g, with g as the one-hot target. */
    @Override
    protected DataSet makeBatch(int from, int count) {
        int order = action.group().order();
        INDArray x = images.get(NDArrayIndex.interval(from, from + count), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()).dup('c');
        INDArray y = Nd4j.zeros(x.dataType(), count, order);
        for (int b = 0; b < count; b++) {
            int g = random.nextInt(order);
            INDArray row = x.get(NDArrayIndex.interval(b, b + 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
            row.assign(action.apply(g, row.dup()));
            y.putScalar(b, g, 1.0);
        }
        return new DataSet(x, y);
    }

    @Override
    public int inputColumns() {
        return (int) (images.length() / images.size(0));
    }

    @Override
    public int totalOutcomes() {
        return action.group().order();
    }

    @Override
    public String toString() {
        return "RotationPretext[" + numExamples() + " images, " + batch() + " per batch]";
    }
}
