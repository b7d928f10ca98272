package org.dl4jinvariance.field;

/**
 * Implemented by layer configurations that know how the group acts on their output, so the
 * metric engine can measure equivariance at that layer with no user wiring.
 */
public interface EquivariantLayer {

    /** ρ, the action of the group on this layer's output features. */
    FieldType outputField();

    /**
     * False when the configuration breaks exact equivariance on a square grid (even kernels,
     * strides that do not keep the grid symmetric, interpolated filter rotations).
     */
    default boolean isExactlyEquivariant() {
        return true;
    }
}
