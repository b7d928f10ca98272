package org.dl4jinvariance.metric;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Up to {@code maxExamples} examples of a source in chunks of exactly {@code chunkSize}
 * examples (the last may be smaller), whatever the iterator's batch size; each chunk shuffled
 * with a seed of its own (seed + 1,000,003 · chunk index) so that the distinct-input baseline
 * sets, formed from consecutive examples, are random examples. Every batch is checked: no empty
 * batch, labels on every batch or none, labels that fit the output ({@link LabelCheck});
 * examples whose features mask masks everything are left out and counted.
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
    private int batches;
    private int fullyMasked;
    private final LabelCheck labels;

    ExampleChunks(ExampleSource source, Examples first, int maxExamples, int chunkSize, long seed, LabelCheck labels) {
        this.source = source;
        this.labels = labels;
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
            if (batch.size() == 0) {
                throw new IllegalArgumentException("Batch " + batches + " of " + source.describe()
                        + " has 0 examples; every batch needs at least one");
            }
            if (labelled != (batch.labels() != null)) {
                throw new IllegalArgumentException("Batch " + batches + " has labels " + (labelled ? "= null" : "")
                        + " while the first " + (labelled ? "has labels" : "has none") + "; label every example or none");
            }
            labels.check(batch.labels(), batches);
            if (batch.masked()) {
                boolean[] masked = batch.fullyMasked();
                int dropped = 0;
                for (boolean m : masked) {
                    dropped += m ? 1 : 0;
                }
                if (dropped > 0) {
                    fullyMasked += dropped;
                    boolean[] keep = new boolean[masked.length];
                    for (int i = 0; i < keep.length; i++) {
                        keep[i] = !masked[i];
                    }
                    if (dropped == masked.length) {
                        continue;
                    }
                    batch = batch.keep(keep);
                }
            }
            int n = Math.min(batch.size(), maxExamples - taken);
            buffer.add(batch.head(n));
            buffered += n;
            taken += n;
        }
    }
}
