package org.dl4jinvariance.metric;

import java.util.List;
import java.util.Set;

/**
 * One formula over a layer's orbit activations. A metric is a pure function of an
 * {@link OrbitActivations} context (computed once per layer and chunk from a single forward
 * pass), so adding a metric never adds a forward pass.
 */
public interface OrbitMetric {

    /** A short name for reports, e.g. {@code invariance(COSINE)}. */
    String describe();

    /** True when this metric is reported at {@code layer} at all (output-only metrics: the output layer). */
    default boolean reportsAt(ProbedLayer layer) {
        return true;
    }

    /** The report keys this metric writes at {@code layer}. */
    List<String> keys(ProbedLayer layer);

    /**
     * Null when the metric applies at {@code layer}; otherwise why not, and every key of
     * {@link #keys} is reported as {@link MetricValue#notApplicable}.
     */
    default String notApplicableReason(ProbedLayer layer) {
        return null;
    }

    /** The reductions of the activations this metric reads at {@code layer}. */
    Set<OrbitStatistic> statistics(ProbedLayer layer);

    /** Inputs besides the orbit that this metric needs in the same forward pass. */
    default List<Perturbation> perturbations() {
        return List.of();
    }

    /** True when the metric needs class labels. */
    default boolean needsLabels() {
        return false;
    }

    /** Per-example values for one chunk. */
    MetricSamples compute(OrbitActivations orbit);
}
