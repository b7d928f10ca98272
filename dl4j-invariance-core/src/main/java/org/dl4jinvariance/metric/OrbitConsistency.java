package org.dl4jinvariance.metric;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Whether the top-1 prediction survives the group action, beside accuracy (output layer only):
 * <pre>
 *   consistency(x)   = (1/|G|) Σ_g [argmax p(g·x) = argmax p(x)]
 *   accuracy(x)      = (1/|G|) Σ_g [argmax p(g·x) = y(x)]
 *   accuracy[g](x)   = [argmax p(g·x) = y(x)]            (one key per group element)
 * </pre>
 * Needs class labels y. Keys {@link MetricKeys#CONSISTENCY}, {@link MetricKeys#ACCURACY},
 * {@link MetricKeys#accuracyOf(String)} with the group's element names.
 */
public final class OrbitConsistency implements OrbitMetric {

    @Override
    public String describe() {
        return MetricKeys.CONSISTENCY;
    }

    @Override
    public boolean reportsAt(ProbedLayer layer) {
        return layer.isOutput();
    }

    @Override
    public boolean needsLabels() {
        return true;
    }

    @Override
    public List<String> keys(ProbedLayer layer) {
        List<String> keys = new ArrayList<>(List.of(MetricKeys.CONSISTENCY, MetricKeys.ACCURACY));
        for (int g = 0; g < layer.group().order(); g++) {
            keys.add(MetricKeys.accuracyOf(layer.group().elementName(g)));
        }
        return keys;
    }

    @Override
    public Set<OrbitStatistic> statistics(ProbedLayer layer) {
        return EnumSet.of(OrbitStatistic.FEATURES);
    }

    @Override
    public MetricSamples compute(OrbitActivations o) {
        int[] y = o.classes();
        if (y == null) {
            throw new IllegalArgumentException("OrbitConsistency needs class labels, but the data set has none (labels = null)");
        }
        int n = o.group().order();
        int e = o.group().identity();
        int examples = o.examples();
        double[] consistency = new double[examples];
        double[] accuracy = new double[examples];
        double[][] perElement = new double[n][examples];
        for (int b = 0; b < examples; b++) {
            int reference = argmax(o.features(e, b));
            int agree = 0;
            int correct = 0;
            boolean nan = reference < 0;
            for (int g = 0; g < n; g++) {
                int top = argmax(o.features(g, b));
                nan |= top < 0;
                agree += top == reference ? 1 : 0;
                correct += top == y[b] ? 1 : 0;
                perElement[g][b] = top < 0 ? Double.NaN : top == y[b] ? 1 : 0;
            }
            consistency[b] = nan ? Double.NaN : agree / (double) n;
            accuracy[b] = nan ? Double.NaN : correct / (double) n;
        }
        MetricSamples out = new MetricSamples().put(MetricKeys.CONSISTENCY, consistency).put(MetricKeys.ACCURACY, accuracy);
        for (int g = 0; g < n; g++) {
            out.put(MetricKeys.accuracyOf(o.group().elementName(g)), perElement[g]);
        }
        return out;
    }

    /** Index of the largest entry (softmax keeps the order, so raw outputs do), or −1 with NaN. */
    static int argmax(double[] v) {
        int best = 0;
        for (int k = 0; k < v.length; k++) {
            if (Double.isNaN(v[k])) {
                return -1;
            }
            if (v[k] > v[best]) {
                best = k;
            }
        }
        return best;
    }
}
