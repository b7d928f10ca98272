package org.dl4jinvariance.metric;

import org.dl4jinvariance.metric.kernel.JavaReduction;
import org.dl4jinvariance.metric.kernel.Nd4jReduction;
import org.dl4jinvariance.metric.kernel.OrbitReduction;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where the metric engine reduces each probed layer's activations to per-example Gram matrices
 * and equivariance products (see {@link OrbitStatistic}). Both paths give the same figures to
 * rounding (double accumulation in both).
 */
public enum ReductionPath {

    /** {@link #ND4J} on a GPU backend (CUDA), {@link #JAVA} on the CPU backend. The default. */
    AUTO,
    /**
     * In Java, straight from the activations' host memory, beside the next layer's forward pass:
     * the fastest on the CPU backend; on CUDA it would copy every activation off the device.
     */
    JAVA,
    /**
     * From ND4J operations (batched {@code matmul} for the Gram matrices, {@code gather} for ρ(g)),
     * on whatever backend is active; on the CPU backend it mainly serves to check the GPU path.
     */
    ND4J;

    /** {@link #JAVA} or {@link #ND4J}: AUTO resolved against the active ND4J backend. */
    public ReductionPath resolve() {
        if (this != AUTO) {
            return this;
        }
        return Nd4j.getEnvironment().isCPU() ? JAVA : ND4J;
    }

    /**
     * {@link #resolve()} for an evaluation sampling {@code sampleElements} elements per example
     * (0: whole orbits). Only {@link #JAVA} reduces orbits of per-example sampled elements, so
     * AUTO resolves to JAVA when sampling.
     *
     * @throws IllegalArgumentException for {@link #ND4J} with sampleElements &gt; 0
     */
    public ReductionPath resolve(int sampleElements) {
        if (sampleElements <= 0) {
            return resolve();
        }
        if (this == ND4J) {
            throw new IllegalArgumentException("reduction(ND4J) cannot be combined with sampleElements(" + sampleElements
                    + "): the ND4J reduction handles whole orbits only; use reduction(JAVA) or AUTO, or drop sampleElements");
        }
        return JAVA;
    }

    /** The reduction this path runs (AUTO resolved). */
    OrbitReduction reduction() {
        return resolve() == ND4J ? new Nd4jReduction() : new JavaReduction();
    }
}
