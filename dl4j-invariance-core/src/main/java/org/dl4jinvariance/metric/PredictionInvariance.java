package org.dl4jinvariance.metric;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How much the predicted class distribution moves within an orbit (output layer only):
 * <pre>
 *   predictionKL(x) = (1/|G|) Σ_g KL(p(g·x) ‖ p̄(x)),   p̄(x) = (1/|G|) Σ_h p(h·x)
 * </pre>
 * p the class probabilities: the output itself when the output layer applies softmax, else
 * the softmax of the output. The mean over x is reported as {@link #KEY}.
 */
public final class PredictionInvariance implements OrbitMetric {

    /** {@link MetricKeys#PREDICTION_KL}: lower is better, output layer only. */
    public static final MetricKey KEY = new MetricKey(MetricKeys.PREDICTION_KL, MetricKey.Direction.LOWER_IS_BETTER,
            MetricKey.Scope.OUTPUT_ONLY);
    /** What {@link #KEY} means, for report glossaries. */
    public static final MetricGlossary GLOSSARY = new MetricGlossary(KEY,
            "mean over x and g of KL(p(g·x) ‖ p̄(x)), p̄(x) the orbit's mean class distribution (output layer)",
            "[0, log K] nats for K classes; 0 = the prediction does not move within an orbit");

    @Override
    public String describe() {
        return KEY.name();
    }

    @Override
    public List<MetricKey> metricKeys(ProbedLayer layer) {
        return List.of(KEY);
    }

    @Override
    public Set<OrbitStatistic> statistics(ProbedLayer layer) {
        return EnumSet.of(OrbitStatistic.FEATURES);
    }

    /** True: the plug-in value on the k sampled members (see {@link EvaluatorSettings#sampleElements}). */
    @Override
    public boolean supportsSampledElements() {
        return true;
    }

    @Override
    public MetricSamples compute(OrbitActivations o) {
        String notOne = o.notOneDistributionReason();
        if (notOne != null) {
            return new MetricSamples().notApplicable(KEY, "prediction KL compares one class distribution per example: "
                    + notOne);
        }
        double[] values = new double[o.examples()];
        for (int b = 0; b < values.length; b++) {
            values[b] = Centroids.meanDistance(Distance.KL, InvarianceDeviation.orbitProbabilities(o, b));
        }
        return new MetricSamples().put(KEY, values);
    }
}
