package org.dl4jinvariance.metric;

import java.util.Map;
import java.util.Optional;

/**
 * How precise a report made with {@link EvaluatorSettings#targetPrecision(double)} is: the
 * target half-width h, whether every metric value met it, the examples evaluated n, and the
 * largest 95% CI half-width of the report with where it is. The half-width of a value is
 * (ciHigh − ciLow)/2 of its seeded bootstrap CI, the interval the report shows; the largest is
 * taken over every applicable value at every layer (n/a values excluded), NaN counting as
 * larger than any target.
 *
 * @param target           h, the requested largest half-width
 * @param met              true when every value's half-width is at most h
 * @param n                the examples the report summarizes
 * @param largestHalfWidth the largest half-width (NaN when some value is NaN)
 * @param layer            the layer of the largest half-width
 * @param metric           the metric key of the largest half-width
 */
public record Precision(double target, boolean met, int n, double largestHalfWidth, String layer, String metric) {

    static final String TARGET = "targetPrecision";
    static final String MET = "precisionMet";
    static final String LARGEST = "largestHalfWidth";
    static final String LARGEST_LAYER = "largestHalfWidthLayer";
    static final String LARGEST_METRIC = "largestHalfWidthMetric";

    /** The half-width (ciHigh − ciLow)/2 of one value's CI. */
    public static double halfWidth(MetricValue v) {
        return (v.ciHigh() - v.ciLow()) / 2;
    }

    /** The precision of the values of a report of n examples against target h. */
    static Precision of(Map<String, Map<String, MetricValue>> values, int n, double target) {
        double largest = Double.NEGATIVE_INFINITY;
        String layer = null;
        String metric = null;
        for (Map.Entry<String, Map<String, MetricValue>> row : values.entrySet()) {
            for (Map.Entry<String, MetricValue> cell : row.getValue().entrySet()) {
                MetricValue v = cell.getValue();
                if (v == null || !v.isApplicable()) {
                    continue;
                }
                double hw = halfWidth(v);
                // NaN is larger than anything: once seen it stays the largest.
                boolean larger = layer == null || (!Double.isNaN(largest) && (Double.isNaN(hw) || hw > largest));
                if (larger) {
                    largest = hw;
                    layer = row.getKey();
                    metric = cell.getKey();
                }
            }
        }
        if (layer == null) {
            return new Precision(target, false, n, Double.NaN, "", "");
        }
        return new Precision(target, largest <= target, n, largest, layer, metric);
    }

    /** Writes this precision into report settings. */
    void into(Map<String, String> settings) {
        settings.put(TARGET, String.valueOf(target));
        settings.put(MET, String.valueOf(met));
        settings.put(LARGEST, String.valueOf(largestHalfWidth));
        settings.put(LARGEST_LAYER, layer);
        settings.put(LARGEST_METRIC, metric);
    }

    /** The precision recorded in a report's settings, or empty when the report had no target. */
    static Optional<Precision> from(Map<String, String> settings) {
        String target = settings.get(TARGET);
        if (target == null || !settings.containsKey(MET)) {
            return Optional.empty();
        }
        return Optional.of(new Precision(Double.parseDouble(target), Boolean.parseBoolean(settings.get(MET)),
                Integer.parseInt(settings.get("n")), Double.parseDouble(settings.get(LARGEST)),
                settings.getOrDefault(LARGEST_LAYER, ""), settings.getOrDefault(LARGEST_METRIC, "")));
    }
}
