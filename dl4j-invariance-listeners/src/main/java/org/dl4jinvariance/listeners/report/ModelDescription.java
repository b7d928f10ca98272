package org.dl4jinvariance.listeners.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.field.EquivariantLayer;

/**
 * A network as the reports name it, read from the network itself: its name, its class, its
 * parameter count ({@code numParams()}) and its layers in order — type, size (nIn → nOut,
 * kernel), parameters, and the group field of equivariant layers
 * ({@link EquivariantLayer#outputField()}).
 *
 * @param name       what the run calls the model (a label given to the listener, or the class name)
 * @param type       the network class, e.g. {@code MultiLayerNetwork}
 * @param parameters {@code numParams()}
 * @param layers     the layers in network order
 */
public record ModelDescription(String name, String type, long parameters, List<LayerInfo> layers) {

    /**
     * One layer of the network.
     *
     * @param name       the layer's name, or its index when unnamed
     * @param type       the configuration class, e.g. {@code ConvolutionLayer}
     * @param size       nIn → nOut and the kernel where the configuration has them, else empty
     * @param parameters the layer's parameter count
     * @param field      the group field of its output for an equivariant layer, else empty
     */
    public record LayerInfo(String name, String type, String size, long parameters, String field) {
    }

    public ModelDescription {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    /** Total parameters as {@code 25,930}. */
    public String parametersText() {
        return String.format(java.util.Locale.ROOT, "%,d", parameters);
    }

    /**
     * Reads {@code model} (a {@code MultiLayerNetwork} or {@code ComputationGraph}; other models
     * give their class and parameter count only).
     *
     * @param name the model's name in reports, or null for its class name
     */
    public static ModelDescription of(Model model, String name) {
        if (model == null) {
            throw new IllegalArgumentException("ModelDescription.of needs a model, got null");
        }
        String type = model.getClass().getSimpleName();
        List<LayerInfo> layers = new ArrayList<>();
        Layer[] all = model instanceof MultiLayerNetwork net ? net.getLayers()
                : model instanceof ComputationGraph graph ? graph.getLayers() : new Layer[0];
        for (int i = 0; i < all.length; i++) {
            layers.add(layer(all[i], i));
        }
        return new ModelDescription(name == null ? type : name, type, model.numParams(), layers);
    }

    private static LayerInfo layer(Layer layer, int index) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        String name = conf.getLayerName() == null ? Integer.toString(index) : conf.getLayerName();
        StringBuilder size = new StringBuilder();
        if (conf instanceof FeedForwardLayer ff && (ff.getNIn() > 0 || ff.getNOut() > 0)) {
            size.append(ff.getNIn()).append(" → ").append(ff.getNOut());
        }
        int[] kernel = conf instanceof ConvolutionLayer c ? c.getKernelSize()
                : conf instanceof SubsamplingLayer s ? s.getKernelSize() : null;
        if (kernel != null && kernel.length == 2) {
            size.append(size.length() == 0 ? "" : ", ").append(kernel[0]).append('×').append(kernel[1]);
        }
        String field = "";
        if (conf instanceof EquivariantLayer eq) {
            try {
                field = eq.outputField().describe();
            } catch (RuntimeException e) {
                // A layer whose sizes are not set yet cannot name its field; the page leaves it blank.
                field = "";
            }
        }
        return new LayerInfo(name, conf.getClass().getSimpleName(), size.toString(), layer.numParams(), field);
    }
}
