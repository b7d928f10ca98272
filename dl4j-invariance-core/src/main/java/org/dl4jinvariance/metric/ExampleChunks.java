package org.dl4jinvariance.metric;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Up to {@code maxExamples} examples of a source in chunks of exactly {@code chunkSize}
 * examples (the last may be smaller), whatever the iterator's batch size, in the source's order
 * ({@link ChunkedEvaluation#samples} shuffles each chunk with a seed of its own). Every batch
 * passes the {@link BatchAdmission} checks; examples whose features mask masks everything are
 * left out and counted.
 *
 * <p>In {@linkplain #inRandomOrder random order} (a target precision), all up to
 * {@code maxExamples} examples are read first and permuted once with a seed, and chunks
 * of any size are then cut from the front ({@link #next(int)}).
 */
final class ExampleChunks {

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
    private boolean randomOrder;
    private long orderSeed;
    private boolean permuted;

    ExampleChunks(ExampleSource source, Examples first, int maxExamples, int chunkSize, BatchAdmission admission) {
        this.source = source;
        this.admission = admission;
        this.pending = first;
        this.maxExamples = maxExamples;
        this.chunkSize = chunkSize;
    }

    /**
     * Reads every example up to {@code maxExamples} before the first chunk and permutes them
     * with {@code seed}, so that any prefix is a seeded random sample of them.
     */
    ExampleChunks inRandomOrder(long seed) {
        this.randomOrder = true;
        this.orderSeed = seed;
        return this;
    }

    /** True while examples are left (reads batches until a chunk is buffered). */
    boolean hasNext() {
        fill();
        return buffered > 0;
    }

    /** {@link #next(int)} of a whole chunk. */
    List<Examples> next() {
        return next(chunkSize);
    }

    /**
     * The next chunk of at most {@code wanted} examples (fewer when fewer are left) as the
     * buffered parts it is made of, in order (a part that straddles the chunk's end is cut; the
     * rest stays buffered). The caller joins them where the chunk's arrays live
     * ({@link ChunkedEvaluation#samples(List, int)}).
     */
    List<Examples> next(int wanted) {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int size = Math.min(wanted, buffered);
        List<Examples> parts = new ArrayList<>();
        for (int got = 0; got < size; ) {
            Examples part = buffer.remove(0);
            int needed = size - got;
            if (part.size() > needed) {
                Examples[] cut = part.cut(needed);
                buffer.add(0, cut[1]);
                part = cut[0];
            }
            parts.add(part);
            got += part.size();
        }
        buffered -= size;
        return parts;
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
        if (randomOrder && !permuted && buffered > 0) {
            // One permutation of everything read; its seed differs from every per-chunk shuffle's.
            Examples all = Examples.concat(buffer);
            buffer.clear();
            buffer.add(all.pick(Examples.shuffled(buffered, orderSeed ^ RANDOM_ORDER_SALT)));
            permuted = true;
        }
    }

    private static final long RANDOM_ORDER_SALT = 0x5EED0F0DE4L;
}
