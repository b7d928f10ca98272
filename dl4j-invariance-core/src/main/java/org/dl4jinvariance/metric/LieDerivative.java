package org.dl4jinvariance.metric;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.dl4jinvariance.action.ContinuousAction;
import org.dl4jinvariance.action.ImageActions;

/**
 * The finite-difference Lie derivative of a layer along a continuous transformation T_t
 * (Gruver et al.'s local equivariance error, LEE, for invariance):
 * <pre>
 *   lieDerivative(x) = ‖f(T_ε x) − f(T_−ε x)‖ / (2ε)
 * </pre>
 * in feature units per unit of t (per degree for {@link #rotation}, per pixel for
 * {@link #translation}). T_ε x and T_−ε x ride along in the orbit's forward pass: no extra pass.
 */
public final class LieDerivative implements OrbitMetric {

    /** {@link MetricKeys#LIE_DERIVATIVE} ({@link #rotation}): lower is better (0 = locally invariant), every layer. */
    public static final MetricKey ROTATION_KEY = lieKey(MetricKeys.LIE_DERIVATIVE);
    /** {@link MetricKeys#LIE_DERIVATIVE_TRANSLATION} ({@link #translation}): like {@link #ROTATION_KEY}. */
    public static final MetricKey TRANSLATION_KEY = lieKey(MetricKeys.LIE_DERIVATIVE_TRANSLATION);
    /** What {@link #ROTATION_KEY} means, for report glossaries. */
    public static final MetricGlossary ROTATION_GLOSSARY = new MetricGlossary(ROTATION_KEY,
            "mean over x of ‖f(R_ε x) − f(R_−ε x)‖ / 2ε, R_t a rotation by t degrees (local equivariance error)",
            "≥ 0, in feature units per degree; 0 = locally invariant to small rotations");
    /** What {@link #TRANSLATION_KEY} means. */
    public static final MetricGlossary TRANSLATION_GLOSSARY = new MetricGlossary(TRANSLATION_KEY,
            "mean over x of ‖f(T_ε x) − f(T_−ε x)‖ / 2ε, T_t a translation by t pixels",
            "≥ 0, in feature units per pixel; 0 = locally invariant to small shifts");

    private final Perturbation perturbation;
    private final MetricKey key;

    /** Along {@code action} with step ε, reported under {@code key}. */
    public LieDerivative(ContinuousAction action, double epsilon, MetricKey key) {
        if (key == null) {
            throw new IllegalArgumentException("LieDerivative needs a report key, got null");
        }
        this.perturbation = new Perturbation(action, epsilon);
        this.key = key;
    }

    /** Along {@code action} with step ε, reported under a lower-is-better, every-layer key named {@code key}. */
    public LieDerivative(ContinuousAction action, double epsilon, String key) {
        this(action, epsilon, lieKey(key));
    }

    /** Along continuous rotation, ε in degrees; key {@link #ROTATION_KEY}. */
    public static LieDerivative rotation(double epsilonDegrees) {
        return new LieDerivative(ImageActions.continuousRotation(), epsilonDegrees, ROTATION_KEY);
    }

    /** Along translation in direction (dirX, dirY), ε in pixels; key {@link #TRANSLATION_KEY}. */
    public static LieDerivative translation(double dirX, double dirY, double epsilonPixels) {
        return new LieDerivative(ImageActions.continuousTranslation(dirX, dirY), epsilonPixels, TRANSLATION_KEY);
    }

    /** A norm of a difference of features: 0 is invariant, so lower is better, at any layer. */
    private static MetricKey lieKey(String name) {
        return new MetricKey(name, MetricKey.Direction.LOWER_IS_BETTER, MetricKey.Scope.EVERY_LAYER);
    }

    /** The key this derivative is reported under. */
    public MetricKey key() {
        return key;
    }

    @Override
    public String describe() {
        return key.name() + "(" + perturbation.action().describe() + ", eps=" + perturbation.epsilon() + ")";
    }

    @Override
    public List<MetricKey> metricKeys(ProbedLayer layer) {
        return List.of(key);
    }

    @Override
    public Set<OrbitStatistic> statistics(ProbedLayer layer) {
        return EnumSet.of(OrbitStatistic.LIE);
    }

    @Override
    public List<Perturbation> perturbations() {
        return List.of(perturbation);
    }

    /** True: it reads the perturbation rows only, which sampling leaves alone. */
    @Override
    public boolean supportsSampledElements() {
        return true;
    }

    @Override
    public MetricSamples compute(OrbitActivations o) {
        double[] values = new double[o.examples()];
        for (int b = 0; b < values.length; b++) {
            values[b] = o.lieDifferenceNorm(perturbation, b) / (2 * perturbation.epsilon());
        }
        return new MetricSamples().put(key, values);
    }
}
