package org.dl4jinvariance.metric;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How far a layer's features move within an orbit:
 * <pre>
 *   invariance(x) = (1/|G|) Σ_g m(f(g·x), c(x)),   c(x) = (1/|G|) Σ_h f(h·x)
 * </pre>
 * reported as the mean over examples x ({@link #KEY}), and normalized by the
 * same formula on sets of |G| distinct untransformed inputs in place of an orbit
 * ({@link #NORMALIZED_KEY}: 0 = invariant, ≈ 1 = the orbit is as spread as
 * unrelated inputs). With {@link Distance#KL} the features are class probabilities, so KL
 * applies at the output layer only.
 */
public final class InvarianceDeviation implements OrbitMetric {

    /** {@link MetricKeys#INVARIANCE}: lower is better, every layer. */
    public static final MetricKey KEY = new MetricKey(MetricKeys.INVARIANCE, MetricKey.Direction.LOWER_IS_BETTER,
            MetricKey.Scope.EVERY_LAYER);
    /** {@link MetricKeys#INVARIANCE_NORMALIZED}: lower is better (0 = invariant), every layer. */
    public static final MetricKey NORMALIZED_KEY = KEY.normalized();
    /** What {@link #KEY} means, for report glossaries. */
    public static final MetricGlossary GLOSSARY = new MetricGlossary(KEY,
            "mean over x and g of m(f(g·x), c(x)), c(x) = mean over h of f(h·x): how far orbit members lie from "
                    + "their centroid", "[0, 2] for the cosine distance; 0 = invariant");
    /** What {@link #NORMALIZED_KEY} means. */
    public static final MetricGlossary NORMALIZED_GLOSSARY = GLOSSARY.normalized(
            "≥ 0; 0 = invariant, ≈ 1 = an orbit is as spread as unrelated inputs");

    private final Distance distance;

    public InvarianceDeviation(Distance distance) {
        if (distance == null) {
            throw new IllegalArgumentException("InvarianceDeviation needs a distance, got null");
        }
        this.distance = distance;
    }

    public Distance distance() {
        return distance;
    }

    @Override
    public String describe() {
        return KEY.name() + "(" + distance + ")";
    }

    @Override
    public List<MetricKey> metricKeys(ProbedLayer layer) {
        return List.of(KEY, NORMALIZED_KEY);
    }

    @Override
    public String notApplicableReason(ProbedLayer layer) {
        return distance == Distance.KL && !layer.isOutput()
                ? "KL distance compares class probabilities; it applies at the output layer only" : null;
    }

    @Override
    public Set<OrbitStatistic> statistics(ProbedLayer layer) {
        return distance.usesInnerProducts() ? EnumSet.of(OrbitStatistic.GRAM, OrbitStatistic.BASELINE_GRAM)
                : EnumSet.of(OrbitStatistic.FEATURES);
    }

    /** True: the plug-in value on the k sampled members (see {@link EvaluatorSettings#sampleElements}). */
    @Override
    public boolean supportsSampledElements() {
        return true;
    }

    @Override
    public MetricSamples compute(OrbitActivations o) {
        String notOne = distance.usesInnerProducts() ? null : o.notOneDistributionReason();
        if (notOne != null) {
            String reason = "the KL distance compares one class distribution per example: " + notOne;
            return new MetricSamples().notApplicable(KEY, reason).notApplicable(NORMALIZED_KEY, reason);
        }
        int n = o.members();
        double[] values = new double[o.examples()];
        double[] baseline = new double[o.sets()];
        for (int b = 0; b < values.length; b++) {
            final int x = b;
            values[b] = distance.usesInnerProducts()
                    ? Centroids.meanDistance(distance, (g, h) -> o.inner(x, g, h), n)
                    : Centroids.meanDistance(distance, orbitProbabilities(o, x));
        }
        for (int s = 0; s < baseline.length; s++) {
            final int set = s;
            baseline[s] = distance.usesInnerProducts()
                    ? Centroids.meanDistance(distance, (j, k) -> o.baselineInner(set, j, k), n)
                    : Centroids.meanDistance(distance, setProbabilities(o, set));
        }
        return new MetricSamples().put(KEY, values).putRatio(NORMALIZED_KEY, values, baseline);
    }

    static double[][] orbitProbabilities(OrbitActivations o, int b) {
        double[][] p = new double[o.members()][];
        for (int g = 0; g < p.length; g++) {
            p[g] = o.probabilities(g, b);
        }
        return p;
    }

    static double[][] setProbabilities(OrbitActivations o, int s) {
        int n = o.members();
        int e = o.identityMember();
        double[][] p = new double[n][];
        for (int j = 0; j < n; j++) {
            p[j] = o.probabilities(e, s * n + j);
        }
        return p;
    }
}
