package org.dl4jinvariance.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.Convolution1DUtils;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link ModelProbe} for a {@link ComputationGraph} with one or several inputs: the topological inference loop
 * of {@code outputOfLayersDetached}, with its pool of activation workspaces that close once every
 * consumer of a vertex has run.
 */
final class GraphProbe extends ModelProbe {

    private final ComputationGraph graph;
    private final Map<String, Pointer> helperWorkspaces = new HashMap<>();

    GraphProbe(ComputationGraph graph) {
        if (graph.getVertices() == null) {
            graph.init();
        }
        this.graph = graph;
    }

    @Override
    public Model model() {
        return graph;
    }

    @Override
    WorkspaceMode inferenceWorkspaceMode() {
        return graph.getConfiguration().getInferenceWorkspaceMode();
    }

    @Override
    public List<String> layerNames() {
        List<String> names = new ArrayList<>();
        String output = outputLayer();
        for (int idx : graph.topologicalSortOrder()) {
            GraphVertex v = graph.getVertices()[idx];
            if (!v.isInputVertex() && !v.getVertexName().equals(output)) {
                names.add(v.getVertexName());
            }
        }
        names.add(output);
        return names;
    }

    @Override
    public String outputLayer() {
        return graph.getConfiguration().getNetworkOutputs().get(0);
    }

    @Override
    String resolveOrNull(String layer) {
        GraphVertex v = layer == null ? null : graph.getVertex(layer);
        return v == null || v.isInputVertex() ? null : v.getVertexName();
    }

    @Override
    public org.deeplearning4j.nn.conf.layers.Layer layerConfig(String layer) {
        GraphVertex v = graph.getVertex(resolve(layer));
        return v.hasLayer() ? v.getLayer().conf().getLayer() : null;
    }

    @Override
    public String inputLayerOf(String layer) {
        GraphVertex v = graph.getVertex(resolve(layer));
        VertexIndices[] in = v.getInputVertices();
        if (in == null || in.length != 1) {
            return null;
        }
        GraphVertex from = graph.getVertices()[in[0].getVertexIndex()];
        return from.isInputVertex() ? null : from.getVertexName();
    }

    @Override
    public Optional<String> networkInputOf(String layer) {
        GraphVertex v = graph.getVertex(resolve(layer));
        VertexIndices[] in = v.getInputVertices();
        if (in == null || in.length != 1) {
            return Optional.empty();
        }
        GraphVertex from = graph.getVertices()[in[0].getVertexIndex()];
        return from.isInputVertex() ? Optional.of(from.getVertexName()) : Optional.empty();
    }

    @Override
    public org.deeplearning4j.nn.conf.InputPreProcessor inputPreProcessorOf(String layer) {
        org.deeplearning4j.nn.conf.graph.GraphVertex v = graph.getConfiguration().getVertices().get(resolve(layer));
        return v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv ? lv.getPreProcessor() : null;
    }

    @Override
    public List<String> networkInputs() {
        return List.copyOf(graph.getConfiguration().getNetworkInputs());
    }

    @Override
    void runForward(INDArray[] inputs, INDArray[] featuresMasks, List<String> keys, ActivationVisitor visitor) {
        if (inputs.length != graph.getNumInputArrays()) {
            throw new IllegalArgumentException("This ComputationGraph has " + graph.getNumInputArrays() + " inputs "
                    + graph.getConfiguration().getNetworkInputs() + ", got " + inputs.length + " input arrays");
        }
        INDArray input = inputs[0];
        boolean masked = featuresMasks != null && Arrays.stream(featuresMasks).anyMatch(m -> m != null);
        GraphVertex[] vertices = graph.getVertices();
        int[] order = graph.topologicalSortOrder();
        boolean[] wanted = new boolean[vertices.length];
        int stop = -1;
        for (String key : keys) {
            int idx = graph.getVertex(key).getVertexIndex();
            wanted[idx] = true;
            stop = Math.max(stop, indexIn(order, idx));
        }
        Layer[] layers = graph.getLayers();
        MultiLayerProbe.LayerState savedLayers = MultiLayerProbe.LayerState.save(layers);
        INDArray[][] savedInputs = new INDArray[vertices.length][];
        for (GraphVertex v : vertices) {
            INDArray[] in = v.getInputs();
            savedInputs[v.getVertexIndex()] = in == null ? null : in.clone();
        }
        INDArray[] savedNetworkInputs = graph.getInputs();
        INDArray[] savedInputMasks = graph.getInputMaskArrays();
        INDArray[] savedLabelMasks = graph.getLabelMaskArrays();
        try {
            savedLayers.setMiniBatch(layers, (int) input.size(0));
            // Layer vertices read the mini-batch size for their preprocessors from the graph's input.
            graph.setInputs(inputs);
            if (masked) {
                graph.setLayerMaskArrays(featuresMasks, null);
            }
            loop(inputs, order, wanted, stop, visitor, !masked);
        } finally {
            if (masked) {
                if (savedInputMasks != null || savedLabelMasks != null) {
                    graph.setLayerMaskArrays(savedInputMasks, savedLabelMasks);
                } else {
                    graph.clearLayerMaskArrays();
                }
            }
            graph.setInputs(savedNetworkInputs);
            savedLayers.restore(layers);
            for (GraphVertex v : vertices) {
                INDArray[] in = savedInputs[v.getVertexIndex()];
                if (in != null && Arrays.stream(in).anyMatch(a -> a != null)) {
                    if (Arrays.stream(in).allMatch(a -> a == null || MultiLayerProbe.LayerState.isValid(a))) {
                        v.setInputs(in);
                    } else {
                        v.clear();  // inputs from a closed workspace (see LayerState.restore)
                    }
                }
            }
        }
    }

