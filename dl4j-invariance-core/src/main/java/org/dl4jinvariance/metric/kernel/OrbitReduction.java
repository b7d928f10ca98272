package org.dl4jinvariance.metric.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reduces one layer's activations for a chunk of B examples to the two kinds of sets the
 * metrics read, each set being |G| rows x_0..x_{|G|−1} with a reference member e (the identity):
 * <ul>
 *   <li>the orbits: set b holds f(g·x_b) for every g, i.e. rows g·B + b of the batch;</li>
 *   <li>the distinct-input baseline: set s holds f(x_{s·|G|+j}), rows e·B + s·|G| + j.</li>
 * </ul>
 * Per set k: the Gram matrix gram[(k·|G| + j)·|G| + l] = ⟨x_j, x_l⟩ and, when ρ is given, the
 * equivariance products cross[k·|G| + g] = ⟨x_g, ρ(g)x_e⟩ for every g whose ρ(g) is a
 * permutation (the others are left 0, for the caller to fill), with cross[k·|G| + e] = ⟨x_e, x_e⟩.
 * Products are formed and summed in double.
 *
 * <p>Two implementations give the same numbers (to rounding): {@link JavaReduction} reads the
 * host memory directly and is the fastest on the CPU backend; {@link Nd4jReduction} is built from
 * ND4J operations and runs wherever the activations are (a GPU on the CUDA backend).
 */
public interface OrbitReduction {

    /** The products of the orbit sets and of the baseline sets. */
    record Products(ActivationBuffer.SetProducts orbit, ActivationBuffer.SetProducts baseline) {
    }

    /**
     * Starts reducing {@code act} (logical [N, ...] with N ≥ |G|·B, features in c-order); every
     * ND4J call happens here, on the calling thread.
     *
     * @param examples B
     * @param order    |G|
     * @param identity e, the identity's index
     * @param rho      ρ for this feature shape, or null when no equivariance products are wanted
     * @param permute  per g, whether ρ(g) is a permutation (null when {@code rho} is null)
     */
    Pass start(INDArray act, int examples, int order, int identity, FieldTransform rho, boolean[] permute);

    /**
     * {@link #start(INDArray, int, int, int, FieldTransform, boolean[])} for sets of k sampled
     * members: member j of orbit set b acts as group element {@code orbitElements[b·k + j]}, member
     * j of baseline set s as {@code baselineElements[s·k + j]}; cross[k'·k + j] = ⟨x_j, ρ(g)x_ref⟩ with
     * g that element. {@code permute} stays indexed by element (length |G|). Both arrays null:
     * whole orbits, members = |G|.
     *
     * @param members          k, the rows per set
     * @param reference        the reference member (the identity's row in each set)
     * @throws UnsupportedOperationException when this reduction cannot handle sampled elements
     *                                       (default: it cannot)
     */
    default Pass start(INDArray act, int examples, int members, int reference, FieldTransform rho, boolean[] permute,
                       int[] orbitElements, int[] baselineElements) {
        if (orbitElements == null && baselineElements == null) {
            return start(act, examples, members, reference, rho, permute);
        }
        throw new UnsupportedOperationException("the " + this + " reduction cannot reduce orbits of sampled elements"
                + " (sampleElements); use reduction(ReductionPath.JAVA)");
    }

    /** True when {@link #start(INDArray, int, int, int, FieldTransform, boolean[], int[], int[])} accepts sampled elements. */
    default boolean supportsSampledElements() {
        return false;
    }

    /** A started reduction. */
    interface Pass {

        /** The products; pure Java, may run on any thread, but before the activations' memory is released when {@link #readsActivations()}. */
        Products finish();

        /**
         * Runs parts of {@link #finish}'s work that no thread has started yet, on the calling
         * thread, and returns when none is left (finish may still be running elsewhere): a
         * thread about to wait for {@code finish} works instead of blocking. Default: nothing.
         */
        default void help() {
        }

        /** True when {@link #finish} still reads the activations' memory. */
        boolean readsActivations();
    }
}
