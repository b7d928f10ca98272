package org.dl4jinvariance.listeners.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Optional;
import org.dl4jinvariance.metric.MetricKey;
import org.dl4jinvariance.metric.MetricValue;

/**
 * How report tables and charts write a metric's value: {@code mean [ciLow, ciHigh]} with four
 * significant digits, {@value #EXACT} for a lower-is-better value (a deviation, 0 = invariant)
 * whose mean and CI lie within float round-off ({@link MetricValue#isExactZero()}), {@code n/a}
 * where the metric does not apply.
 */
public final class ValueFormat {

    /** The label of a value that is zero up to float round-off. */
    public static final String EXACT = "exact (≤ 1e-8)";

    private ValueFormat() {
    }

    /** The typed key of a report key, or empty for keys of users' own metrics. */
    public static Optional<MetricKey> key(String name) {
        try {
            return Optional.of(MetricKey.of(name));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    /**
     * True when {@code v} of metric {@code key} reads as exact: lower is better (0 is the ideal, so
     * round-off around it is not a trend) and {@link MetricValue#isExactZero()}.
     */
    public static boolean isExact(String key, MetricValue v) {
        return v != null && v.isExactZero() && key(key).map(k -> !k.higherIsBetter()).orElse(false);
    }

    /** A table cell for {@code v} of {@code key}: {@code n/a}, {@value #EXACT} or {@code mean [low, high]}. */
    public static String cell(String key, MetricValue v) {
        if (v == null || !v.isApplicable()) {
            return "n/a";
        }
        if (isExact(key, v)) {
            return EXACT;
        }
        return number(v.mean()) + " [" + number(v.ciLow()) + ", " + number(v.ciHigh()) + "]";
    }

    /** Four significant digits, plain notation from 1e-3 to 1e6, scientific outside; NaN as NaN. */
    public static String number(double x) {
        if (!Double.isFinite(x)) {
            return Double.toString(x);
        }
        if (x == 0) {
            return "0";
        }
        double a = Math.abs(x);
        if (a < 1e-3 || a >= 1e6) {
            return String.format(Locale.ROOT, "%.3e", x);
        }
        return new BigDecimal(x).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
