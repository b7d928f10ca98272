package org.dl4jinvariance.listeners;

/**
 * What a data set is to the model being watched. The role decides which metrics have a meaning
 * on it: accuracy compares predictions with the data's labels, which for out-of-distribution
 * data belong to another task (Fashion-MNIST's garment classes for a digit classifier), so an
 * out-of-distribution set gets no label metrics unless they are asked for
 * ({@link InvarianceListener.Builder#labelMetricsOutOfDistribution()}).
 */
public enum DataRole {
    /** Held-out data of the training distribution: every metric, accuracy included. */
    IN_DISTRIBUTION("in distribution"),
    /** Data of another distribution (OOD): invariance and consistency, no accuracy against its labels. */
    OUT_OF_DISTRIBUTION("out of distribution");

    private final String label;

    DataRole(String label) {
        this.label = label;
    }

    /** "in distribution" or "out of distribution", for pages and tables. */
    public String label() {
        return label;
    }

    /** True for {@link #OUT_OF_DISTRIBUTION}. */
    public boolean outOfDistribution() {
        return this == OUT_OF_DISTRIBUTION;
    }
}
