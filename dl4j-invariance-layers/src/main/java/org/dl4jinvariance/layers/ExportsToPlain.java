package org.dl4jinvariance.layers;

/**
 * Implemented by this library's equivariant layer configurations: each knows the plain DL4J
 * layer that computes the same function, so {@link EquivariantExport} needs no code per layer
 * class. A new layer implements this beside {@link org.dl4jinvariance.field.EquivariantLayer}.
 */
public interface ExportsToPlain {

    /**
     * The plain equivalent of this configuration with the parameters of {@code runtime}, the
     * initialised layer of a network built from it (copied, never shared).
     *
     * @throws IllegalArgumentException when the configuration lacks what the export needs
     *                                  (e.g. the input size), naming it
     */
    PlainEquivalent toPlain(org.deeplearning4j.nn.api.Layer runtime);
}
