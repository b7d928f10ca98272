package org.dl4jinvariance.metric;

/**
 * The metric keys of an {@link InvarianceReport} as strings, for the edges (JSON, CSV, CLI
 * options, {@code report.get(layer, name)}). Each name belongs to a typed {@link MetricKey} owned
 * by its metric class, which also says which way is better and where it is reported
 * ({@link #parse(String)}); e.g. the output-only keys are those whose
 * {@link MetricKey#outputOnly()} is true.
 */
public final class MetricKeys {

    /** {@link InvarianceDeviation}: mean distance of orbit members to the orbit centroid. */
    public static final String INVARIANCE = "invariance";
    /** {@link #INVARIANCE} divided by the same formula on sets of distinct inputs. */
    public static final String INVARIANCE_NORMALIZED = normalized(INVARIANCE);
    /** {@link EquivarianceDeviation}: mean distance of f(g·x) to ρ(g)·f(x). */
    public static final String EQUIVARIANCE = "equivariance";
    /** {@link #EQUIVARIANCE} divided by the same formula on sets of distinct inputs. */
    public static final String EQUIVARIANCE_NORMALIZED = normalized(EQUIVARIANCE);
    /** {@link CosineSimilarityRatio}: the paper's Eq. 6 form. */
    public static final String COSINE_SIMILARITY_RATIO = "cosineSimilarityRatio";
    /** {@link PredictionInvariance}: mean KL(p(g·x) ‖ p̄(x)). */
    public static final String PREDICTION_KL = "predictionKL";
    /** {@link OrbitConsistency}: fraction of (x, g) whose top-1 class equals that of x. */
    public static final String CONSISTENCY = "consistency";
    /** {@link OrbitConsistency}: accuracy over the whole orbit. */
    public static final String ACCURACY = "accuracy";
    /** {@link LieDerivative#rotation(double)}. */
    public static final String LIE_DERIVATIVE = "lieDerivative";
    /** {@link LieDerivative#translation(double, double, double)}. */
    public static final String LIE_DERIVATIVE_TRANSLATION = "lieDerivative.translation";

    private MetricKeys() {
    }

    /**
     * The typed key named {@code key}: {@link MetricKey#of(String)}.
     *
     * @throws IllegalArgumentException naming {@code key} and listing the known keys when it is none of them
     */
    public static MetricKey parse(String key) {
        return MetricKey.of(key);
    }

    /** Accuracy on g·x for one group element, e.g. {@code accuracy[rot90]}. */
    public static String accuracyOf(String elementName) {
        return ACCURACY + "[" + elementName + "]";
    }

    /** The key of the normalized form of a metric: {@code key + ".normalized"}. */
    public static String normalized(String key) {
        return key + ".normalized";
    }
}
