package org.dl4jinvariance.examples.ssl;

import java.util.List;
import java.util.Random;
import org.dl4jinvariance.action.GroupAction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The rotation-prediction pretext task (Gidaris et al., 2018) without labels: each image x is
 * replaced by g·x for a uniformly random group element g, and the target is g (one-hot over
 * |G| classes). A non-contrastive self-supervised task whose solution must tell rotations apart.
 */
public final class RotationPretext implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final INDArray images;
    private final int batchSize;
    private final transient GroupAction action;
    private final transient Random random;
    private DataSetPreProcessor preProcessor;
    private int cursor;

    public RotationPretext(INDArray images, int batchSize, GroupAction action, long seed) {
        if (images == null || images.rank() != 4 || images.size(0) < 1) {
            throw new IllegalArgumentException("RotationPretext needs images [n, C, H, W] with n >= 1, got "
                    + (images == null ? "null" : java.util.Arrays.toString(images.shape())));
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("RotationPretext needs batchSize >= 1, got " + batchSize);
        }
        this.images = images;
        this.batchSize = batchSize;
        this.action = action;
        this.random = new Random(seed);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException("RotationPretext: no images left in this epoch; call reset()");
        }
        int n = (int) Math.min(num, images.size(0) - cursor);
        int order = action.group().order();
        INDArray x = images.get(NDArrayIndex.interval(cursor, cursor + n), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()).dup('c');
        INDArray y = Nd4j.zeros(x.dataType(), n, order);
        for (int b = 0; b < n; b++) {
            int g = random.nextInt(order);
            INDArray row = x.get(NDArrayIndex.interval(b, b + 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
            row.assign(action.apply(g, row.dup()));
            y.putScalar(b, g, 1.0);
        }
        cursor += n;
        DataSet ds = new DataSet(x, y);
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
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
        return action.group().order();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        cursor = 0;
    }

    @Override
    public int batch() {
        return batchSize;
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
