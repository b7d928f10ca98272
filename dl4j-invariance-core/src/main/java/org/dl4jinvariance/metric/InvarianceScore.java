package org.dl4jinvariance.metric;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One figure of merit for choosing models by invariance: one metric key at one layer of an
 * {@link InvarianceReport}, optionally weighed against accuracy and loss, optionally with a bound
 * the metric must meet. The early-stopping {@code InvarianceScoreCalculator} and the Arbiter
 * {@code InvarianceScoreFunction} both score through this class, so they agree.
 *
 * <p>With weights w_m, w_a, w_l ≥ 0 and σ = {@link MetricKey.Direction#sign()} of the key (+1
 * where higher is better: accuracy, consistency, cosine similarity ratio; −1 for deviations,
 * prediction KL, Lie derivatives):
 * <pre>
 *   G = w_a · accuracy + σ · w_m · metric − w_l · loss                 (higher G = better model)
 *   maximize score = G      when G has a positive term (w_a &gt; 0, or σ = +1 and w_m &gt; 0)
 *   minimize score = −G = w_m · metric + w_l · loss                    otherwise
 * </pre>
 * so the direction comes from the key and the terms, and the score stays a plain figure: a
 * deviation alone is minimized as itself, accuracy alone is maximized as itself, accuracy − 0.1 ·
 * predictionKL is maximized. With a bound ({@link Builder#requireMetricAtMost},
 * {@link Builder#requireMetricAtLeast}) a model whose metric misses it by v &gt; 0 scores
 * {@code ∓(1e6 + v)}: below every model that meets it, nearer misses first.
 *
 * <p>The metric is read at the given layer, else at the deepest layer of the report that has an
 * applicable value of it ({@link InvarianceReport#deepestLayerWith(MetricKey)}).
 */
public final class InvarianceScore {

    /** The score offset of a model that misses a bound. */
    public static final double INFEASIBLE_OFFSET = 1e6;

    private final MetricKey metric;
    private final String layer;
    private final double metricWeight;
    private final double accuracyWeight;
    private final double lossWeight;
    private final Double maxMetric;
    private final Double minMetric;

    private InvarianceScore(Builder b) {
        this.metric = b.metric;
        this.layer = b.layer;
        this.metricWeight = b.metricWeight;
        this.accuracyWeight = b.accuracyWeight;
        this.lossWeight = b.lossWeight;
        this.maxMetric = b.maxMetric;
        this.minMetric = b.minMetric;
    }

    /** A builder with w_m = 1, w_a = w_l = 0, no layer and no bounds; the metric is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where the metric was read and its mean there. */
    public record Reading(String layer, double value) {
    }

    /**
     * One scored model.
     *
     * @param score    the figure handed to the caller (see the class comment)
     * @param feasible false when the metric broke a bound
     * @param layer    the layer the metric was read at, or null when the score does not read it
     * @param metric   the metric's mean there, or NaN when not read
     */
    public record Result(double score, boolean feasible, String layer, double metric) {
    }

    public MetricKey metric() {
        return metric;
    }

    /** The layer given; empty for "the deepest layer with an applicable value". */
    public Optional<String> layer() {
        return Optional.ofNullable(layer);
    }

    public double metricWeight() {
        return metricWeight;
    }

    public double accuracyWeight() {
        return accuracyWeight;
    }

    public double lossWeight() {
        return lossWeight;
    }

    /** The upper bound on the metric, if any. */
    public OptionalDouble metricAtMost() {
        return maxMetric == null ? OptionalDouble.empty() : OptionalDouble.of(maxMetric);
    }

    /** The lower bound on the metric, if any. */
    public OptionalDouble metricAtLeast() {
        return minMetric == null ? OptionalDouble.empty() : OptionalDouble.of(minMetric);
    }

    /** False when G has a positive term (w_a &gt; 0, or a higher-is-better metric with w_m &gt; 0). */
    public boolean minimize() {
        return !(accuracyWeight > 0 || (metricWeight > 0 && metric.higherIsBetter()));
    }

    /** True when the score reads the metric: w_m &gt; 0 or a bound. */
    public boolean readsMetric() {
        return metricWeight > 0 || maxMetric != null || minMetric != null;
    }

    /**
     * The metric's mean in {@code report}, at the given layer or else the deepest layer with an
     * applicable value.
     *
     * @throws IllegalArgumentException naming the metric (and layer) when the report has no
     *                                  applicable value of it there
     */
    public Reading read(InvarianceReport report) {
        String at = layer != null ? layer : report.deepestLayerWith(metric)
                .orElseThrow(() -> new IllegalArgumentException(noLayerHas(report)));
        MetricValue v = report.get(at, metric);
        if (!v.isApplicable()) {
            throw new IllegalArgumentException("Metric '" + metric + "' does not apply at layer '" + at + "': "
                    + v.notApplicable());
        }
        return new Reading(at, v.mean());
    }

    private String noLayerHas(InvarianceReport report) {
        for (String l : report.layers()) {
            if (report.has(l, metric.name())) {
                return "No layer has an applicable value of metric '" + metric + "'; at layer '" + l + "': "
                        + report.get(l, metric).notApplicable();
            }
        }
        return "No layer reports metric '" + metric + "'; metrics in the report: " + report.metrics();
    }

    /**
     * Scores one model from its figures. {@code report} is read when {@link #readsMetric()} (it
     * may be null otherwise); {@code accuracy} and {@code loss} are used when their weights are
     * positive (NaN otherwise).
     */
    public Result score(InvarianceReport report, double accuracy, double loss) {
        Reading reading = readsMetric() ? read(Objects.requireNonNull(report, "report")) : null;
        double value = reading == null ? Double.NaN : reading.value();
        // A zero weight drops its term entirely, so an unmeasured (NaN) figure cannot leak in.
        double goodness = (accuracyWeight > 0 ? accuracyWeight * accuracy : 0)
                + (metricWeight > 0 ? metric.direction().sign() * metricWeight * value : 0)
                - (lossWeight > 0 ? lossWeight * loss : 0);
        double violation = violation(value);
        boolean feasible = violation == 0;
        double score;
        if (minimize()) {
            score = feasible ? -goodness : INFEASIBLE_OFFSET + violation;
        } else {
            score = feasible ? goodness : -(INFEASIBLE_OFFSET + violation);
        }
        return new Result(score, feasible, reading == null ? null : reading.layer(), value);
    }

    /** How far {@code value} lies outside [minMetric, maxMetric]; 0 inside (or without bounds). */
    private double violation(double value) {
        if (maxMetric != null && !(value <= maxMetric)) {
            return Double.isNaN(value) ? Double.MAX_VALUE / 4 : value - maxMetric;
        }
        if (minMetric != null && !(value >= minMetric)) {
            return Double.isNaN(value) ? Double.MAX_VALUE / 4 : minMetric - value;
        }
        return 0;
    }

    /**
     * The score as a formula, e.g. {@code maximize accuracy - 0.1·predictionKL@output, predictionKL <= 0.05},
     * with the metric's term written as {@code metricLabel}.
     */
    public String describe(String metricLabel) {
        StringBuilder terms = new StringBuilder();
        boolean min = minimize();
        double sign = min ? -1 : 1;
        if (accuracyWeight > 0) {
            terms.append(term(sign * accuracyWeight, "accuracy", terms.length() == 0));
        }
        if (metricWeight > 0) {
            terms.append(term(sign * metric.direction().sign() * metricWeight, metricLabel, terms.length() == 0));
        }
        if (lossWeight > 0) {
            terms.append(term(-sign * lossWeight, "loss", terms.length() == 0));
        }
        String bounds = (maxMetric == null ? "" : ", " + metric + " <= " + maxMetric)
                + (minMetric == null ? "" : ", " + metric + " >= " + minMetric);
        return (min ? "minimize " : "maximize ") + terms + bounds;
    }

    private static String term(double w, String what, boolean first) {
        String sign = w < 0 ? (first ? "-" : " - ") : (first ? "" : " + ");
        double a = Math.abs(w);
        return sign + (a == 1 ? "" : String.format(Locale.ROOT, "%s·", trim(a))) + what;
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    @Override
    public String toString() {
        return "InvarianceScore(" + describe(metric + (layer == null ? "" : "@" + layer)) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InvarianceScore s && metric.equals(s.metric) && Objects.equals(layer, s.layer)
                && metricWeight == s.metricWeight && accuracyWeight == s.accuracyWeight && lossWeight == s.lossWeight
                && Objects.equals(maxMetric, s.maxMetric) && Objects.equals(minMetric, s.minMetric);
    }

    @Override
    public int hashCode() {
        return Objects.hash(metric, layer, metricWeight, accuracyWeight, lossWeight, maxMetric, minMetric);
    }

    /**
     * Builder; {@link #metric} is required. Every setter checks its argument, so the scorers that
     * delegate to it validate each setting in this one place.
     */
    public static final class Builder {
        private MetricKey metric;
        private String layer;
        private double metricWeight = 1;
        private double accuracyWeight;
        private double lossWeight;
        private Double maxMetric;
        private Double minMetric;

        private Builder() {
        }

        /**
         * The metric by name, e.g. {@code MetricKeys.INVARIANCE_NORMALIZED}.
         *
         * @throws IllegalArgumentException for a blank or unknown name, listing the known keys
         */
        public Builder metric(String key) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("metric needs a metric key such as 'invariance', got '" + key + "'");
            }
            return metric(MetricKey.of(key));
        }

        /** The metric, e.g. {@link InvarianceDeviation#NORMALIZED_KEY}, or a key of one's own metric. */
        public Builder metric(MetricKey key) {
            if (key == null) {
                throw new IllegalArgumentException("metric(...) needs a metric key, got null");
            }
            this.metric = key;
            return this;
        }

        /** The layer (name, key or index) whose metric is scored; default: the deepest layer with a value. */
        public Builder layer(String layer) {
            if (layer == null || layer.isBlank()) {
                throw new IllegalArgumentException("layer needs a layer name or index, got '" + layer + "'");
            }
            this.layer = layer;
            return this;
        }

        /** w_m, the metric's weight (default 1). */
        public Builder metricWeight(double w) {
            this.metricWeight = weight("metricWeight", w);
            return this;
        }

        /** w_a, accuracy's weight (default 0). */
        public Builder accuracyWeight(double w) {
            this.accuracyWeight = weight("accuracyWeight", w);
            return this;
        }

        /** w_l, the loss's weight (default 0). */
        public Builder lossWeight(double w) {
            this.lossWeight = weight("lossWeight", w);
            return this;
        }

        /** Models whose metric exceeds {@code bound} rank below all others. */
        public Builder requireMetricAtMost(double bound) {
            this.maxMetric = finite("requireMetricAtMost", bound);
            return this;
        }

        /** Models whose metric is below {@code bound} rank below all others. */
        public Builder requireMetricAtLeast(double bound) {
            this.minMetric = finite("requireMetricAtLeast", bound);
            return this;
        }

        /** True once {@link #metric} is set. */
        public boolean hasMetric() {
            return metric != null;
        }

        // A negative weight would turn a term's direction around behind the key's back: the
        // direction is the key's, so weights only say how much each term counts.
        private static double weight(String what, double w) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException(what + " must be a finite number >= 0, got " + w);
            }
            return w;
        }

        private static double finite(String what, double v) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(what + " needs a finite bound, got " + v);
            }
            return v;
        }

        /**
         * @throws IllegalArgumentException without a metric, when every weight is 0, or when the
         *                                  bounds exclude each other
         */
        public InvarianceScore build() {
            if (metric == null) {
                throw new IllegalArgumentException("A score needs metric(key), got none");
            }
            if (metricWeight == 0 && accuracyWeight == 0 && lossWeight == 0) {
                throw new IllegalArgumentException("At least one of metricWeight, accuracyWeight, lossWeight must be > 0, "
                        + "got all 0");
            }
            if (maxMetric != null && minMetric != null && minMetric > maxMetric) {
                throw new IllegalArgumentException("requireMetricAtLeast(" + minMetric + ") exceeds requireMetricAtMost("
                        + maxMetric + "); no value can meet both");
            }
            return new InvarianceScore(this);
        }
    }
}
