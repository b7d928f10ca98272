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
 *
 * <p>In {@linkplain #inRandomOrder random order} (a target precision), all up to
 * {@code maxExamples} examples are read first and permuted once with the seed, and chunks
 * of any size are then cut from the front ({@link #next(int)}).
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
    private boolean randomOrder;
    private boolean permuted;

    ExampleChunks(ExampleSource source, Examples first, int maxExamples, int chunkSize, long seed, LabelCheck labels) {
        this.source = source;
        this.labels = labels;
        this.pending = first;
        this.maxExamples = maxExamples;
        this.chunkSize = chunkSize;
        this.labelled = first.labels() != null;
        this.seed = seed;
    }

    /**
     * Reads every example up to {@code maxExamples} before the first chunk and permutes them
     * with the seed, so that any prefix is a seeded random sample of them.
     */
    ExampleChunks inRandomOrder() {
        this.randomOrder = true;
        return this;
    }

    @Override
    public boolean hasNext() {
        fill();
        return buffered > 0;
    }

    @Override
    public Examples next() {
        return next(chunkSize);
    }

    /** The next chunk of at most {@code wanted} examples (fewer when fewer are left). */
    Examples next(int wanted) {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int size = Math.min(wanted, buffered);
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
        int wanted = randomOrder ? maxExamples : chunkSize;
        while (buffered < wanted && taken < maxExamples && (pending != null || source.hasNext())) {
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
        if (randomOrder && !permuted && buffered > 0) {
            // One permutation of everything read; its seed differs from every per-chunk shuffle's.
            Examples all = Examples.concat(buffer);
            buffer.clear();
            buffer.add(all.pick(Examples.shuffled(buffered, seed ^ RANDOM_ORDER_SALT)));
            permuted = true;
        }
    }

    private static final long RANDOM_ORDER_SALT = 0x5EED0F0DE4L;
}
