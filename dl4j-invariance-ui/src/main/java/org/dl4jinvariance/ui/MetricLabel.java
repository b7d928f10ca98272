package org.dl4jinvariance.ui;

import java.util.Map;
import org.dl4jinvariance.metric.CosineSimilarityRatio;
import org.dl4jinvariance.metric.EquivarianceDeviation;
import org.dl4jinvariance.metric.InvarianceDeviation;
import org.dl4jinvariance.metric.LieDerivative;
import org.dl4jinvariance.metric.MetricKey;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.OrbitConsistency;
import org.dl4jinvariance.metric.PredictionInvariance;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * How the page names a metric: the report key, a readable name and which way is better, all read
 * from the typed {@link MetricKey} ({@link MetricKey#of(String)}). A key the library does not know
 * (a user's own metric) keeps its key as name and has no direction ({@code direction == null},
 * shown as "direction unknown") rather than a guessed one.
 *
 * @param key       the report key, e.g. {@code invariance.normalized}
 * @param label     a readable name, e.g. {@code Invariance deviation, normalized}
 * @param direction which way a better model moves the value, or null when unknown
 */
public record MetricLabel(@JsonProperty("key") String key, @JsonProperty("label") String label,
                          @JsonProperty("direction") MetricKey.Direction direction) {

    /** Readable names of the built-in metrics' base keys; normalized forms and per-element accuracies derive from these. */
    private static final Map<MetricKey, String> NAMES = Map.of(
            InvarianceDeviation.KEY, "Invariance deviation",
            EquivarianceDeviation.KEY, "Equivariance deviation",
            CosineSimilarityRatio.KEY, "Cosine similarity ratio",
            PredictionInvariance.KEY, "Prediction KL divergence",
            OrbitConsistency.CONSISTENCY_KEY, "Orbit consistency",
            OrbitConsistency.ACCURACY_KEY, "Accuracy over the orbit",
            LieDerivative.ROTATION_KEY, "Lie derivative (rotation)",
            LieDerivative.TRANSLATION_KEY, "Lie derivative (translation)");

    /** The label of report key {@code key}. */
    public static MetricLabel of(String key) {
        MetricKey typed;
        try {
            typed = MetricKey.of(key);
        } catch (IllegalArgumentException unknown) {
            return new MetricLabel(key, key, null);
        }
        return new MetricLabel(key, readable(typed), typed.direction());
    }

    private static String readable(MetricKey key) {
        String name = NAMES.get(key);
        if (name != null) {
            return name;
        }
        for (Map.Entry<MetricKey, String> base : NAMES.entrySet()) {
            if (base.getKey().normalized().equals(key)) {
                return base.getValue() + ", normalized";
            }
        }
        // accuracy[<element>]: the one family of keys named after a group element.
        String prefix = MetricKeys.ACCURACY + "[";
        if (key.name().startsWith(prefix) && key.name().endsWith("]")) {
            String element = key.name().substring(prefix.length(), key.name().length() - 1);
            if (OrbitConsistency.accuracyKey(element).equals(key)) {
                return "Accuracy on " + element + "·x";
            }
        }
        return key.name();
    }

    /** {@code lower is better}, {@code higher is better} or {@code direction unknown}. */
    @JsonProperty("better")
    public String better() {
        if (direction == null) {
            return "direction unknown";
        }
        return direction == MetricKey.Direction.HIGHER_IS_BETTER ? "higher is better" : "lower is better";
    }
}
