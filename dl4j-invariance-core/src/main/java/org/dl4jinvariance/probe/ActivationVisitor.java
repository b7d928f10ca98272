package org.dl4jinvariance.probe;

import java.util.concurrent.Future;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Receives one layer's activations during a {@link ModelProbe} forward pass, right after the
 * layer has computed them.
 *
 * <p>The array lives in one of DL4J's inference workspaces and is only valid during the call:
 * reduce it to the numbers you need (Java arrays, or {@code detach()}ed copies) before
 * returning. Working in place, without detached copies, is what keeps a metric pass close to
 * the cost of {@code output()}. {@link #visitConcurrently} lets pure-Java work on the memory
 * run beside the next layer's forward pass.
 */
@FunctionalInterface
public interface ActivationVisitor {

    /**
     * @param layer       the layer's key (see {@link ModelProbe#layerNames()})
     * @param activations [rows, ...] activations of that layer for the whole probe batch; never
     *                    modify it
     */
    void visit(String layer, INDArray activations);

    /**
     * Like {@link #visit}, but may return work still reading {@code activations}' memory after
     * this call returns (e.g. a task on another thread reading the native buffer; it must not
     * run ND4J operations). The probe waits for it before DL4J releases that memory — after the
     * next layer's forward pass — so the work overlaps that pass. Default: {@code visit}, nothing
     * pending.
     *
     * @return the pending work, or null
     */
    default Future<?> visitConcurrently(String layer, INDArray activations) {
        visit(layer, activations);
        return null;
    }
}
