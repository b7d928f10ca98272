package org.dl4jinvariance.metric;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * One metric at one layer: the mean of its per-example values, a 95% percentile-bootstrap
 * confidence interval of that mean (fixed seed, so reports repeat), the number of examples n,
 * and the mean per class. A value can also be "not applicable" (e.g. equivariance at a layer
 * with no known field type), which carries a reason instead of numbers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class MetricValue {

    /**
     * Float precision: a deviation whose mean and CI all lie within ±{@value} is exact up to
     * round-off (float32 activations carry about 7 significant digits), see {@link #isExactZero()}.
     */
    public static final double EXACT_THRESHOLD = 1e-8;

    /** Bootstrap resamples used for the confidence interval. */
    public static final int BOOTSTRAP_RESAMPLES = 1000;

    private final double mean;
    private final double ciLow;
    private final double ciHigh;
    private final int n;
    private final Map<Integer, Double> perClass;
    private final Map<Integer, Integer> perClassCount;
    private final String notApplicable;
    private final java.util.List<Double> perChannel;

    /** A value without per-channel means (see the full constructor). */
    public MetricValue(double mean, double ciLow, double ciHigh, int n, Map<Integer, Double> perClass,
                       Map<Integer, Integer> perClassCount, String notApplicable) {
        this(mean, ciLow, ciHigh, n, perClass, perClassCount, notApplicable, null);
    }

    /** @param perChannel the mean per channel for per-channel metrics ({@link ChannelInvariance}), else null */
    @JsonCreator
    public MetricValue(@JsonProperty("mean") double mean, @JsonProperty("ciLow") double ciLow,
                       @JsonProperty("ciHigh") double ciHigh, @JsonProperty("n") int n,
                       @JsonProperty("perClass") Map<Integer, Double> perClass,
                       @JsonProperty("perClassCount") Map<Integer, Integer> perClassCount,
                       @JsonProperty("notApplicable") String notApplicable,
                       @JsonProperty("perChannel") java.util.List<Double> perChannel) {
        this.perChannel = perChannel == null || perChannel.isEmpty() ? null : java.util.List.copyOf(perChannel);
        this.mean = mean;
        this.ciLow = ciLow;
        this.ciHigh = ciHigh;
        this.n = n;
        this.perClass = perClass == null ? Collections.emptyMap() : Collections.unmodifiableMap(new TreeMap<>(perClass));
        this.perClassCount = perClassCount == null ? Collections.emptyMap()
                : Collections.unmodifiableMap(new TreeMap<>(perClassCount));
        this.notApplicable = notApplicable;
    }

    /**
     * Summarizes per-example values: mean, 95% percentile bootstrap CI of the mean
     * ({@link #BOOTSTRAP_RESAMPLES} resamples drawn with {@code seed}), per-class means.
     *
     * @param values  one value per example (NaN propagates to the mean and CI)
     * @param classes the class of each example, or null when labels are unknown
     */
    public static MetricValue of(double[] values, int[] classes, long seed) {
        return of(values, classes, seed, null);
    }

    /**
     * {@link #of(double[], int[], long)} with the values' resample sums already computed for
     * this seed ({@link ResampleSums}, which sums a report's keys together), or null to sum here.
     */
    static MetricValue of(double[] values, int[] classes, long seed, double[] resampleSums) {
        checkValues(values, classes);
        return withInterval(values, classes, bootstrap(values, seed, resampleSums));
    }

    private static void checkValues(double[] values, int[] classes) {
        if (values.length == 0) {
            throw new IllegalArgumentException("A metric needs at least one example, got 0 values");
        }
        if (classes != null && classes.length != values.length) {
            throw new IllegalArgumentException("Got " + values.length + " values but " + classes.length + " class labels");
        }
    }

    /** Mean and per-class means of {@code values}, with the interval {@code ci} = {low, high}. */
    private static MetricValue withInterval(double[] values, int[] classes, double[] ci) {
        double mean = mean(values);
        Map<Integer, Double> sums = new TreeMap<>();
        Map<Integer, Integer> counts = new TreeMap<>();
        if (classes != null) {
            for (int i = 0; i < values.length; i++) {
                sums.merge(classes[i], values[i], Double::sum);
                counts.merge(classes[i], 1, Integer::sum);
            }
            sums.replaceAll((c, s) -> s / counts.get(c));
        }
        return new MetricValue(mean, ci[0], ci[1], values.length, sums, counts, null);
    }

    /**
     * Summarizes a normalized (ratio) metric: example x's value is {@code values[x] / r̄}, r̄ the
     * mean of the distinct-input {@code references} (one per baseline set). The mean and per-class
     * means are those of {@link #of} on values[x]/r̄; the 95% percentile-bootstrap CI is that of
     * the ratio of means mean(values*) / mean(references*), each resample drawing the n values
     * (the same draws as {@link #of}) and the S references independently, so the interval
     * includes the sampling of the baseline sets, not only that of the examples (r̄ is itself
     * an estimate from S random sets; treating it as exact understated the CI).
     *
     * @param values     the unnormalized per-example values (NaN propagates)
     * @param references the per-set reference values, at least one, mean ≠ 0
     * @throws IllegalArgumentException for no references or references averaging 0
     */
    public static MetricValue ofRatio(double[] values, double[] references, int[] classes, long seed) {
        return ofRatio(values, references, classes, seed, null, null);
    }

    /**
     * {@link #ofRatio(double[], double[], int[], long)} with the resample sums of the values
     * (seed) and of the references (seed ^ {@link #REFERENCE_DRAWS_SALT}) already computed
     * ({@link ResampleSums}), or null to sum here.
     */
    static MetricValue ofRatio(double[] values, double[] references, int[] classes, long seed, double[] valueSums,
            double[] referenceSums) {
        if (references.length == 0) {
            throw new IllegalArgumentException("A normalized metric needs at least one reference value, got 0");
        }
        double r = Arrays.stream(references).sum() / references.length;    // as the report always divided
        if (r == 0) {
            throw new IllegalArgumentException("A normalized metric needs references with a mean other than 0, got 0 "
                    + "from " + references.length + " references");
        }
        checkValues(values, classes);
        double[] normalized = Arrays.stream(values).map(x -> x == 0 ? 0 : x / r).toArray();
        double mean = mean(normalized);
        int n = values.length;
        int s = references.length;
        double[] ratios = valueSums != null ? valueSums.clone() : ResampleSums.of(values, seed);
        // the references' draws come from their own stream: rows of s draws from new Random(seed ^ salt)
        double[] refSums = referenceSums != null ? referenceSums : ResampleSums.of(references, seed ^ REFERENCE_DRAWS_SALT);
        for (int b = 0; b < BOOTSTRAP_RESAMPLES; b++) {
            ratios[b] = (ratios[b] / n) / (refSums[b] / s);
        }
        Arrays.sort(ratios);
        double low = ratios[(int) Math.floor(0.025 * (BOOTSTRAP_RESAMPLES - 1))];
        double high = ratios[(int) Math.ceil(0.975 * (BOOTSTRAP_RESAMPLES - 1))];
        // The interval of the ratio of means replaces the values-only one, so that one is never drawn.
        return withInterval(normalized, classes, new double[] {Math.min(low, mean), Math.max(high, mean)});
    }

    /** Salt of the references' resample stream in {@link #ofRatio} (package-private for its test). */
    static final long REFERENCE_DRAWS_SALT = 0x2EFE2E9CE5L;

    /** The same value with the mean of each channel (channel order of the layer's output). */
    public MetricValue withPerChannel(double[] channelMeans) {
        return new MetricValue(mean, ciLow, ciHigh, n, perClass, perClassCount, notApplicable,
                Arrays.stream(channelMeans).boxed().toList());
    }

    /** Mean per channel, for per-channel metrics; empty otherwise. */
    @JsonProperty
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public java.util.List<Double> perChannel() {
        return perChannel == null ? java.util.List.of() : perChannel;
    }

    /** A metric that has no meaning here; {@code reason} says why. */
    public static MetricValue notApplicable(String reason) {
        return new MetricValue(Double.NaN, Double.NaN, Double.NaN, 0, null, null, reason);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double[] bootstrap(double[] values, long seed, double[] resampleSums) {
        int n = values.length;
        if (n == 1) {
            return new double[] {values[0], values[0]};
        }
        double[] means = resampleSums != null ? resampleSums.clone() : ResampleSums.of(values, seed);
        for (int b = 0; b < BOOTSTRAP_RESAMPLES; b++) {
            means[b] /= n;
        }
        Arrays.sort(means);
        // Percentile interval [2.5%, 97.5%]; the sample mean always lies inside it.
        double low = means[(int) Math.floor(0.025 * (BOOTSTRAP_RESAMPLES - 1))];
        double high = means[(int) Math.ceil(0.975 * (BOOTSTRAP_RESAMPLES - 1))];
        double m = mean(values);
        return new double[] {Math.min(low, m), Math.max(high, m)};
    }

    @JsonProperty
    public double mean() {
        return mean;
    }

    @JsonProperty
    public double ciLow() {
        return ciLow;
    }

    @JsonProperty
    public double ciHigh() {
        return ciHigh;
    }

    /** Number of examples the value summarizes. */
    @JsonProperty
    public int n() {
        return n;
    }

    /** Mean per class label (empty when labels were not known). */
    @JsonProperty
    public Map<Integer, Double> perClass() {
        return perClass;
    }

    /** Examples per class label; the counts sum to n. */
    @JsonProperty
    public Map<Integer, Integer> perClassCount() {
        return perClassCount;
    }

    /** Why the metric does not apply, or null when it does. */
    @JsonProperty
    public String notApplicable() {
        return notApplicable;
    }

    @JsonIgnore
    public boolean isApplicable() {
        return notApplicable == null;
    }

    /**
     * True when the value is applicable and its mean and CI bounds all lie within
     * ±{@link #EXACT_THRESHOLD}: for a deviation (0 = invariant), zero up to float round-off.
     */
    @JsonIgnore
    public boolean isExactZero() {
        return isApplicable() && Math.abs(mean) <= EXACT_THRESHOLD && Math.abs(ciLow) <= EXACT_THRESHOLD
                && Math.abs(ciHigh) <= EXACT_THRESHOLD;
    }

    /** {@code 0.1234 [0.1100, 0.1350]}, or {@code n/a}. */
    public String format() {
        if (!isApplicable()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", mean, ciLow, ciHigh);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MetricValue m)) {
            return false;
        }
        return Double.compare(mean, m.mean) == 0 && Double.compare(ciLow, m.ciLow) == 0
                && Double.compare(ciHigh, m.ciHigh) == 0 && n == m.n && perClass.equals(m.perClass)
                && perClassCount.equals(m.perClassCount) && java.util.Objects.equals(notApplicable, m.notApplicable)
                && perChannel().equals(m.perChannel());
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(mean, ciLow, ciHigh, n, perClass, perClassCount, notApplicable);
    }

    @Override
    public String toString() {
        return isApplicable() ? format() + " (n=" + n + ")" : "n/a (" + notApplicable + ")";
    }
}
