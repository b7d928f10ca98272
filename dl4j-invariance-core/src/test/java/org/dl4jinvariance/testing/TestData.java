package org.dl4jinvariance.testing;

import org.dl4jinvariance.data.Datasets;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Small, fixed slices of the embedded data sets ({@link Datasets#mnist()}, 10,000 digits, and
 * {@link Datasets#fashionMnist()}) that the tests of several modules share. Every call returns new
 * arrays or a new iterator at its start; images are [n, 1, 28, 28] in [0, 1], labels one-hot over 10
 * classes.
 */
public final class TestData {

    private TestData() {
    }

    /** The first {@code n} embedded MNIST digits, images only: [n, 1, 28, 28]. */
    public static INDArray mnistDigits(int n) {
        return mnistDigits(0, n);
    }

    /** Embedded MNIST digits {@code from} … {@code from + n − 1}, images only: [n, 1, 28, 28]. */
    public static INDArray mnistDigits(int from, int n) {
        return mnistExamples(from, n).getFeatures();
    }

    /** Embedded MNIST digits {@code from} … {@code from + n − 1} with their labels, as one batch. */
    public static DataSet mnistExamples(int from, int n) {
        return Datasets.mnist().slice(from, n);
    }

    /** The first 128 embedded MNIST digits in batches of 32: a few quick training epochs. */
    public static DataSetIterator mnistTraining128() {
        return Datasets.mnist().iterator(32, 0, 128);
    }

    /** The first 300 embedded MNIST digits in batches of 50: one epoch trains a tiny CNN above chance. */
    public static DataSetIterator mnistTraining300() {
        return Datasets.mnist().iterator(50, 0, 300);
    }

    /** 96 held-out embedded MNIST digits (8,000 … 8,095, never in the training slices) in batches of 24. */
    public static DataSetIterator mnistHeldOut() {
        return Datasets.mnist().iterator(24, 8_000, 96);
    }

    /** The first 96 embedded Fashion-MNIST images in batches of 24: out-of-distribution data for MNIST models. */
    public static DataSetIterator fashionMnistOod() {
        return Datasets.fashionMnist().iterator(24, 0, 96);
    }
}
