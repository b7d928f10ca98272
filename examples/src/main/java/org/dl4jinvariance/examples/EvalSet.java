package org.dl4jinvariance.examples;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A named evaluation data set held in memory, so every epoch and every model sees exactly the
 * same examples (e.g. a fixed random rotation per digit).
 *
 * @param name          how reports, files and tables call it
 * @param data          the examples
 * @param labelsMeaningful false for synthetic images whose labels are placeholders
 */
public record EvalSet(String name, DataSet data, boolean labelsMeaningful) {

    /** A fresh resettable iterator over the examples. */
    public DataSetIterator iterator() {
        return SyntheticImages.iterator(data, 250);
    }

    public int size() {
        return data.numExamples();
    }
}
