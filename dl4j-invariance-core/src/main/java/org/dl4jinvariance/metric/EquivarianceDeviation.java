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
 * user. Reported as the mean over x ({@link MetricKeys#EQUIVARIANCE}) and normalized by the
 * same formula on sets of |G| distinct inputs, member g in the place of g·x and member 0 in the
 * place of x ({@link MetricKeys#EQUIVARIANCE_NORMALIZED}). Not applicable where ρ is unknown.
 */
public final class EquivarianceDeviation implements OrbitMetric {

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
        return MetricKeys.EQUIVARIANCE + "(" + distance + ")";
    }

    @Override
    public List<String> keys(ProbedLayer layer) {
        return List.of(MetricKeys.EQUIVARIANCE, MetricKeys.EQUIVARIANCE_NORMALIZED);
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

    @Override
    public MetricSamples compute(OrbitActivations o) {
        if (!o.hasEquivariance()) {
            String reason = o.equivarianceReason();
            return new MetricSamples().notApplicable(MetricKeys.EQUIVARIANCE, reason)
                    .notApplicable(MetricKeys.EQUIVARIANCE_NORMALIZED, reason);
        }
        int n = o.group().order();
        double[] values = new double[o.examples()];
        for (int b = 0; b < values.length; b++) {
            double sum = 0;
            for (int g = 0; g < n; g++) {
                sum += distance.fromInnerProducts(o.inner(b, g, g), o.transformedNormSq(b, g), o.equivarianceInner(b, g));
            }
            values[b] = sum / n;
        }
        double[] baseline = new double[o.sets()];
        for (int s = 0; s < baseline.length; s++) {
            double sum = 0;
            for (int g = 0; g < n; g++) {
                sum += distance.fromInnerProducts(o.baselineInner(s, g, g), o.baselineTransformedNormSq(s, g),
                        o.baselineEquivarianceInner(s, g));
            }
            baseline[s] = sum / n;
        }
        return new MetricSamples().put(MetricKeys.EQUIVARIANCE, values)
                .putRatio(MetricKeys.EQUIVARIANCE_NORMALIZED, values, baseline);
    }
}
