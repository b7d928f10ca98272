package org.dl4jinvariance.metric;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Up to {@code maxExamples} examples of a source in chunks of exactly {@code chunkSize}
 * examples (the last may be smaller), whatever the iterator's batch size; each chunk shuffled
 * with a seed of its own (seed + 1,000,003 · chunk index) so that the distinct-input baseline
 * sets, formed from consecutive examples, are random examples.
 */
final class ExampleChunks implements Iterator<Examples> {

    private final ExampleSource source;
    private final int maxExamples;
    private final int chunkSize;
    private final boolean labelled;
    private final long seed;
    private Examples pending;
    private final List<Examples> buffer = new ArrayList<>();
    private int buffered;
    private int taken;
    private int chunks;

    ExampleChunks(ExampleSource source, Examples first, int maxExamples, int chunkSize, long seed) {
        this.source = source;
        this.pending = first;
        this.maxExamples = maxExamples;
        this.chunkSize = chunkSize;
        this.labelled = first.labels() != null;
        this.seed = seed;
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
        Examples chunk = all.rows(0, size);
        return chunk.pick(Examples.shuffled(size, seed + 1_000_003L * chunks++));
    }

    /** Reads batches until a whole chunk is buffered or the examples run out. */
    private void fill() {
        while (buffered < chunkSize && taken < maxExamples && (pending != null || source.hasNext())) {
            Examples batch = pending != null ? pending : source.next();
            pending = null;
            int n = Math.min(batch.size(), maxExamples - taken);
            if (n == 0) {
                continue;
            }
            if (labelled != (batch.labels() != null)) {
                throw new IllegalArgumentException("A batch after the first has labels " + (labelled ? "= null" : "")
                        + " while the first " + (labelled ? "has labels" : "has none") + "; label every example or none");
            }
            buffer.add(batch.head(n));
            buffered += n;
            taken += n;
        }
    }
}
