package org.dl4jinvariance.examples;

import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A {@link DataSetIterator} that adds up the time spent inside its delegate's {@code next()}
 * (reading and decoding images) and steps a progress bar by the examples handed out, so a
 * command can report reading and evaluation times apart and show progress while the evaluator
 * consumes the data.
 */
final class TimedIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final DataSetIterator delegate;
    private final transient ProgressBar bar;
    private long readNanos;

    /** @param bar stepped by the examples of each batch, or null for no bar */
    TimedIterator(DataSetIterator delegate, ProgressBar bar) {
        this.delegate = delegate;
        this.bar = bar;
    }

    /** Seconds spent in the delegate's {@code next()} so far. */
    double readSeconds() {
        return readNanos / 1e9;
    }

    @Override
    public DataSet next(int num) {
        long t0 = System.nanoTime();
        DataSet ds = delegate.next(num);
        return counted(ds, t0);
    }

    @Override
    public DataSet next() {
        long t0 = System.nanoTime();
        DataSet ds = delegate.next();
        return counted(ds, t0);
    }

    private DataSet counted(DataSet ds, long t0) {
        readNanos += System.nanoTime() - t0;
        if (bar != null && ds != null) {
            bar.stepBy(ds.numExamples());
        }
        return ds;
    }

    @Override
    public boolean hasNext() {
        return delegate.hasNext();
    }

    @Override
    public int inputColumns() {
        return delegate.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return delegate.totalOutcomes();
    }

    @Override
    public boolean resetSupported() {
        return delegate.resetSupported();
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        delegate.reset();
    }

    @Override
    public int batch() {
        return delegate.batch();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        delegate.setPreProcessor(preProcessor);
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return delegate.getPreProcessor();
    }

    @Override
    public List<String> getLabels() {
        return delegate.getLabels();
    }
}
