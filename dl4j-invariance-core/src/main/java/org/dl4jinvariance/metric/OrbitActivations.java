package org.dl4jinvariance.metric;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.dl4jinvariance.group.FiniteGroup;

/**
 * The context every {@link OrbitMetric} reads: one layer's activations for one chunk of B
 * examples and their whole orbits, already reduced to per-example numbers (see
 * {@link OrbitStatistic}). Notation: f the layer's flattened features, x_b example b of the
 * chunk, g, h group elements (ints, identity e = {@code group().identity()}).
 *
 * <p>The distinct-input baseline uses S = ⌊B/|G|⌋ disjoint sets of |G| distinct untransformed
 * examples: set s holds x_{s·|G|}, …, x_{s·|G|+|G|−1} of the chunk (the evaluator shuffles each
 * chunk with its seed first, so sets do not follow the iterator's order). Member g of a set
 * plays the role of g·x in the orbit formulas, member e (the identity's index) that of x.
 */
public final class OrbitActivations {

    private final ProbedLayer layer;
    private final int examples;
    private final int[] classes;
    private final int order;
    private final ElementSample sample;
    double[] gram;
    double[] baselineGram;
    double[] equivarianceInner;
    double[] transformedNormSq;
    double[] baselineEquivarianceInner;
    String equivarianceUnavailable;
    long[] exampleShape;
    double[][] features;
    final Map<Perturbation, double[]> lieNorms = new HashMap<>();
    /** [b][c][g·|G| + h]: per example and channel, the Gram matrix of the channel's map; null when not computed. */
    double[][][] channelGram;
    private double[][] probabilities;

    OrbitActivations(ProbedLayer layer, int examples, int[] classes) {
        this(layer, examples, classes, null);
    }

    /** @param sample the sampled elements of each example, or null for whole orbits */
    OrbitActivations(ProbedLayer layer, int examples, int[] classes, ElementSample sample) {
        this.layer = layer;
        this.examples = examples;
        this.classes = classes;
        this.sample = sample;
        this.order = sample == null ? layer.group().order() : sample.members();
    }

    /** The members of each orbit: |G|, or k under {@code sampleElements(k)}. */
    public int members() {
        return order;
    }

    /** True when each example is evaluated at k &lt; |G| sampled elements. */
    public boolean sampled() {
        return sample != null;
    }

    /** The group element of member j of example b (j itself without sampling). */
    public int element(int b, int j) {
        return sample == null ? j : sample.element(b, j);
    }

    /** The member that holds the identity: e's index without sampling, 0 with. */
    public int identityMember() {
        return sample == null ? group().identity() : 0;
    }

    public ProbedLayer layer() {
        return layer;
    }

    public FiniteGroup group() {
        return layer.group();
    }

    /** B, the number of examples in this chunk. */
    public int examples() {
        return examples;
    }

    /** S = ⌊B/|G|⌋ (⌊B/k⌋ when sampling), the number of distinct-input baseline sets. */
    public int sets() {
        return examples / order;
    }

    /** The class label of each example, or null when the data has no labels. */
    public int[] classes() {
        return classes;
    }

    /** K_gh(x_b) = ⟨f(g·x_b), f(h·x_b)⟩. */
    public double inner(int b, int g, int h) {
        return require(gram, OrbitStatistic.GRAM)[(b * order + g) * order + h];
    }

    /** ⟨f(x_{s,j}), f(x_{s,k})⟩ for members j, k of baseline set s. */
    public double baselineInner(int s, int j, int k) {
        return require(baselineGram, OrbitStatistic.BASELINE_GRAM)[(s * order + j) * order + k];
    }

    /** One example's activation shape, e.g. [10] for class scores or [C, T] for a sequence layer. */
    public long[] exampleShape() {
        return exampleShape == null ? null : exampleShape.clone();
    }

