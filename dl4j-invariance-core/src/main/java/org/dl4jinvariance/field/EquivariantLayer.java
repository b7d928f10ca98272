package org.dl4jinvariance.field;

import java.util.Optional;
import org.dl4jinvariance.group.FiniteGroup;

/**
 * Implemented by layer configurations that know how the group acts on their input and output
 * (escnn's {@code in_type} / {@code out_type}), so that {@link FieldInference} — and through it
 * the metrics, {@code EquivarianceAssert}, the export and the Arbiter module — reads every
 * layer's field with no user wiring and no code that switches on layer classes.
 *
 * <p>A new equivariant layer implements this interface in its own configuration class; that
 * is all the field inference, the probe and the reports need.
 */
public interface EquivariantLayer {

    /** ρ_out, the action of the group on this layer's output features. */
    FieldType outputField();

    /**
     * ρ_in, the field this layer expects on its input, or null when it accepts plain input
     * (e.g. a lifting convolution on images) or its input size is not known yet. A layer fed
     * by another equivariant layer whose declared output field differs is rejected by
     * {@link FieldInference}, naming both.
     */
    default FieldType inputField() {
        return null;
    }

    /** The group this layer is equivariant to, when it declares one (from its fields). */
    default Optional<FiniteGroup> group() {
        return Optional.empty();
    }

    /**
     * False when the configuration breaks exact equivariance on a square grid (even kernels,
     * strides that do not keep the grid symmetric, interpolated filter rotations).
     */
    default boolean isExactlyEquivariant() {
        return true;
    }

    /** A short description for architecture summaries, e.g. {@code C4 gconv 16 3×3}. */
    default String summary() {
        return getClass().getSimpleName() + " → " + outputField().describe();
    }

    /**
     * One example's input shape (e.g. [C, H, W]) as recorded when the configuration was built
     * with an input type, or empty; lets checks build a probe batch for the network.
     */
    default Optional<long[]> recordedInputShape() {
        return Optional.empty();
    }

    /**
     * True when this layer's inference pass only reads its input array (never writes it in
     * place), so the probe may let pending reductions of that input run beside the layer.
     */
    default boolean readsInputOnly() {
        return false;
    }
}
