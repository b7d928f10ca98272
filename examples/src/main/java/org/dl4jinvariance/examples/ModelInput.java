package org.dl4jinvariance.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
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
 * among them; else the one size at which no convolution or pooling drops border pixels (the
 * size {@code ConvolutionMode.Strict} would demand: 28 above, where 29 loses a row to the
 * pooling); otherwise the user must say.
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
     * @param model     {@code --model FILE}, for messages
     * @param given     {@code --input-shape}, or null
     * @param dataSizes the image sizes (height = width) of the data sets that have one
     * @throws UsageException when the model does not determine the shape and nothing given does,
     *                        or when {@code given} contradicts the configuration
     */
    static ImageShape resolve(ModelProbe probe, String model, ImageShape given, List<ImageShape> dataSizes) {
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
            throw new UsageException(model + ": its configuration records no input type or input size (e.g. a fully "
                    + "convolutional network); expected " + OPTION + " C,H,W");
        }
        List<ImageShape> candidates = new ArrayList<>();
        for (int size = minimumSize(probe); size <= MAX_INFERRED_SIZE; size++) {
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
        List<ImageShape> exact = candidates.stream().filter(s -> dropsNoPixels(probe, s)).toList();
        if (exact.size() == 1) {
            return exact.get(0);
        }
        if (candidates.isEmpty() || candidates.size() > 8) {
            throw new UsageException(model + ": its configuration records " + channels + " input channel(s) but not the "
                    + "image size; expected " + OPTION + " " + channels + ",H,W");
        }
        throw new UsageException(model + ": its configuration fits " + candidates.size() + " input sizes ("
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
        return arrivingTypes(probe, shape) != null;
    }

    /** The input type arriving at each layer for inputs of {@code shape}, or null when the shape does not fit. */
    private static Map<String, InputType> arrivingTypes(ModelProbe probe, ImageShape shape) {
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
                    return null;
                }
                Map<String, InputType> outputs = conf.getLayerActivationTypes(in);
                for (String key : probe.layerNames()) {
                    List<String> from = conf.getVertexInputs().get(key);
                    if (from != null && from.size() == 1) {
                        inputs.put(key, conf.getNetworkInputs().contains(from.get(0)) ? in : outputs.get(from.get(0)));
                    }
                }
            } else {
                return null;
            }
        } catch (RuntimeException e) {
            return null; // DL4J refuses the size (e.g. a kernel larger than the feature map)
        }
        for (Map.Entry<String, InputType> e : inputs.entrySet()) {
            if (e.getValue() == null || !layerFits(probe, e.getKey(), e.getValue())) {
                return null;
            }
        }
        return inputs;
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

    /**
     * True when no convolution or pooling at {@code shape} leaves border pixels unused: for each
     * spatial axis, (in + 2·padding − effective kernel) is a multiple of the stride (always true
     * in {@code Same} mode).
     */
    static boolean dropsNoPixels(ModelProbe probe, ImageShape shape) {
        Map<String, InputType> arriving = arrivingTypes(probe, shape);
        if (arriving == null) {
            return false;
        }
        for (String key : probe.layerNames()) {
            Window w = Window.of(probe.layerConfig(key));
            if (w != null && !w.same() && arriving.get(key) instanceof InputType.InputTypeConvolutional conv
                    && (w.remainder(conv.getHeight(), 0) != 0 || w.remainder(conv.getWidth(), 1) != 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The smallest square size that every convolution and pooling, taken in network order as a
     * chain, leaves at least one pixel of: DL4J logs a warning for each zero-sized feature map
     * it meets, so the search starts above them.
     */
    static int minimumSize(ModelProbe probe) {
        List<Window> windows = new ArrayList<>();
        for (String key : probe.layerNames()) {
            Window w = Window.of(probe.layerConfig(key));
            if (w != null) {
                windows.add(w);
            }
        }
        long need = 1;
        for (int i = windows.size() - 1; i >= 0; i--) {
            need = Math.max(windows.get(i).inputNeeded(need, 0), windows.get(i).inputNeeded(need, 1));
        }
        return (int) Math.max(1, Math.min(need, MAX_INFERRED_SIZE + 1));
    }

    /** The sliding window of a 2-D convolution or pooling layer. */
    private record Window(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean same) {

        /** The window of {@code conf}, or null for layers without one (or not 2-D). */
        static Window of(org.deeplearning4j.nn.conf.layers.Layer conf) {
            Window w = null;
            if (conf instanceof ConvolutionLayer c) {
                w = new Window(c.getKernelSize(), c.getStride(), c.getPadding(), c.getDilation(),
                        c.getConvolutionMode() == ConvolutionMode.Same);
            } else if (conf instanceof SubsamplingLayer s) {
                w = new Window(s.getKernelSize(), s.getStride(), s.getPadding(), s.getDilation(),
                        s.getConvolutionMode() == ConvolutionMode.Same);
            }
            return w != null && w.kernel != null && w.kernel.length == 2 && w.stride != null && w.stride.length == 2
                    ? w : null;
        }

        /** k + (k − 1)(d − 1): the span of a dilated kernel. */
        long span(int axis) {
            int d = dilation != null && dilation.length == 2 ? dilation[axis] : 1;
            return kernel[axis] + (long) (kernel[axis] - 1) * (d - 1);
        }

        int pad(int axis) {
            return padding != null && padding.length == 2 ? padding[axis] : 0;
        }

        /** (in + 2p − span) mod stride: the pixels at the border no window covers. */
        long remainder(long in, int axis) {
            return Math.floorMod(in + 2L * pad(axis) - span(axis), (long) stride[axis]);
        }

        /** The input size that gives an output of {@code out} pixels. */
        long inputNeeded(long out, int axis) {
            return same ? (out - 1) * stride[axis] + 1 : (out - 1) * stride[axis] + span(axis) - 2L * pad(axis);
        }
    }
}