    /**
     * Why this layer's output is not one class distribution per example (null when it is): the
     * output-only metrics compare p(g·x) as a single distribution, which per-time-step outputs
     * [K, T] (an {@code RnnOutputLayer}) or per-pixel outputs [K, H, W] are not.
     */
    public String notOneDistributionReason() {
        if (exampleShape == null || exampleShape.length <= 1) {
            return null;
        }
        return "the output of layer '" + layer.name() + "' has shape " + java.util.Arrays.toString(exampleShape)
                + " per example (one class distribution per time step or position, not one per example); read "
                + "invariance, or equivariance under the layer's field, there instead";
    }

    /** True when ρ is known and applies to this layer's activations. */
    public boolean hasEquivariance() {
        return equivarianceInner != null;
    }

    /** Why equivariance cannot be measured here (null when it can). */
    public String equivarianceReason() {
        return hasEquivariance() ? null : equivarianceUnavailable == null ? layer.fieldReason() : equivarianceUnavailable;
    }

    /** ⟨f(g·x_b), ρ(g)f(x_b)⟩. */
    public double equivarianceInner(int b, int g) {
        return require(equivarianceInner, OrbitStatistic.EQUIVARIANCE)[b * order + g];
    }

    /** ‖ρ(g)f(x_b)‖² (equal to ‖f(x_b)‖² when ρ(g) is a permutation). */
    public double transformedNormSq(int b, int g) {
        return require(transformedNormSq, OrbitStatistic.EQUIVARIANCE)[b * order + g];
    }

    /** ⟨f(x_{s,g}), ρ(g)f(x_{s,e})⟩ for baseline set s: member g in the place of g·x, member e in that of x. */
    public double baselineEquivarianceInner(int s, int g) {
        return require(baselineEquivarianceInner, OrbitStatistic.EQUIVARIANCE)[s * order + g];
    }

    /** ‖ρ(g)f(x_{s,e})‖² for baseline set s. */
    public double baselineTransformedNormSq(int s, int g) {
        return transformedNormSq(s * order + identityMember(), g);
    }

    /** f(g·x_b), flattened. */
    public double[] features(int g, int b) {
        return require(features, OrbitStatistic.FEATURES)[g * examples + b];
    }

    /** Class probabilities p(g·x_b): the output itself when it is a softmax, else its softmax. */
    public double[] probabilities(int g, int b) {
        require(features, OrbitStatistic.FEATURES);
        if (probabilities == null) {
            probabilities = new double[features.length][];
            for (int i = 0; i < features.length; i++) {
                probabilities[i] = layer.outputsProbabilities() ? features[i] : softmax(features[i]);
            }
        }
        return probabilities[g * examples + b];
    }

    /** C, the channels of this layer's feature maps (0 when the per-channel Gram was not computed). */
    public int channels() {
        return channelGram == null || channelGram.length == 0 ? 0 : channelGram[0].length;
    }

    /** ⟨f_c(g·x_b), f_c(h·x_b)⟩ for channel c's map. */
    public double channelInner(int b, int c, int g, int h) {
        return require(channelGram, OrbitStatistic.CHANNEL_GRAM)[b][c][g * order + h];
    }

    /** ‖f(T_ε x_b) − f(T_−ε x_b)‖ for a perturbation one of the metrics asked for. */
    public double lieDifferenceNorm(Perturbation p, int b) {
        double[] norms = lieNorms.get(p);
        if (norms == null) {
            throw new IllegalStateException("Perturbation " + p + " was not computed for layer " + layer.name());
        }
        return norms[b];
    }

    /** The perturbations computed for this chunk. */
    public Map<Perturbation, double[]> perturbations() {
        return Collections.unmodifiableMap(lieNorms);
    }

    private <T> T require(T stat, OrbitStatistic which) {
        if (stat == null) {
            throw new IllegalStateException("Statistic " + which + " was not computed for layer " + layer.name()
                    + "; declare it in OrbitMetric.statistics()");
        }
        return stat;
    }

    static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double[] p = new double[z.length];
        double sum = 0;
        for (int k = 0; k < z.length; k++) {
            p[k] = Math.exp(z[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < z.length; k++) {
            p[k] /= sum;
        }
        return p;
    }
}
