package org.dl4jinvariance.arbiter;

import org.deeplearning4j.arbiter.conf.updater.AdamSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;

/**
 * Adam spaces with Adam's usual constants. Arbiter 1.0.0-beta7's {@code new AdamSpace(lr)} is
 * broken: it fills beta1, beta2 and epsilon with the default <em>learning rate</em> (0.001), so
 * the optimizer barely keeps momentum. These factories use the four-argument constructor with
 * β1 = 0.9, β2 = 0.999, ε = 1e-8.
 */
public final class AdamSpaces {

    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPSILON = 1e-8;

    private AdamSpaces() {
    }

    /** Adam with a searched learning rate and β1 = 0.9, β2 = 0.999, ε = 1e-8. */
    public static AdamSpace adam(ParameterSpace<Double> learningRate) {
        if (learningRate == null) {
            throw new IllegalArgumentException("adam needs a learning-rate space, got null");
        }
        return new AdamSpace(learningRate, new FixedValue<>(BETA1), new FixedValue<>(BETA2), new FixedValue<>(EPSILON));
    }

    /** Adam with a fixed learning rate and β1 = 0.9, β2 = 0.999, ε = 1e-8. */
    public static AdamSpace adam(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive finite number, got " + learningRate);
        }
        return adam(new FixedValue<>(learningRate));
    }
}