    private void loop(INDArray[] inputs, int[] order, boolean[] wanted, int stop, ActivationVisitor visitor, boolean unmasked) {
        GraphVertex[] vertices = graph.getVertices();
        ComputationGraphConfiguration conf = graph.getConfiguration();
        // For each vertex, the step after which every consumer has read its output.
        int[] consumedBy = new int[vertices.length];
        for (GraphVertex v : vertices) {
            int max = -1;
            VertexIndices[] outs = v.getOutputVertices();
            if (outs != null) {
                for (VertexIndices vi : outs) {
                    max = Math.max(max, indexIn(order, vi.getVertexIndex()));
                }
            } else {
                max = order.length - 1;
            }
            consumedBy[v.getVertexIndex()] = max;
        }
        boolean noWs = conf.getInferenceWorkspaceMode() == WorkspaceMode.NONE;
        WorkspaceConfiguration workingConf = ProbeWorkspaces.learning(2 * vertices.length);
        WorkspaceConfiguration actConf = ProbeWorkspaces.learning(vertices.length);
        LayerWorkspaceMgr none = noWs ? LayerWorkspaceMgr.noWorkspaces(helperWorkspaces) : null;
        List<LayerWorkspaceMgr> all = new ArrayList<>();
        List<LayerWorkspaceMgr> free = new ArrayList<>();
        Map<MemoryWorkspace, LayerWorkspaceMgr> open = new IdentityHashMap<>();
        Map<MemoryWorkspace, PendingWork> pending = new IdentityHashMap<>();
        boolean failed = true;
        @SuppressWarnings("unchecked")
        List<MemoryWorkspace>[] closeAt = new List[order.length];
        MemoryWorkspace initial = Nd4j.getMemoryManager().getCurrentWorkspace();
        try {
            for (int i = 0; i <= stop; i++) {
                GraphVertex current = vertices[order[i]];
                GraphVertex prev = i > 0 ? vertices[order[i - 1]] : null;
                LayerWorkspaceMgr mgr;
                if (noWs) {
                    mgr = none;
                } else if (!free.isEmpty()) {
                    mgr = free.remove(free.size() - 1);
                } else {
                    String ws = "WS_LAYER_ACT_" + all.size();
                    mgr = LayerWorkspaceMgr.builder()
                            .with(ArrayType.INPUT, ws, actConf)
                            .with(ArrayType.ACTIVATIONS, ws, actConf)
                            .with(ArrayType.FF_WORKING_MEM, ProbeWorkspaces.WORKING_MEM, workingConf)
                            .with(ArrayType.RNN_FF_LOOP_WORKING_MEM, ProbeWorkspaces.RNN_LOOP, ProbeWorkspaces.rnnLoop())
                            .build();
                    for (INDArray input : inputs) {
                        if (input.isAttached()) {
                            mgr.setNoLeverageOverride(input.data().getParentWorkspace().getId());
                        }
                    }
                    all.add(mgr);
                }
                mgr.setHelperWorkspacePointers(helperWorkspaces);
                MemoryWorkspace wsAct = mgr.notifyScopeEntered(ArrayType.ACTIVATIONS);
                open.put(wsAct, mgr);
                wsAct.setPreviousWorkspace(initial);
                int closeable = consumedBy[current.getVertexIndex()];
                if (closeAt[closeable] == null) {
                    closeAt[closeable] = new ArrayList<>();
                }
                closeAt[closeable].add(wsAct);

                try (MemoryWorkspace working = mgr.notifyScopeEntered(ArrayType.FF_WORKING_MEM)) {
                    INDArray out;
                    if (current.isInputVertex()) {
                        out = inputs[current.getVertexIndex()];
                    } else {
                        fixFormat(current, prev, mgr);
                        out = current.doForward(false, mgr);
                    }
                    VertexIndices[] outs = current.getOutputVertices();
                    if (outs != null) {
                        for (VertexIndices v : outs) {
                            vertices[v.getVertexIndex()].setInput(v.getVertexEdgeNumber(), out, mgr);
                        }
                    }
                    current.clear();
                    if (wanted[current.getVertexIndex()]) {
                        PendingWork work = pending.computeIfAbsent(wsAct, w -> new PendingWork());
                        work.add(visitor.visitConcurrently(current.getVertexName(), out));
                        if (noWs || !unmasked || !consumersReadOnly(current)) {
                            work.await();
                        }
                    }
                }
                if (closeAt[i] != null) {
                    for (MemoryWorkspace ws : closeAt[i]) {
                        PendingWork work = pending.remove(ws);
                        if (work != null) {
                            work.await();
                        }
                        ws.close();
                        free.add(open.remove(ws));
                    }
                }
            }
            for (PendingWork work : pending.values()) {
                work.await();
            }
            failed = false;
        } finally {
            if (failed) {
                pending.values().forEach(PendingWork::awaitQuietly);
            }
            for (MemoryWorkspace ws : open.keySet()) {
                while (ws.isScopeActive()) {
                    ws.close();
                }
            }
            // Vertices after the stop point may still hold inputs set during this pass.
            for (GraphVertex v : vertices) {
                v.clear();
            }
            Nd4j.getMemoryManager().setCurrentWorkspace(initial);
            if (failed && !noWs) {
                // Every activation workspace a pass of this graph may use, also those this pass did not reach.
                List<String> ids = new ArrayList<>(List.of(ProbeWorkspaces.WORKING_MEM, ProbeWorkspaces.RNN_LOOP));
                for (int k = 0; k <= vertices.length; k++) {
                    ids.add("WS_LAYER_ACT_" + k);
                }
                ProbeWorkspaces.release(ids);
            }
        }
    }

