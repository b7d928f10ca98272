package org.dl4jinvariance.data;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A DL4J {@link DataSetIterator} over a window [offset, offset+limit) of an {@link IdxDataset}:
 * features [B, 1, H, W] with pixel values in [0, 1], one-hot labels. Resettable; applies the
 * pre-processor (e.g. {@link GroupAugmentation}) to each batch.
 */
public final class IdxDataSetIterator implements DataSetIterator {

    private final IdxDataset data;
    private final int batchSize;
    private final int offset;
    private final int limit;
    private int cursor;
    private DataSetPreProcessor preProcessor;

    /**
     * @param batchSize examples per batch, ≥ 1
     * @param offset    first example
     * @param limit     number of examples, offset + limit ≤ data.size()
     */
    public IdxDataSetIterator(IdxDataset data, int batchSize, int offset, int limit) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Batch size must be >= 1, got " + batchSize);
        }
        if (offset < 0 || limit < 0 || (long) offset + limit > data.size()) {
            throw new IllegalArgumentException("Window offset=" + offset + ", limit=" + limit
                    + " does not fit in " + data.name() + " of size " + data.size());
        }
        this.data = data;
        this.batchSize = batchSize;
        this.offset = offset;
        this.limit = limit;
    }

    /** Number of examples this iterator yields per pass. */
    public int numExamples() {
        return limit;
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("Iterator over " + data.name() + " is exhausted; call reset()");
        }
        int count = Math.min(num, limit - cursor);
        DataSet ds = data.slice(offset + cursor, count);
        cursor += count;
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
        return cursor < limit;
    }

    @Override
    public int inputColumns() {
        return data.height() * data.width();
    }

    @Override
    public int totalOutcomes() {
        return data.classes();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
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
        return IntStream.range(0, data.classes()).mapToObj(String::valueOf).collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return "IdxDataSetIterator[" + data.name() + ", offset=" + offset + ", limit=" + limit
                + ", batch=" + batchSize + "]";
    }
}
