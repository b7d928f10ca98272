package org.dl4jinvariance.listeners;

import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** A data set whose reading always fails, as a corrupt file or a dead network share would. */
final class ThrowingIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    int resets;

    @Override
    public DataSet next(int num) {
        throw new IllegalStateException("cannot read batch: corrupt record");
    }

    @Override
    public DataSet next() {
        return next(1);
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public int inputColumns() {
        return 784;
    }

    @Override
    public int totalOutcomes() {
        return 10;
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
        resets++;
    }

    @Override
    public int batch() {
        return 1;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
