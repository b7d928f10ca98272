package org.dl4jinvariance.metric;

/**
 * The chunk sizes of an evaluation with a target precision: the first chunk holds
 * max({@value #FIRST_CHUNK}, 2·|G|) examples (at least two distinct-input baseline sets of |G|),
 * each later chunk half the examples seen so far, so n grows by 50% per chunk and the evaluation
 * stops at most 50% past the n it needs; every chunk at most the memory-bounded chunk size.
 */
final class PrecisionSchedule {

    /** Examples in the first chunk (when |G| ≤ 32). */
    static final int FIRST_CHUNK = 64;

    private final int first;
    private final int largest;

    /**
     * @param order   |G|
     * @param largest the memory-bounded chunk ({@link MemoryBudget})
     */
    PrecisionSchedule(int order, int largest) {
        this.first = Math.min(largest, Math.max(FIRST_CHUNK, 2 * order));
        this.largest = largest;
    }

    /** The size of the next chunk after {@code seen} examples. */
    int next(int seen) {
        return Math.min(largest, Math.max(first, (seen + 1) / 2));
    }

    String describe() {
        return "first " + first + ", then half the examples seen, at most " + largest;
    }
}
