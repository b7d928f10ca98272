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
 * Keys {@link #CONSISTENCY_KEY}, {@link #ACCURACY_KEY}, {@link #accuracyKey(String)} with the
 * group's element names; all higher-is-better. The accuracy keys need class labels y;
 * consistency does not, so on unlabelled data it is reported alone.
 */
public final class OrbitConsistency implements OrbitMetric {

    /** {@link MetricKeys#CONSISTENCY}: higher is better, output layer only (agreement with x needs no label). */
    public static final MetricKey CONSISTENCY_KEY = new MetricKey(MetricKeys.CONSISTENCY,
            MetricKey.Direction.HIGHER_IS_BETTER, MetricKey.Scope.OUTPUT_ONLY);
    /** {@link MetricKeys#ACCURACY}: higher is better, output layer only, needs labels. */
    public static final MetricKey ACCURACY_KEY = new MetricKey(MetricKeys.ACCURACY,
            MetricKey.Direction.HIGHER_IS_BETTER, MetricKey.Scope.NEEDS_LABELS);
    /** What {@link #CONSISTENCY_KEY} means, for report glossaries. */
    public static final MetricGlossary GLOSSARY = new MetricGlossary(CONSISTENCY_KEY,
            "fraction of (x, g) with argmax p(g·x) = argmax p(x) (output layer; needs no labels)",
            "[0, 1]; 1 = the top-1 class never changes within an orbit");
    /** What {@link #ACCURACY_KEY} means. */
    public static final MetricGlossary ACCURACY_GLOSSARY = new MetricGlossary(ACCURACY_KEY,
            "fraction of (x, g) with argmax p(g·x) = y(x), over the whole orbit (needs the data's own labels)",
            "[0, 1]; 1 = every transformed input is classified correctly");

    /** What {@code accuracy[element]} means. */
    public static MetricGlossary accuracyGlossary(String elementName) {
        return new MetricGlossary(accuracyKey(elementName), "fraction of x with argmax p(" + elementName + "·x) = y(x) "
                + "(needs the data's own labels)", "[0, 1]; 1 = every input transformed by " + elementName
                + " is classified correctly");
    }

    /** {@link MetricKeys#accuracyOf(String)}: accuracy on g·x for one element; like {@link #ACCURACY_KEY}. */
    public static MetricKey accuracyKey(String elementName) {
        if (elementName == null || elementName.isEmpty()) {
            throw new IllegalArgumentException("accuracyKey needs a group element name, got '" + elementName + "'");
        }
        return new MetricKey(MetricKeys.accuracyOf(elementName), ACCURACY_KEY.direction(), ACCURACY_KEY.scope());
    }

    @Override
    public String describe() {
        return CONSISTENCY_KEY.name();
    }

    /** True: the accuracy keys compare predictions with labels. */
    @Override
    public boolean needsLabels() {
        return ACCURACY_KEY.needsLabels();
    }

    /** False: consistency compares predictions with each other, so it is reported on unlabelled data too. */
    @Override
    public boolean needsLabelsForEveryKey() {
        return false;
    }

    @Override
    public List<MetricKey> metricKeys(ProbedLayer layer) {
        List<MetricKey> keys = new ArrayList<>(List.of(CONSISTENCY_KEY, ACCURACY_KEY));
        for (int g = 0; g < layer.group().order(); g++) {
            keys.add(accuracyKey(layer.group().elementName(g)));
        }
        return keys;
    }

    @Override
    public Set<OrbitStatistic> statistics(ProbedLayer layer) {
        return EnumSet.of(OrbitStatistic.FEATURES);
    }

    @Override
    public MetricSamples compute(OrbitActivations o) {
        String notOne = o.notOneDistributionReason();
        if (notOne != null) {
            MetricSamples out = new MetricSamples();
            for (MetricKey key : metricKeys(o.layer())) {
                out.notApplicable(key, "consistency and accuracy compare one top-1 class per example: " + notOne);
            }
            return out;
        }
        int[] y = o.classes();      // null on unlabelled data: consistency only
        int n = o.members();
        int e = o.identityMember();
        int examples = o.examples();
        double[] consistency = new double[examples];
        double[] accuracy = new double[examples];
        double[][] perElement = new double[n][examples];
        double[] agree = new double[n];
        double[] correct = new double[n];
        for (int b = 0; b < examples; b++) {
            int reference = argmax(o.features(e, b));
            boolean nan = reference < 0;
            for (int g = 0; g < n; g++) {
                int top = argmax(o.features(g, b));
                nan |= top < 0;
                agree[g] = top == reference ? 1 : 0;
                if (y != null) {
                    correct[g] = top == y[b] ? 1 : 0;
                    perElement[g][b] = top < 0 ? Double.NaN : top == y[b] ? 1 : 0;
                }
            }
            consistency[b] = nan ? Double.NaN : EquivarianceDeviation.meanOverGroup(o, agree);
            if (y != null) {
                accuracy[b] = nan ? Double.NaN : EquivarianceDeviation.meanOverGroup(o, correct);
            }
        }
        MetricSamples out = new MetricSamples().put(CONSISTENCY_KEY, consistency);
        if (y == null) {
            return out;
        }
        out.put(ACCURACY_KEY, accuracy);
        if (o.sampled()) {
            for (int g = 0; g < o.group().order(); g++) {
                out.notApplicable(accuracyKey(o.group().elementName(g)), "with sampleElements(" + n + ") each example "
                        + "is evaluated at " + n + " of the " + o.group().order() + " elements, not at every one");
            }
            return out;
        }
        for (int g = 0; g < n; g++) {
            out.put(accuracyKey(o.group().elementName(g)), perElement[g]);
        }
        return out;
    }

    /** True: consistency and accuracy are unbiased estimates from sampled members; accuracy[g] is then n/a. */
    @Override
    public boolean supportsSampledElements() {
        return true;
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
