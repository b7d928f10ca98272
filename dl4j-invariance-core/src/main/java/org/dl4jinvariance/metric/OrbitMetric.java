package org.dl4jinvariance.metric;

import java.util.List;
import java.util.Set;

/**
 * One formula over a layer's orbit activations. A metric is a pure function of an
 * {@link OrbitActivations} context (computed once per layer and chunk from a single forward
 * pass), so adding a metric never adds a forward pass.
 */
public interface OrbitMetric extends java.io.Serializable {

    /** A short name for reports, e.g. {@code invariance(COSINE)}. */
    String describe();

    /**
     * Every key this metric defines for layers like {@code layer} (the layer's group names the
     * per-element keys), whatever their scope; those whose {@link MetricKey.Scope} excludes
     * {@code layer} are not written there.
     */
    List<MetricKey> metricKeys(ProbedLayer layer);

    /** The names of the keys this metric writes at {@code layer}: {@link #metricKeys} that {@link MetricKey#reportedAt} it. */
    default List<String> keys(ProbedLayer layer) {
        return metricKeys(layer).stream().filter(k -> k.reportedAt(layer)).map(MetricKey::name).toList();
    }

    /**
     * True when this metric is reported at {@code layer} at all: when one of its keys' scopes
     * includes the layer (output-only metrics: the output layer alone).
     */
    default boolean reportsAt(ProbedLayer layer) {
        return !keys(layer).isEmpty();
    }

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

    /**
     * True when the metric needs class labels, i.e. when one of its keys has
     * {@link MetricKey.Scope#NEEDS_LABELS}. (No layer is at hand where the evaluator asks, so a
     * metric with such a key says so here.)
     */
    default boolean needsLabels() {
        return false;
    }

    /**
     * True when every key of the metric needs class labels, so that on unlabelled data it has
     * nothing to report (default: {@link #needsLabels()}). A metric with keys of both kinds says
     * false: on unlabelled data it reports the keys that need no labels, and its label keys are
     * left out, as with {@link InvarianceEvaluator#withoutLabelMetrics()}.
     */
    default boolean needsLabelsForEveryKey() {
        return needsLabels();
    }

    /**
     * True when {@link #compute} reads an orbit through {@link OrbitActivations#members()} and
     * {@link OrbitActivations#element}, so it gives an estimate when each example is evaluated at
     * k sampled elements ({@link EvaluatorSettings#sampleElements}); false (the default) for a
     * metric written for whole orbits, which the evaluator then refuses to sample.
     */
    default boolean supportsSampledElements() {
        return false;
    }

    /** Per-example values for one chunk. */
    MetricSamples compute(OrbitActivations orbit);
}