    /** True when every vertex consuming {@code v}'s output is a layer that only reads its input. */
    private boolean consumersReadOnly(GraphVertex v) {
        VertexIndices[] outs = v.getOutputVertices();
        if (outs == null) {
            return true;
        }
        for (VertexIndices vi : outs) {
            GraphVertex consumer = graph.getVertices()[vi.getVertexIndex()];
            if (!consumer.hasLayer() || !readsInputOnly(consumer.getLayer().conf().getLayer())) {
                return false;
            }
        }
        return true;
    }

    /** The NCHW/NHWC and RNN-format fix-ups DL4J applies between consecutive layer vertices. */
    private static void fixFormat(GraphVertex current, GraphVertex prev, LayerWorkspaceMgr mgr) {
        if (prev == null || !current.hasLayer() || !prev.hasLayer()) {
            return;
        }
        org.deeplearning4j.nn.conf.layers.Layer p = prev.getLayer().conf().getLayer();
        org.deeplearning4j.nn.conf.layers.Layer c = current.getLayer().conf().getLayer();
        int edge = -1;
        for (int k = 0; k < current.getInputVertices().length; k++) {
            if (current.getInputVertices()[k].getVertexIndex() == prev.getVertexIndex()) {
                edge = k;
            }
        }
        if (edge < 0) {
            return;
        }
        INDArray in = current.getInputs()[edge];
        if (ConvolutionUtils.layerHasConvolutionLayout(p) && ConvolutionUtils.layerHasConvolutionLayout(c)) {
            CNN2DFormat pf = ConvolutionUtils.getFormatForLayer(p);
            if (pf != ConvolutionUtils.getFormatForLayer(c)) {
                current.setInput(edge, pf == CNN2DFormat.NCHW ? in.permute(0, 3, 1, 2) : in.permute(0, 2, 3, 1), mgr);
            }
        } else if (Convolution1DUtils.hasRnnDataFormat(p) && Convolution1DUtils.hasRnnDataFormat(c)) {
            RNNFormat pf = Convolution1DUtils.getRnnFormatFromLayer(p);
            if (pf != Convolution1DUtils.getRnnFormatFromLayer(c)) {
                current.setInput(edge, in.permute(0, 2, 1), mgr);
            }
        }
    }

    private static int indexIn(int[] order, int vertex) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] == vertex) {
                return i;
            }
        }
        throw new IllegalStateException("Vertex " + vertex + " is not in the topological order");
    }
}
