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

    private final Perturbation perturbation;
    private final String key;

    /** Along {@code action} with step ε, reported under {@code key}. */
    public LieDerivative(ContinuousAction action, double epsilon, String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("LieDerivative needs a report key, got '" + key + "'");
        }
        this.perturbation = new Perturbation(action, epsilon);
        this.key = key;
    }

    /** Along continuous rotation, ε in degrees; key {@link MetricKeys#LIE_DERIVATIVE}. */
    public static LieDerivative rotation(double epsilonDegrees) {
        return new LieDerivative(ImageActions.continuousRotation(), epsilonDegrees, MetricKeys.LIE_DERIVATIVE);
    }

    /** Along translation in direction (dirX, dirY), ε in pixels; key {@link MetricKeys#LIE_DERIVATIVE_TRANSLATION}. */
    public static LieDerivative translation(double dirX, double dirY, double epsilonPixels) {
        return new LieDerivative(ImageActions.continuousTranslation(dirX, dirY), epsilonPixels,
                MetricKeys.LIE_DERIVATIVE_TRANSLATION);
    }

    @Override
    public String describe() {
        return key + "(" + perturbation.action().describe() + ", eps=" + perturbation.epsilon() + ")";
    }

    @Override
    public List<String> keys(ProbedLayer layer) {
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

    @Override
    public MetricSamples compute(OrbitActivations o) {
        double[] values = new double[o.examples()];
        for (int b = 0; b < values.length; b++) {
            values[b] = o.lieDifferenceNorm(perturbation, b) / (2 * perturbation.epsilon());
        }
        return new MetricSamples().put(key, values);
    }
}
