package org.dl4jinvariance.probe;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Receives one layer's activations during a {@link ModelProbe} forward pass, right after the
 * layer has computed them.
 *
 * <p>The array lives in one of DL4J's inference workspaces and is only valid during the call:
 * reduce it to the numbers you need (Java arrays, or {@code detach()}ed copies) before
 * returning. Working in place, without detached copies, is what keeps a metric pass close to
 * the cost of {@code output()}.
 */
@FunctionalInterface
public interface ActivationVisitor {

    /**
     * @param layer       the layer's key (see {@link ModelProbe#layerNames()})
     * @param activations [rows, ...] activations of that layer for the whole probe batch; never
     *                    modify it
     */
    void visit(String layer, INDArray activations);
}
