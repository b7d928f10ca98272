package org.dl4jinvariance.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Looks inside a trained {@link MultiLayerNetwork} or {@link ComputationGraph}: one
 * inference-mode forward pass hands the activations of every requested layer to an
 * {@link ActivationVisitor}, so probing k layers costs the same single pass as probing one.
 *
 * <p><b>Layer keys.</b> A {@code MultiLayerNetwork} layer is named by its layer name when the
 * user set one, else by its index as a string ({@code "0"}, {@code "1"}, …; DL4J's automatic
 * names {@code layer0}, {@code layer1}, … count as "not set" and also resolve). A
 * {@code ComputationGraph} layer is named by its vertex name. {@link #layerNames()} lists
 * every layer (input vertices excluded) in network order, the output layer last.
 *
 * <p><b>The model is never changed.</b> The pass runs layer by layer inside DL4J's own
 * inference workspaces (the protocol of {@code MultiLayerNetwork.outputOfLayerDetached} and
 * {@code ComputationGraph.outputOfLayersDetached}, reproduced with public API), and every field
 * it touches is put back: parameters, updater state, iteration/epoch counters, the network's
 * stored input, labels and masks, the layers' own input, mask and mini-batch fields, and the
 * training/inference configuration are the same afterwards. Inference mode means dropout is
 * off and batch normalization uses its running statistics; no random numbers are drawn.
 *
 * <p>Not thread-safe: probe one model from one thread at a time (DL4J models are not
 * thread-safe either).
 */
public abstract class ModelProbe {

    private final AtomicLong forwardPasses = new AtomicLong();

    ModelProbe() {
    }

    /**
     * A probe for {@code model}.
     *
     * @throws IllegalArgumentException unless the model is a {@link MultiLayerNetwork} or a
     *                                  {@link ComputationGraph}
     */
    public static ModelProbe of(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return new MultiLayerProbe(net);
        }
        if (model instanceof ComputationGraph graph) {
            return new GraphProbe(graph);
        }
        throw new IllegalArgumentException("ModelProbe needs a MultiLayerNetwork or a ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getName()));
    }

    /** The probed model. */
    public abstract Model model();

    /** Every layer's key in network order (topological order for graphs), the output layer last. */
    public abstract List<String> layerNames();

    /** The key of the output layer (for graphs: the first network output). */
    public abstract String outputLayer();

    /**
     * The layer configuration behind a key, or null for graph vertices without a layer (merge,
     * element-wise, preprocessor vertices).
     */
    public abstract org.deeplearning4j.nn.conf.layers.Layer layerConfig(String layer);

    /**
     * The key of the single layer feeding {@code layer}, or null when it is fed by the network
     * input or by several vertices. Used to carry field types through global pooling.
     */
    public abstract String inputLayerOf(String layer);

    /**
     * The name of the network input that {@code layer} reads directly (as its only input), or
     * empty. A {@code MultiLayerNetwork} has one input, named {@code "input"}, read by layer 0.
     */
    public abstract Optional<String> networkInputOf(String layer);

    /**
     * The input preprocessor DL4J applies before {@code layer} (a reshape such as
     * {@code CnnToFeedForwardPreProcessor}), or null when there is none.
     */
    public abstract org.deeplearning4j.nn.conf.InputPreProcessor inputPreProcessorOf(String layer);

    /** The names of the network's inputs ({@code ["input"]} for a {@code MultiLayerNetwork}). */
    public abstract List<String> networkInputs();

    /**
     * [channels, height, width] when the network takes flat image rows [B, C·H·W]
     * ({@code InputType.convolutionalFlat}: a {@code FeedForwardToCnnPreProcessor} before a
     * layer reading the first network input), else empty.
     */
    public Optional<long[]> flatImageShape() {
        String input = networkInputs().get(0);
        for (String key : layerNames()) {
            if (networkInputOf(key).filter(input::equals).isPresent()
                    && inputPreProcessorOf(key) instanceof org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor ff) {
                return Optional.of(new long[] {ff.getNumChannels(), ff.getInputHeight(), ff.getInputWidth()});
            }
        }
        return Optional.empty();
    }

    /**
     * One example's shape for the first network input as the configuration records it: the
     * image shape [C, H, W] of a flat-image network ({@link #flatImageShape()}), or the input
     * shape an {@link org.dl4jinvariance.field.EquivariantLayer} reading that input recorded when
     * the configuration was built; else empty (plain DL4J layers do not record it).
     */
    public Optional<long[]> inputExampleShape() {
        Optional<long[]> flat = flatImageShape();
        if (flat.isPresent()) {
            return flat;
        }
        String input = networkInputs().get(0);
        for (String key : layerNames()) {
            if (networkInputOf(key).filter(input::equals).isPresent()
                    && layerConfig(key) instanceof org.dl4jinvariance.field.EquivariantLayer eq
                    && eq.recordedInputShape().isPresent()) {
                return eq.recordedInputShape();
            }
        }
        return Optional.empty();
    }

    /**
     * The canonical key for a layer given by key, DL4J layer name or index.
     *
     * @throws IllegalArgumentException naming {@code layer} and listing the known layers
     */
    public String resolve(String layer) {
        String key = resolveOrNull(layer);
        if (key == null) {
            throw new IllegalArgumentException("Unknown layer '" + layer + "'; this " + model().getClass().getSimpleName()
                    + " has layers " + layerNames());
        }
        return key;
    }

    abstract String resolveOrNull(String layer);

    /**
     * One inference-mode forward pass of {@code input}, stopping after the last requested layer;
     * {@code visitor} sees each requested layer's activations as soon as they exist (see
     * {@link ActivationVisitor} for their lifetime).
     *
     * @param input        the network input [rows, ...]
     * @param featuresMask the input mask for those rows, or null
     * @param layers       keys (or names, indices) of the layers to visit
     */
    public void forward(INDArray input, INDArray featuresMask, List<String> layers, ActivationVisitor visitor) {
        Objects.requireNonNull(input, "input");
        forward(new INDArray[] {input}, featuresMask == null ? null : new INDArray[] {featuresMask}, layers, visitor);
    }

    /**
     * {@link #forward(INDArray, INDArray, List, ActivationVisitor)} for a network with several
     * inputs (a {@code ComputationGraph}): one array per network input, in the order of
     * {@link #networkInputs()}, all with the same number of rows.
     *
     * @param featuresMasks one mask per input (entries may be null), or null
     */
    public void forward(INDArray[] inputs, INDArray[] featuresMasks, List<String> layers, ActivationVisitor visitor) {
        Objects.requireNonNull(inputs, "inputs");
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null || inputs[i].size(0) != inputs[0].size(0)) {
                throw new IllegalArgumentException("Input " + i + " is " + (inputs[i] == null ? "null"
                        : "of shape " + describeShape(inputs[i])) + "; every input needs " + inputs[0].size(0) + " rows");
            }
        }
        Objects.requireNonNull(visitor, "visitor");
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("Name at least one layer to probe, got " + layers);
        }
        List<String> keys = new ArrayList<>();
        for (String layer : layers) {
            keys.add(resolve(layer));
        }
        forwardPasses.incrementAndGet();
        if (inferenceWorkspaceMode() == WorkspaceMode.NONE) {
            // Without workspaces DL4J allocates activations as plain (garbage-collected) memory,
            // and its own output() refuses to run inside an open workspace: a caller's open
            // workspace (the evaluator's chunk workspace) must not collect them.
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                runForward(inputs, featuresMasks, keys, visitor);
            }
        } else {
            runForward(inputs, featuresMasks, keys, visitor);
        }
    }

    /** The network's inference workspace mode (NONE: no workspaces, activations are plain memory). */
    abstract WorkspaceMode inferenceWorkspaceMode();

    abstract void runForward(INDArray[] inputs, INDArray[] featuresMasks, List<String> keys, ActivationVisitor visitor);

    /**
     * Detached copies of the requested layers' activations for {@code batch}, in one forward pass.
     * Convenient for inspection; the metric engine uses {@link #forward} and never copies.
     */
    public Map<String, INDArray> activations(INDArray batch, List<String> layers) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String layer : layers) {
            out.put(resolve(layer), null);
        }
        forward(batch, null, layers, (layer, act) -> out.put(layer, act.detach()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * {@link #activations(INDArray, List)} in chunks of at most {@code maxBatch} rows (one forward
     * pass per chunk), concatenated.
     */
    public Map<String, INDArray> activations(INDArray batch, List<String> layers, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        long rows = batch.size(0);
        if (rows <= maxBatch) {
            return activations(batch, layers);
        }
        Map<String, List<INDArray>> parts = new LinkedHashMap<>();
        for (long from = 0; from < rows; from += maxBatch) {
            long to = Math.min(rows, from + maxBatch);
            INDArray chunk = batch.get(NDArrayIndex.interval(from, to)).dup();
            activations(chunk, layers).forEach((k, v) -> parts.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        parts.forEach((k, v) -> out.put(k, Nd4j.concat(0, v.toArray(new INDArray[0]))));
        return Collections.unmodifiableMap(out);
    }

    /** How many forward passes this probe has run (one per {@link #forward} call). */
    public long forwardPasses() {
        return forwardPasses.get();
    }

    static String describeShape(INDArray a) {
        return Arrays.toString(a.shape());
    }

    /**
     * True for layer types whose inference pass only reads its input, so a visitor's pending
     * work may keep reading that input while the layer runs. Others (activation and dropout
     * layers may work in place, custom layers are unknown) make the probe wait first.
     */
    static boolean readsInputOnly(org.deeplearning4j.nn.conf.layers.Layer conf) {
        if (conf instanceof org.dl4jinvariance.field.EquivariantLayer declared) {
            return declared.readsInputOnly();
        }
        return conf instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer
                || conf instanceof org.deeplearning4j.nn.conf.layers.SubsamplingLayer
                || conf instanceof org.deeplearning4j.nn.conf.layers.DenseLayer
                || conf instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer
                || conf instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization
                || conf instanceof org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
    }
}
