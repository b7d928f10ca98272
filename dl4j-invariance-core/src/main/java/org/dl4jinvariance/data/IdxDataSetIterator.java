package org.dl4jinvariance.data;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A DL4J {@link DataSetIterator} over a window [offset, offset+limit) of an {@link IdxDataset}:
 * features [B, 1, H, W] with pixel values in [0, 1], one-hot labels. Resettable; applies the
 * pre-processor (e.g. {@link GroupAugmentation}) to each batch.
 */
public final class IdxDataSetIterator extends BatchIterator {

    private static final long serialVersionUID = 1L;

    private final IdxDataset data;
    private final int offset;

    /**
     * @param batchSize examples per batch, ≥ 1
     * @param offset    first example
     * @param limit     number of examples, offset + limit ≤ data.size()
     */
    public IdxDataSetIterator(IdxDataset data, int batchSize, int offset, int limit) {
        super(batchSize, Math.max(limit, 0));
        if (offset < 0 || limit < 0 || (long) offset + limit > data.size()) {
            throw new IllegalArgumentException("Window offset=" + offset + ", limit=" + limit
                    + " does not fit in " + data.name() + " of size " + data.size());
        }
        this.data = data;
        this.offset = offset;
    }

    @Override
    protected DataSet makeBatch(int from, int count) {
        return data.slice(offset + from, count);
    }

    @Override
    public int inputColumns() {
        return data.height() * data.width();
    }

    @Override
    public int totalOutcomes() {
        return data.classes();
    }

    /** Batches are independent slices, so DL4J may prefetch them. */
    @Override
    public boolean asyncSupported() {
        return true;
    }

    @Override
    public List<String> getLabels() {
        return IntStream.range(0, data.classes()).mapToObj(String::valueOf).collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return "IdxDataSetIterator[" + data.name() + ", offset=" + offset + ", limit=" + numExamples()
                + ", batch=" + batch() + "]";
    }
}
