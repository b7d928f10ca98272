package org.dl4jinvariance.benchmarks;

/**
 * One row of the benchmark table: a piece of our code ("ours") timed against the baseline it
 * must be compared with, both measured in the same run on the same machine.
 */
public interface Benchmark {

    /** Row name, e.g. {@code metric pass (5 layers, C4, N=1000) / plain forward passes}. */
    String name();

    /** The target ratio ours/baseline this row must stay under, or NaN when there is none. */
    double target();

    /** Prepares inputs and models; not timed. */
    void setUp();

    /** One timed run of our code. */
    void runOurs();

    /** One timed run of the baseline. */
    void runBaseline();

    /**
     * For a row measured by one long run rather than by alternating repeats (a soak): ours and
     * the baseline in the row's units (its name says which); null, the default, to be timed by
     * the runner through {@link #runOurs} and {@link #runBaseline}.
     */
    default double[] measureOnce() {
        return null;
    }

    /** Untimed rounds (ours, then the baseline) before the timed ones: 2 unless a row says why more. */
    default int warmUpRounds() {
        return 2;
    }

    /** What the runner prints after the row's figures (e.g. a precision reached), or "" for nothing. */
    default String note() {
        return "";
    }
}
