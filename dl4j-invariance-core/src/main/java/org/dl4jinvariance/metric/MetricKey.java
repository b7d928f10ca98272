package org.dl4jinvariance.metric;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A metric key as a type: the name an {@link InvarianceReport} files a value under, which way
 * that value improves, and where it is reported. Each key is owned by its metric class
 * ({@link InvarianceDeviation#KEY}, {@link CosineSimilarityRatio#KEY},
 * {@link OrbitConsistency#accuracyKey(String)}, ...); the {@link MetricKeys} strings are the
 * same names, for the edges (JSON, CLI, CSV columns). Two keys are equal when name, direction and
 * scope are.
 *
 * <p>A metric of one's own makes its keys with the constructor, e.g.
 * {@code new MetricKey("myDistance", Direction.LOWER_IS_BETTER, Scope.EVERY_LAYER)}.
 *
 * @param name      the report key, e.g. {@code invariance.normalized}, {@code accuracy[rot90]}
 * @param direction which way a better (more invariant, more accurate) model moves the value
 * @param scope     the layers the value is reported at, and whether it needs class labels
 */
public record MetricKey(String name, Direction direction, Scope scope) implements java.io.Serializable {

    /** Which way a better model moves a metric's value. */
    public enum Direction {
        /** Smaller is better: deviations, prediction KL, Lie derivatives (0 = invariant). */
        LOWER_IS_BETTER,
        /** Larger is better: accuracy, consistency, the cosine similarity ratio. */
        HIGHER_IS_BETTER;

        /** σ = +1 when higher is better, −1 when lower is: σ · value grows as the model gets better. */
        public int sign() {
            return this == HIGHER_IS_BETTER ? 1 : -1;
        }
    }

    /**
     * Where a metric's value exists. The scopes nest: a key that needs labels compares predictions
     * with labels, so it is output-only too.
     */
    public enum Scope {
        /** Reported at every probed layer. */
        EVERY_LAYER,
        /** Read from the class probabilities: reported at the output layer only. */
        OUTPUT_ONLY,
        /** Compares predictions with class labels: output layer only, and the data must have labels. */
        NEEDS_LABELS;

        /** True for {@link #OUTPUT_ONLY} and {@link #NEEDS_LABELS}. */
        public boolean outputOnly() {
            return this != EVERY_LAYER;
        }

        /** True for {@link #NEEDS_LABELS}. */
        public boolean needsLabels() {
            return this == NEEDS_LABELS;
        }

        /** True when a key of this scope is reported at {@code layer}. */
        public boolean includes(ProbedLayer layer) {
            return !outputOnly() || layer.isOutput();
        }
    }

    /** @throws IllegalArgumentException for a blank name or a null direction or scope */
    public MetricKey {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A metric key needs a name, got '" + name + "'");
        }
        if (direction == null || scope == null) {
            throw new IllegalArgumentException("Metric key '" + name + "' needs a direction and a scope, got "
                    + direction + ", " + scope);
        }
    }

    /**
     * The typed key of a report key's name: every {@link MetricKeys} constant and
     * {@code accuracy[<element>]} for any group element.
     *
     * @throws IllegalArgumentException naming {@code name} and listing the known keys when it is none of them
     */
    public static MetricKey of(String name) {
        MetricKey known = Known.BY_NAME.get(name);
        if (known != null) {
            return known;
        }
        String accuracy = MetricKeys.ACCURACY + "[";
        if (name != null && name.startsWith(accuracy) && name.endsWith("]") && name.length() > accuracy.length() + 1) {
            return OrbitConsistency.accuracyKey(name.substring(accuracy.length(), name.length() - 1));
        }
        throw new IllegalArgumentException("Unknown metric key '" + name + "'; known keys: "
                + String.join(", ", Known.BY_NAME.keySet()) + ", " + MetricKeys.accuracyOf("<element>"));
    }

    /** True when higher values are better. */
    public boolean higherIsBetter() {
        return direction == Direction.HIGHER_IS_BETTER;
    }

    /** True when the key is reported at the output layer only (see {@link Scope#outputOnly()}). */
    public boolean outputOnly() {
        return scope.outputOnly();
    }

    /** True when the key needs class labels (see {@link Scope#needsLabels()}). */
    public boolean needsLabels() {
        return scope.needsLabels();
    }

    /** True when this key is reported at {@code layer}. */
    public boolean reportedAt(ProbedLayer layer) {
        return scope.includes(layer);
    }

    /** True when value {@code a} is strictly better than {@code b} for this key; NaN is never better. */
    public boolean isBetter(double a, double b) {
        if (Double.isNaN(a)) {
            return false;
        }
        if (Double.isNaN(b)) {
            return true;
        }
        return higherIsBetter() ? a > b : a < b;
    }

    /**
     * The key of this value divided by the same formula on sets of distinct inputs
     * ({@link MetricKeys#normalized(String)}). Dividing by a positive baseline keeps the order, so
     * the direction and the scope stay.
     */
    public MetricKey normalized() {
        return new MetricKey(MetricKeys.normalized(name), direction, scope);
    }

    /** The name alone, as in reports and messages. */
    @Override
    public String toString() {
        return name;
    }

    /**
     * Every fixed key of the built-in metrics, by name. In a holder class: a static field of
     * MetricKey itself would be initialized when a metric class first makes its KEY, and would read
     * that class's constants while they are still null.
     */
    private static final class Known {
        static final Map<String, MetricKey> BY_NAME = byName(List.of(
                InvarianceDeviation.KEY, InvarianceDeviation.NORMALIZED_KEY,
                EquivarianceDeviation.KEY, EquivarianceDeviation.NORMALIZED_KEY,
                CosineSimilarityRatio.KEY, PredictionInvariance.KEY,
                OrbitConsistency.CONSISTENCY_KEY, OrbitConsistency.ACCURACY_KEY,
                LieDerivative.ROTATION_KEY, LieDerivative.TRANSLATION_KEY, ChannelInvariance.KEY));

        private static Map<String, MetricKey> byName(List<MetricKey> keys) {
            Map<String, MetricKey> map = new LinkedHashMap<>();
            keys.forEach(k -> map.put(k.name(), k));
            return Collections.unmodifiableMap(map);
        }
    }
}
