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
 * the softmax of the output. The mean over x is reported as {@link MetricKeys#PREDICTION_KL}.
 */
public final class PredictionInvariance implements OrbitMetric {

    @Override
    public String describe() {
        return MetricKeys.PREDICTION_KL;
    }

    @Override
    public boolean reportsAt(ProbedLayer layer) {
        return layer.isOutput();
    }

    @Override
    public List<String> keys(ProbedLayer layer) {
        return List.of(MetricKeys.PREDICTION_KL);
    }

    @Override
    public Set<OrbitStatistic> statistics(ProbedLayer layer) {
        return EnumSet.of(OrbitStatistic.FEATURES);
    }

    @Override
    public MetricSamples compute(OrbitActivations o) {
        double[] values = new double[o.examples()];
        for (int b = 0; b < values.length; b++) {
            values[b] = Centroids.meanDistance(Distance.KL, InvarianceDeviation.orbitProbabilities(o, b));
        }
        return new MetricSamples().put(MetricKeys.PREDICTION_KL, values);
    }
}
