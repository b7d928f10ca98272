package org.dl4jinvariance.metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-example values of every (layer, key) over all chunks, and their summary: ratio keys
 * (normalized forms) divide each value by the mean of its distinct-input references over the
 * whole evaluation; every key becomes {@link MetricValue#of} (mean, seeded 95% bootstrap CI,
 * per class), a ratio key {@link MetricValue#ofRatio} (its CI also resamples the references).
 */
final class ReportAccumulator {

    private static final Logger log = LoggerFactory.getLogger(ReportAccumulator.class);

    private final EvaluationPlan plan;
    private final long seed;
    private final Map<String, Map<String, Values>> values = new LinkedHashMap<>();
    private final List<Integer> classes = new ArrayList<>();
    private int examples;
    private String nanOrigin;

    private final boolean labelMetrics;

    /** @param labelMetrics false: keys that compare predictions with labels are left out of the report */
    ReportAccumulator(EvaluationPlan plan, long seed, boolean labelMetrics) {
        this.labelMetrics = labelMetrics;
        this.plan = plan;
        this.seed = seed;
        plan.layers.forEach(l -> values.put(l, new LinkedHashMap<>()));
    }

    /** The examples seen so far. */
    int examples() {
        return examples;
    }

    /** Every metric's values for one chunk, appended after the chunks added before. */
    void add(ChunkSamples chunk) {
        chunk.layers().forEach((layer, samples) -> samples.forEach(s -> add(layer, s)));
        if (chunk.classes() != null) {
            for (int c : chunk.classes()) {
                classes.add(c);
            }
        }
        examples += chunk.size();
    }

    /**
     * The stopping check of a target precision, cheap enough to run after every chunk: true when
     * every key with values at every layer has a normal-approximation 95% half-width
     * 1.96·sd/√n at most {@code h} (sd the sample standard deviation, n − 1 in the denominator;
     * a normalized key's divided by the mean of its references). NaN values, or fewer than two,
     * are never precise. Keys that the report would show as n/a (not applicable; a normalized
     * key without references, or whose references average 0 while its values do not) are left
     * out, as the report's precision leaves them out.
     */
    boolean normalHalfWidthsAtMost(double h) {
        for (Map<String, Values> perKey : values.values()) {
            for (Values v : perKey.values()) {
                if (v.notApplicable != null) {
                    continue;
                }
                double hw = v.normalHalfWidth();
                if (!(hw <= h) && !Double.isInfinite(hw)) {
                    return false;
                }
            }
        }
        return true;
    }

    private void add(String layer, MetricSamples samples) {
        Map<String, Values> perKey = values.get(layer);
        samples.values().forEach((k, v) -> perKey.computeIfAbsent(k, z -> new Values()).add(v, samples.references().get(k)));
        samples.notApplicableKeys().forEach((k, reason) -> perKey.computeIfAbsent(k, z -> new Values()).notApplicable = reason);
        samples.perChannel().forEach((k, channels) -> perKey.computeIfAbsent(k, z -> new Values()).addChannels(channels));
    }

    /**
     * The report: every layer's keys in metric order, n/a where a metric does not apply. When
     * values are NaN, the first layer (network order) with a NaN value is named in the warnings
     * and in the settings ({@code nanFirstAt}): NaN spreads forward, so that is where it came from.
     */
    InvarianceReport report(Map<String, String> settings) {
        // Classes per example exist for [B, K] labels only (not per-time-step ones).
        int[] cls = plan.labelled && classes.size() == examples ? classes.stream().mapToInt(Integer::intValue).toArray() : null;
        nanOrigin = plan.layers.stream().filter(l -> values.get(l).values().stream().anyMatch(Values::hasNaN))
                .findFirst().orElse(null);
        if (nanOrigin != null) {
            settings.put("nanFirstAt", nanOrigin);
        }
        // Summaries (each a 1,000-resample bootstrap) are independent: compute them in parallel,
        // after the resample sums of every summarized key, formed in one pass per kind of draws.
        List<Runnable> tasks = new ArrayList<>();
        List<Values> summarized = new ArrayList<>();
        Map<double[], double[]> sums = new IdentityHashMap<>();
        Map<String, Map<String, MetricValue>> out = new LinkedHashMap<>();
        for (String key : plan.layers) {
            ProbedLayer layer = plan.info.get(key);
            Map<String, MetricValue> row = Collections.synchronizedMap(new LinkedHashMap<>());
            for (OrbitMetric m : plan.metrics) {
                if (!m.reportsAt(layer)) {
                    continue;
                }
                String reason = m.notApplicableReason(layer);
                for (MetricKey typed : m.metricKeys(layer)) {
                    if (!typed.reportedAt(layer) || (!labelMetrics && typed.needsLabels())) {
                        continue;
                    }
                    String k = typed.name();
                    Values v = values.get(key).get(k);
                    row.put(k, null);
                    if (reason == null && v != null && v.notApplicable == null) {
                        summarized.add(v);
                    }
                    tasks.add(() -> row.put(k, reason != null ? MetricValue.notApplicable(reason)
                            : v == null ? MetricValue.notApplicable("no value computed") : v.summarize(key, k, cls, sums)));
                }
            }
            out.put(key, row);
        }
        sums.putAll(ResampleSums.of(summarized.stream().map(v -> v.values).toList(), seed));
        sums.putAll(ResampleSums.of(summarized.stream().filter(v -> v.references != null).map(v -> v.references).toList(),
                seed ^ MetricValue.REFERENCE_DRAWS_SALT));
        tasks.parallelStream().forEach(Runnable::run);
        return new InvarianceReport(out, settings);
    }

    /** Per-example values (and ratio references) of one key at one layer. */
    private final class Values {
        private double[] values = new double[0];
        private double[] references;
        private String notApplicable;
        // Running moments (Welford) for the cheap stopping check.
        private long count;
        private double runningMean;
        private double m2;
        private boolean nan;
        private double referenceSum;
        private double referenceM2;

        /**
         * 1.96·sd/√n of the values; for a ratio key v̄/r̄ (r̄ the mean of S references) the
         * delta-method 1.96·√(var(v)/(n·r̄²) + v̄²·var(r)/(S·r̄⁴)), since the reported CI includes
         * the baseline sets' sampling. NaN when not yet measurable (NaN values, n &lt; 2 or
         * S &lt; 2); +∞ for a key the report would show as n/a.
         */
        double normalHalfWidth() {
            if (nan || count < 2) {
                return Double.NaN;
            }
            double varianceOfMean = m2 / (count - 1) / count;
            if (references == null) {
                return 1.96 * Math.sqrt(varianceOfMean);
            }
            int sets = references.length;
            if (sets == 0) {
                return Double.POSITIVE_INFINITY;
            }
            double r = referenceSum / sets;
            if (r == 0) {
                return m2 == 0 && runningMean == 0 ? 0 : Double.POSITIVE_INFINITY;
            }
            if (sets < 2) {
                return Double.NaN;
            }
            double referenceVarianceOfMean = referenceM2 / (sets - 1) / sets;
            return 1.96 * Math.sqrt(varianceOfMean / (r * r) + runningMean * runningMean * referenceVarianceOfMean / (r * r * r * r));
        }

        /** Per channel: the sum of its values and their count, over every chunk. */
        private double[] channelSums;
        private int channelCount;

        void addChannels(double[][] channels) {
            if (channelSums == null) {
                channelSums = new double[channels.length];
            }
            if (channels.length != channelSums.length) {
                throw new IllegalStateException("A layer's channel count changed between chunks: " + channelSums.length
                        + " then " + channels.length);
            }
            for (int c = 0; c < channels.length; c++) {
                for (double v : channels[c]) {
                    channelSums[c] += v;
                }
            }
            channelCount += channels.length == 0 ? 0 : channels[0].length;
        }

        boolean hasNaN() {
            return Arrays.stream(values).anyMatch(Double::isNaN);
        }

        void add(double[] v, double[] ref) {
            values = append(values, v);
            if (ref != null) {
                references = append(references == null ? new double[0] : references, ref);
                int before = references.length - ref.length;
                for (double r : ref) {
                    double meanBefore = before == 0 ? 0 : referenceSum / before;
                    referenceSum += r;
                    before++;
                    referenceM2 += (r - meanBefore) * (r - referenceSum / before);
                }
            }
            for (double x : v) {
                if (Double.isNaN(x)) {
                    nan = true;
                    continue;
                }
                count++;
                double d = x - runningMean;
                runningMean += d / count;
                m2 += d * (x - runningMean);
            }
        }

        /** @param sums resample sums of value and reference arrays, by identity ({@link ResampleSums}) */
        MetricValue summarize(String layer, String key, int[] classes, Map<double[], double[]> sums) {
            if (notApplicable != null) {
                return MetricValue.notApplicable(notApplicable);
            }
            double[] v = values;
            boolean ratio = false;
            if (references != null) {
                if (references.length == 0) {
                    return MetricValue.notApplicable(plan.sampleElements() > 0
                            ? "the distinct-input baseline needs chunks of at least k = " + plan.sampleElements() + " examples"
                            : "the distinct-input baseline needs chunks of at least |G| = " + plan.group.order() + " examples");
                }
                double mean = Arrays.stream(references).sum() / references.length;
                if (mean == 0) {
                    // 0/0: distinct inputs give identical features, so there is no scale. An orbit
                    // that does not spread either is exactly invariant (0); one that does has no
                    // normalized value.
                    boolean spread = Arrays.stream(values).anyMatch(x -> x != 0);
                    if (plan.group.order() > 1) {
                        log.warn("Layer '{}', metric '{}': the distinct-input baseline is 0 (every input gives the same "
                                + "features here, e.g. a dead layer); {}", layer, key,
                                spread ? "the normalized value is undefined" : "reported as 0, exactly invariant");
                    }
                    if (spread) {
                        return MetricValue.notApplicable("normalization undefined: the distinct-input baseline is 0 "
                                + "(every input gives the same features at this layer)");
                    }
                }
                v = Arrays.stream(values).map(x -> x == 0 ? 0 : x / mean).toArray();
                ratio = mean != 0;
            }
            if (Arrays.stream(v).anyMatch(Double::isNaN)) {
                log.warn("Layer '{}', metric '{}': NaN values; NaN or infinite activations first appear at layer '{}'",
                        layer, key, nanOrigin);
            }
            // A ratio's CI includes the sampling of its baseline sets (0/0 above: exactly 0, no ratio).
            MetricValue summary = ratio
                    ? MetricValue.ofRatio(values, references, classes, seed, sums.get(values), sums.get(references))
                    : MetricValue.of(v, classes, seed, sums.get(v));
            if (channelSums != null && channelCount > 0) {
                double[] means = Arrays.stream(channelSums).map(x -> x / channelCount).toArray();
                summary = summary.withPerChannel(means);
            }
            return summary;
        }
    }

    private static double[] append(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
