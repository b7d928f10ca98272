package org.dl4jinvariance.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.probe.ModelProbe;

/**
 * The image shape a saved model takes, for {@code evaluate}.
 *
 * <p>DL4J does not store the {@code InputType} a configuration was built with, only what it
 * derived from it: the input channels of the first layer (its nIn), the feature-map size a
 * {@code CnnToFeedForwardPreProcessor} flattens, and each dense layer's nIn. So the shape is, in
 * this order: {@code --input-shape}; the shape the configuration records outright
 * ({@link ModelProbe#inputExampleShape()}: flat-image networks, equivariant layers); else the
 * square sizes whose activation types reproduce every recorded size ({@link #fits}). Pooling
 * floors sizes, so several sizes can fit (28 and 29 both give 13 after a 3×3 convolution and a
 * 2×2 pooling): then the size of the data sets that have one (IDX, embedded) decides when it is
 * among them, and otherwise the user must say.
 */
final class ModelInput {

    static final String OPTION = "--input-shape";
    /** Square sizes tried when the configuration does not record the input size. */
    static final int MAX_INFERRED_SIZE = 1024;

    private ModelInput() {
    }

    /**
     * The shape to read images at.
     *
     * @param given     {@code --input-shape}, or null
     * @param dataSizes the image sizes (height = width) of the data sets that have one
     * @throws UsageException when the model does not determine the shape and nothing given does,
     *                        or when {@code given} contradicts the configuration
     */
    static ImageShape resolve(ModelProbe probe, ImageShape given, List<ImageShape> dataSizes) {
        Optional<long[]> recorded = probe.inputExampleShape();
        if (given != null) {
            if (recorded.isPresent() && !ImageShape.of(recorded.get()).equals(given)) {
                throw new UsageException(OPTION + " " + describe(given) + ": the model's configuration records input "
                        + describe(ImageShape.of(recorded.get())) + "; expected that shape (or leave the option out)");
            }
            if (recorded.isEmpty() && !fits(probe, given)) {
                throw new UsageException(OPTION + " " + describe(given) + ": the model's layers do not fit inputs of that "
                        + "shape (their recorded sizes differ); expected C,H,W of the images it was trained on");
            }
            return given;
        }
        if (recorded.isPresent()) {
            return ImageShape.of(recorded.get());
        }
        int channels = inputChannels(probe);
        if (channels < 1) {
            throw new UsageException("--model: its configuration records no input type or input size (e.g. a fully "
                    + "convolutional network); expected " + OPTION + " C,H,W");
        }
        List<ImageShape> candidates = new ArrayList<>();
        for (int size = 1; size <= MAX_INFERRED_SIZE; size++) {
            ImageShape s = new ImageShape(channels, size, size);
            if (fits(probe, s)) {
                candidates.add(s);
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        for (ImageShape data : dataSizes) {
            if (candidates.contains(data)) {
                return data;
            }
        }
        if (candidates.isEmpty() || candidates.size() > 8) {
            throw new UsageException("--model: its configuration records " + channels + " input channel(s) but not the "
                    + "image size; expected " + OPTION + " " + channels + ",H,W");
        }
        throw new UsageException("--model: its configuration fits " + candidates.size() + " input sizes ("
                + String.join(", ", candidates.stream().map(ModelInput::describe).toList())
                + ") and records none; expected " + OPTION + " C,H,W to choose");
    }

    /** C,H,W as the option takes it. */
    static String describe(ImageShape s) {
        return s.channels() + "," + s.height() + "," + s.width();
    }

    /** The nIn of the first layer reading the network input (its channels for a convolution), or −1. */
    static int inputChannels(ModelProbe probe) {
        String input = probe.networkInputs().get(0);
        for (String key : probe.layerNames()) {
            if (probe.networkInputOf(key).filter(input::equals).isPresent()) {
                return probe.layerConfig(key) instanceof FeedForwardLayer ff && ff.getNIn() > 0
                        && probe.inputPreProcessorOf(key) == null ? (int) ff.getNIn() : -1;
            }
        }
        return -1;
    }

    /**
     * True when inputs of {@code shape} reproduce every size the configuration recorded: each
     * layer's nIn (channels into a convolution, features into a dense layer) and each
     * {@code CnnToFeedForwardPreProcessor}'s feature-map size. A size DL4J refuses outright (a
     * kernel larger than the map) does not fit.
     */
    static boolean fits(ModelProbe probe, ImageShape shape) {
        InputType in = InputType.convolutional(shape.height(), shape.width(), shape.channels());
        Map<String, InputType> inputs = new java.util.HashMap<>();
        try {
            if (probe.model() instanceof MultiLayerNetwork net) {
                MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
                List<InputType> outputs = conf.getLayerActivationTypes(in);
                List<String> keys = probe.layerNames();
                for (int i = 0; i < keys.size(); i++) {
                    inputs.put(keys.get(i), i == 0 ? in : outputs.get(i - 1));
                }
            } else if (probe.model() instanceof ComputationGraph graph) {
                ComputationGraphConfiguration conf = graph.getConfiguration();
                if (conf.getNetworkInputs().size() != 1) {
                    return false;
                }
                Map<String, InputType> outputs = conf.getLayerActivationTypes(in);
                for (String key : probe.layerNames()) {
                    List<String> from = conf.getVertexInputs().get(key);
                    if (from != null && from.size() == 1) {
                        inputs.put(key, conf.getNetworkInputs().contains(from.get(0)) ? in : outputs.get(from.get(0)));
                    }
                }
            } else {
                return false;
            }
        } catch (RuntimeException e) {
            return false; // DL4J refuses the size (e.g. a kernel larger than the feature map)
        }
        for (Map.Entry<String, InputType> e : inputs.entrySet()) {
            if (e.getValue() == null || !layerFits(probe, e.getKey(), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean layerFits(ModelProbe probe, String key, InputType arriving) {
        InputPreProcessor pre = probe.inputPreProcessorOf(key);
        InputType type = arriving;
        if (pre instanceof CnnToFeedForwardPreProcessor cnn) {
            if (!(arriving instanceof InputType.InputTypeConvolutional conv) || conv.getHeight() != cnn.getInputHeight()
                    || conv.getWidth() != cnn.getInputWidth() || conv.getChannels() != cnn.getNumChannels()) {
                return false;
            }
        }
        if (pre != null) {
            type = pre.getOutputType(arriving);
        }
        if (probe.layerConfig(key) instanceof FeedForwardLayer ff && ff.getNIn() > 0) {
            long expected = type instanceof InputType.InputTypeConvolutional conv ? conv.getChannels()
                    : type.arrayElementsPerExample();
            return expected == ff.getNIn();
        }
        return true;
    }
}
