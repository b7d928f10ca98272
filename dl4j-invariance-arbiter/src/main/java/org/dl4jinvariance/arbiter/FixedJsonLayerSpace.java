package org.dl4jinvariance.arbiter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.deeplearning4j.arbiter.layers.LayerSpace;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * A fixed layer (no searched hyperparameter) inside a {@code MultiLayerSpace} or
 * {@code ComputationGraphSpace}, e.g. a named pooling or output layer. Arbiter's own
 * {@code FixedLayerSpace} (what {@code MultiLayerSpace.Builder.layer(Layer)} makes) writes JSON it
 * cannot read back ("argument type mismatch" on its {@code layer} property); this space keeps the
 * layer as DL4J's own layer JSON, so the whole search space round-trips. Every candidate gets a
 * fresh copy of the layer; global settings (updater, weight init, ...) apply to it as usual.
 *
 * <pre>{@code
 * .addLayer(new FixedJsonLayerSpace(new OutputLayer.Builder(LossFunction.MCXENT).name("output").nOut(10)
 *         .activation(Activation.SOFTMAX).build()))
 * }</pre>
 */
public final class FixedJsonLayerSpace extends LayerSpace<Layer> {

    private String layerJson;

    /** For Jackson. */
    private FixedJsonLayerSpace() {
    }

    public FixedJsonLayerSpace(Layer layer) {
        if (layer == null) {
            throw new IllegalArgumentException("FixedJsonLayerSpace needs a layer, got null");
        }
        try {
            this.layerJson = NeuralNetConfiguration.mapper().writeValueAsString(layer);
        } catch (IOException e) {
            throw new IllegalArgumentException("Layer " + layer + " cannot be written as JSON: " + e.getMessage(), e);
        }
        getValue(new double[0]);
        this.numParameters = 0;
    }

    @Override
    public Layer getValue(double[] parameterValues) {
        try {
            return NeuralNetConfiguration.mapper().readValue(layerJson, Layer.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the fixed layer back from its JSON", e);
        }
    }

    @Override
    public int numParameters() {
        return 0;
    }

    @Override
    public boolean isLeaf() {
        return true;
    }

    @Override
    public void setIndices(int... indices) {
        if (indices != null && indices.length != 0) {
            throw new IllegalArgumentException("A fixed layer has no parameters to index, got " + indices.length);
        }
    }

    @Override
    public java.util.List<org.deeplearning4j.arbiter.optimize.api.ParameterSpace> collectLeaves() {
        return java.util.List.of();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FixedJsonLayerSpace f && Objects.equals(layerJson, f.layerJson);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(layerJson);
    }

    @Override
    public String toString() {
        return "FixedJsonLayerSpace(" + getValue(new double[0]) + ")";
    }
}
