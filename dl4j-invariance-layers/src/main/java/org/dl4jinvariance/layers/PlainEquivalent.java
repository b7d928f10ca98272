package org.dl4jinvariance.layers;

import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The plain DL4J replacement of one equivariant layer, as {@link EquivariantExport} bakes it:
 * a layer configuration with its parameters, and optionally reshapes to put before it (composed
 * into its own input preprocessor) and after it (into the next layer's, or a preprocessor
 * vertex in a graph).
 *
 * @param layer  the plain layer configuration (same layer name)
 * @param params its parameters by DL4J's parameter keys (empty for parameter-free layers)
 * @param before an input reshape applied before {@code layer}, or null
 * @param after  a reshape applied to {@code layer}'s output before the next layer, or null
 */
public record PlainEquivalent(Layer layer, Map<String, INDArray> params, InputPreProcessor before,
        InputPreProcessor after) {

    /** A drop-in replacement with parameters and no reshapes. */
    public static PlainEquivalent of(Layer layer, Map<String, INDArray> params) {
        return new PlainEquivalent(layer, params, null, null);
    }

    /** True when the replacement needs reshapes around it. */
    public boolean reshapes() {
        return before != null || after != null;
    }
}
