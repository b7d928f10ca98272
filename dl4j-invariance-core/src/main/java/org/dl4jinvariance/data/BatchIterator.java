package org.dl4jinvariance.data;

import java.util.List;
import java.util.NoSuchElementException;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The bookkeeping of an in-memory, resettable {@link DataSetIterator} that reads its examples
 * 0 … size − 1 in order, in batches: the cursor, the batch size and the pre-processor, applied
 * to every batch. A subclass only says how to make the batch of examples [from, from + count).
 */
public abstract class BatchIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final int batchSize;
    private final int size;
    private int cursor;
    private DataSetPreProcessor preProcessor;

    /**
     * @param batchSize examples per batch, ≥ 1
     * @param size      examples per pass, ≥ 0
     */
    protected BatchIterator(int batchSize, int size) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Batch size must be >= 1, got " + batchSize);
        }
        if (size < 0) {
            throw new IllegalArgumentException("Example count must be >= 0, got " + size);
        }
        this.batchSize = batchSize;
        this.size = size;
    }

    /** The batch of examples [from, from + count), before the pre-processor. */
    protected abstract DataSet makeBatch(int from, int count);

    /** Number of examples this iterator yields per pass. */
    public int numExamples() {
        return size;
    }

    @Override
    public final DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException(this + " is exhausted; call reset()");
        }
        int count = Math.min(num, size - cursor);
        DataSet ds = makeBatch(cursor, count);
        cursor += count;
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public final DataSet next() {
        return next(batchSize);
    }

    @Override
    public final boolean hasNext() {
        return cursor < size;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** False by default: batches drawn from a seeded stream must come in order. */
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

    /** No class names by default. */
    @Override
    public List<String> getLabels() {
        return null;
    }
}
