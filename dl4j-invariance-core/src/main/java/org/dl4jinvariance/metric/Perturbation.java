package org.dl4jinvariance.metric;

import org.dl4jinvariance.action.ContinuousAction;

/**
 * A pair of small continuous transformations T_ε and T_−ε of the input, appended to the orbit's
 * batch so a finite difference needs no extra forward pass.
 *
 * @param action  the one-parameter family T_t
 * @param epsilon ε &gt; 0, in the units of t (degrees for rotations, pixels for translations)
 */
public record Perturbation(ContinuousAction action, double epsilon) implements java.io.Serializable {

    public Perturbation {
        if (action == null) {
            throw new IllegalArgumentException("A perturbation needs a continuous action, got null");
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("Perturbation epsilon must be a finite number > 0, got " + epsilon);
        }
    }
}
