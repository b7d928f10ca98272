package org.dl4jinvariance.examples;

import org.dl4jinvariance.listeners.DataRole;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A named evaluation data set held in memory, so every epoch and every model sees exactly the
 * same examples (e.g. a fixed random rotation per digit).
 *
 * @param name             how reports, files and tables call it
 * @param data             the examples
 * @param labelsMeaningful false for synthetic images whose labels are placeholders
 * @param role             in or out of the training distribution; out-of-distribution sets get no
 *                         accuracy against their labels ({@link DataRole})
 */
public record EvalSet(String name, DataSet data, boolean labelsMeaningful, DataRole role) {

    /** An in-distribution set. */
    public EvalSet(String name, DataSet data, boolean labelsMeaningful) {
        this(name, data, labelsMeaningful, DataRole.IN_DISTRIBUTION);
    }

    /** An out-of-distribution set. */
    public static EvalSet outOfDistribution(String name, DataSet data, boolean labelsMeaningful) {
        return new EvalSet(name, data, labelsMeaningful, DataRole.OUT_OF_DISTRIBUTION);
    }

    /** A fresh resettable iterator over the examples. */
    public DataSetIterator iterator() {
        return SyntheticImages.iterator(data, 250);
    }

    public int size() {
        return data.numExamples();
    }
}
