package org.dl4jinvariance.metric;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Up to {@code maxExamples} examples of a source in chunks of exactly {@code chunkSize}
 * examples (the last may be smaller), whatever the iterator's batch size, in the source's order
 * ({@link ChunkedEvaluation#samples} shuffles each chunk with a seed of its own). Every batch
 * passes the {@link BatchAdmission} checks; examples whose features mask masks everything are
 * left out and counted.
 */
final class ExampleChunks implements Iterator<Examples> {

    private final ExampleSource source;
    private final int maxExamples;
    private final int chunkSize;
    private Examples pending;
    private final List<Examples> buffer = new ArrayList<>();
    private int buffered;
    private int taken;
    private int batches;
    private int fullyMasked;
    private final BatchAdmission admission;

    ExampleChunks(ExampleSource source, Examples first, int maxExamples, int chunkSize, BatchAdmission admission) {
        this.source = source;
        this.admission = admission;
        this.pending = first;
        this.maxExamples = maxExamples;
        this.chunkSize = chunkSize;
    }

    @Override
    public boolean hasNext() {
        fill();
        return buffered > 0;
    }

    @Override
    public Examples next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int size = Math.min(chunkSize, buffered);
        Examples all = Examples.concat(buffer);
        buffer.clear();
        if (buffered > size) {
            buffer.add(all.rows(size, buffered));
        }
        buffered -= size;
        return all.rows(0, size);
    }

    /** How many examples were left out because their features mask masks everything. */
    int fullyMasked() {
        return fullyMasked;
    }

    /** Reads batches until a whole chunk is buffered or the examples run out. */
    private void fill() {
        while (buffered < chunkSize && taken < maxExamples && (pending != null || source.hasNext())) {
            Examples batch = pending != null ? pending : source.next();
            pending = null;
            batches++;
            Examples kept = admission.admit(batch, batches, source.describe());
            fullyMasked += batch.size() - (kept == null ? 0 : kept.size());
            if (kept == null) {
                continue;
            }
            batch = kept;
            int n = Math.min(batch.size(), maxExamples - taken);
            buffer.add(batch.head(n));
            buffered += n;
            taken += n;
        }
    }
}
