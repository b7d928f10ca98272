package org.dl4jinvariance.metric;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How far a layer is from commuting with the group:
 * <pre>
 *   equivariance(x) = (1/|G|) Σ_g m(f(g·x), ρ(g)·f(x))
 * </pre>
 * where ρ is the layer's {@link org.dl4jinvariance.field.FieldType}: declared by layers that
 * implement {@link org.dl4jinvariance.field.EquivariantLayer}, {@code spatial(G)} for plain
 * convolution/pooling/batch-norm feature maps under image rotations, or given per layer by the
 * user. Reported as the mean over x ({@link #KEY}) and normalized by the
 * same formula on sets of |G| distinct inputs, member g in the place of g·x and member e in the
 * place of x ({@link #NORMALIZED_KEY}). Not applicable where ρ is unknown.
 */
public final class EquivarianceDeviation implements OrbitMetric {

    /** {@link MetricKeys#EQUIVARIANCE}: lower is better, every layer (not applicable where ρ is unknown). */
    public static final MetricKey KEY = new MetricKey(MetricKeys.EQUIVARIANCE, MetricKey.Direction.LOWER_IS_BETTER,
            MetricKey.Scope.EVERY_LAYER);
    /** {@link MetricKeys#EQUIVARIANCE_NORMALIZED}: lower is better (0 = equivariant), every layer. */
    public static final MetricKey NORMALIZED_KEY = KEY.normalized();
    /** What {@link #KEY} means, for report glossaries. */
    public static final MetricGlossary GLOSSARY = new MetricGlossary(KEY,
            "mean over x and g of m(f(g·x), ρ(g)·f(x)), ρ the layer's field type: how far the layer is from "
                    + "commuting with the group", "[0, 2] for the cosine distance; 0 = equivariant; n/a where ρ is unknown");
    /** What {@link #NORMALIZED_KEY} means. */
    public static final MetricGlossary NORMALIZED_GLOSSARY = GLOSSARY.normalized(
            "≥ 0; 0 = equivariant, ≈ 1 = as far off as unrelated inputs");

    private final Distance distance;

    public EquivarianceDeviation(Distance distance) {
        if (distance == null) {
            throw new IllegalArgumentException("EquivarianceDeviation needs a distance, got null");
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
        if (!distance.usesInnerProducts()) {
            return "equivariance compares feature maps; the KL distance applies to class probabilities only";
        }
        return layer.field() == null ? layer.fieldReason() : null;
    }

    @Override
    public Set<OrbitStatistic> statistics(ProbedLayer layer) {
        return EnumSet.of(OrbitStatistic.GRAM, OrbitStatistic.BASELINE_GRAM, OrbitStatistic.EQUIVARIANCE);
    }

    /** True: an unbiased estimate from the k sampled members (see {@link #meanOverGroup}). */
    @Override
    public boolean supportsSampledElements() {
        return true;
    }

    /**
     * (1/|G|) Σ_g t_g from the terms of an orbit's members: their mean over the whole orbit, or,
     * for k sampled members (member 0 the identity, the others a uniform draw of k − 1 of the
     * |G| − 1 others), the unbiased (1/|G|)·(t_e + (|G| − 1)/(k − 1)·Σ_{j≥1} t_j).
     */
    static double meanOverGroup(OrbitActivations o, double[] terms) {
        int k = o.members();
        if (!o.sampled()) {
            double sum = 0;
            for (int g = 0; g < k; g++) {
                sum += terms[g];
            }
            return sum / k;
        }
        int order = o.group().order();
        double others = 0;
        for (int j = 1; j < k; j++) {
            others += terms[j];
        }
        return (terms[0] + (order - 1) * others / (k - 1)) / order;
    }

    @Override
    public MetricSamples compute(OrbitActivations o) {
        if (!o.hasEquivariance()) {
            String reason = o.equivarianceReason();
            return new MetricSamples().notApplicable(KEY, reason).notApplicable(NORMALIZED_KEY, reason);
        }
        int n = o.members();
        double[] values = new double[o.examples()];
        double[] terms = new double[n];
        for (int b = 0; b < values.length; b++) {
            for (int g = 0; g < n; g++) {
                terms[g] = distance.fromInnerProducts(o.inner(b, g, g), o.transformedNormSq(b, g), o.equivarianceInner(b, g));
            }
            values[b] = meanOverGroup(o, terms);
        }
        double[] baseline = new double[o.sets()];
        for (int s = 0; s < baseline.length; s++) {
            for (int g = 0; g < n; g++) {
                terms[g] = distance.fromInnerProducts(o.baselineInner(s, g, g), o.baselineTransformedNormSq(s, g),
                        o.baselineEquivarianceInner(s, g));
            }
            baseline[s] = meanOverGroup(o, terms);
        }
        return new MetricSamples().put(KEY, values).putRatio(NORMALIZED_KEY, values, baseline);
    }
}
