package org.dl4jinvariance.action;

import org.dl4jinvariance.group.FiniteGroup;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How the elements of a finite group act on a batch of inputs (NCHW images, or any shape the
 * implementation documents). An action is a homomorphism: apply(g, apply(h, x)) equals
 * apply(g·h, x), and apply(e, x) equals x.
 */
public interface GroupAction {

    /** The group that acts. */
    FiniteGroup group();

    /**
     * g·x for every example of the batch. Returns a new array; {@code x} is never modified.
     *
     * @throws IllegalArgumentException when g is not an element or x has a shape this action
     *                                  cannot transform (the message names the shape)
     */
    INDArray apply(int g, INDArray x);

    /**
     * The whole orbit of a batch stacked into one batch, group-major: rows
     * {@code [k·B, (k+1)·B)} hold g_k·x, so one forward pass sees every transformed copy.
     */
    default INDArray orbit(INDArray x) {
        int order = group().order();
        INDArray[] parts = new INDArray[order];
        for (int g = 0; g < order; g++) {
            parts[g] = apply(g, x);
        }
        return order == 1 ? parts[0] : Nd4j.concat(0, parts);
    }

    /** A short description, e.g. {@code rotation(C4)}. */
    default String describe() {
        return getClass().getSimpleName() + "(" + group().name() + ")";
    }
}
