package org.dl4jinvariance.action;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A one-parameter family of transformations T_t of NCHW batches (a continuous rotation by t
 * degrees, a translation by t pixels), with T_0 the identity. Used for Lie derivatives.
 */
public interface ContinuousAction extends java.io.Serializable {

    /** T_t·x for every example of the batch; x is never modified. */
    INDArray apply(double t, INDArray x);

    /** A short description, e.g. {@code continuousRotation}. */
    String describe();
}
