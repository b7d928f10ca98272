package org.dl4jinvariance.probe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.Convolution1DUtils;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link ModelProbe} for a {@link MultiLayerNetwork}: the inference loop of {@code outputOfLayerDetached}. */
final class MultiLayerProbe extends ModelProbe {

    private final MultiLayerNetwork net;
    private final Map<String, Pointer> helperWorkspaces = new HashMap<>();

    MultiLayerProbe(MultiLayerNetwork net) {
        if (net.getLayers() == null) {
            net.init();
        }
        this.net = net;
    }

    @Override
    public Model model() {
        return net;
    }

    @Override
    WorkspaceMode inferenceWorkspaceMode() {
        return net.getLayerWiseConfigurations().getInferenceWorkspaceMode();
    }

    private Layer[] layers() {
        return net.getLayers();
    }

    String key(int index) {
        String name = layers()[index].conf().getLayer().getLayerName();
        // DL4J names unnamed layers "layer<i>"; those count as unnamed and are keyed by index.
        return name == null || name.equals("layer" + index) ? String.valueOf(index) : name;
    }

    @Override
    public List<String> layerNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers().length; i++) {
            names.add(key(i));
        }
        return names;
    }

    @Override
    public String outputLayer() {
        return key(layers().length - 1);
    }

    @Override
    String resolveOrNull(String layer) {
        if (layer == null) {
            return null;
        }
        Layer[] ls = layers();
        for (int i = 0; i < ls.length; i++) {
            String name = ls[i].conf().getLayer().getLayerName();
            if (layer.equals(key(i)) || layer.equals(name) || layer.equals(String.valueOf(i))) {
                return key(i);
            }
        }
        return null;
    }

    int indexOf(String key) {
        Layer[] ls = layers();
        for (int i = 0; i < ls.length; i++) {
            if (key(i).equals(key)) {
                return i;
            }
        }
        throw new IllegalArgumentException("Unknown layer '" + key + "'; layers: " + layerNames());
    }

    @Override
    public org.deeplearning4j.nn.conf.layers.Layer layerConfig(String layer) {
        return layers()[indexOf(resolve(layer))].conf().getLayer();
    }

    /** The name of a MultiLayerNetwork's single input. */
    static final String INPUT = "input";

    @Override
    public String inputLayerOf(String layer) {
        int i = indexOf(resolve(layer));
        return i == 0 ? null : key(i - 1);
    }

    @Override
    public Optional<String> networkInputOf(String layer) {
        return indexOf(resolve(layer)) == 0 ? Optional.of(INPUT) : Optional.empty();
    }

    @Override
    public InputPreProcessor inputPreProcessorOf(String layer) {
        return net.getLayerWiseConfigurations().getInputPreProcess(indexOf(resolve(layer)));
    }

    @Override
    public List<String> networkInputs() {
        return List.of(INPUT);
    }

    @Override
    void runForward(INDArray[] inputs, INDArray[] featuresMasks, List<String> keys, ActivationVisitor visitor) {
        if (inputs.length != 1) {
            throw new IllegalArgumentException("A MultiLayerNetwork has one input, got " + inputs.length + " input arrays");
        }
        INDArray input = inputs[0];
        INDArray featuresMask = featuresMasks == null ? null : featuresMasks[0];
        Layer[] ls = layers();
        Set<Integer> wanted = new HashSet<>();
        int last = 0;
        for (String key : keys) {
            int i = indexOf(key);
            wanted.add(i);
            last = Math.max(last, i);
        }
        LayerState saved = LayerState.save(ls);
        try {
            int rows = (int) input.size(0);
            saved.setMiniBatch(ls, rows);
            if (featuresMask != null) {
                net.feedForwardMaskArray(featuresMask, MaskState.Active, rows);
            }
            loop(input, wanted, last, visitor, featuresMask == null);
        } finally {
            saved.restore(ls);
        }
    }

    /** DL4J's even/odd activation-workspace loop; the visitor runs inside the layer's scope. */
    private void loop(INDArray input, Set<Integer> wanted, int last, ActivationVisitor visitor, boolean unmasked) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        Layer[] ls = layers();
        WorkspaceMode wsm = conf.getInferenceWorkspaceMode();
        LayerWorkspaceMgr mgrEven;
        LayerWorkspaceMgr mgrOdd;
        WorkspaceConfiguration workingConf = ProbeWorkspaces.learning(
                2 * (conf.getConfs().size() + conf.getInputPreProcessors().size()));
        WorkspaceConfiguration actConf = ProbeWorkspaces.learning(conf.getConfs().size());
        boolean noWs = wsm == WorkspaceMode.NONE;
        if (noWs) {
            mgrEven = LayerWorkspaceMgr.noWorkspaces();
            mgrOdd = mgrEven;
        } else {
            mgrEven = manager(ProbeWorkspaces.ACT_1, ProbeWorkspaces.ACT_2, workingConf, actConf);
            mgrOdd = manager(ProbeWorkspaces.ACT_2, ProbeWorkspaces.ACT_1, workingConf, actConf);
        }
        mgrEven.setHelperWorkspacePointers(helperWorkspaces);
        mgrOdd.setHelperWorkspacePointers(helperWorkspaces);

        MemoryWorkspace closeNext = null;
        MemoryWorkspace temp = null;
        PendingWork pendingPrevious = new PendingWork();   // reads the workspace closeNext
        PendingWork pendingCurrent = new PendingWork();    // reads the workspace temp
        boolean failed = true;
        MemoryWorkspace initial = Nd4j.getMemoryManager().getCurrentWorkspace();
        try {
            for (int i = 0; i <= last; i++) {
                LayerWorkspaceMgr mgr = i % 2 == 0 ? mgrEven : mgrOdd;
                if (i == 0 && !noWs) {
                    // The first layer's input cannot live in a previous activations workspace.
                    mgr.setWorkspace(ArrayType.INPUT, ProbeWorkspaces.WORKING_MEM, workingConf);
                }
                try (MemoryWorkspace working = mgr.notifyScopeEntered(ArrayType.FF_WORKING_MEM)) {
                    temp = mgr.notifyScopeEntered(ArrayType.ACTIVATIONS);
                    temp.setPreviousWorkspace(initial);
                    if (i == 0 && input.isAttached()) {
                        mgr.setNoLeverageOverride(input.data().getParentWorkspace().getId());
                    }
                    InputPreProcessor pre = conf.getInputPreProcess(i);
                    if (pre != null) {
                        input = pre.preProcess(input, (int) input.size(0), mgr);
                    }
                    input = ls[i].activate(formatFor(i, input), false, mgr);
                    ls[i].clear();
                    if (wanted.contains(i)) {
                        pendingCurrent.add(visitor.visitConcurrently(key(i), input));
                        // overlap with the next layer only when it cannot write into this output
                        boolean overlap = !noWs && unmasked && (i + 1 >= ls.length || readsInputOnly(ls[i + 1].conf().getLayer()));
                        if (!overlap) {
                            pendingCurrent.await();
                        }
                    }
                    if (closeNext != null) {
                        pendingPrevious.await();
                        closeNext.close();
                    }
                    closeNext = temp;
                    temp = null;
                    PendingWork swap = pendingPrevious;
                    pendingPrevious = pendingCurrent;
                    pendingCurrent = swap;
                }
                if (i == 0 && !noWs) {
                    mgr.setWorkspace(ArrayType.INPUT, ProbeWorkspaces.ACT_2, actConf);
                }
            }
            pendingPrevious.await();
            failed = false;
        } finally {
            if (failed) {
                pendingPrevious.awaitQuietly();
                pendingCurrent.awaitQuietly();
            }
            if (closeNext != null) {
                closeNext.close();
            }
            if (temp != null) {
                while (temp.isScopeActive()) {
                    temp.close();
                }
            }
            Nd4j.getMemoryManager().setCurrentWorkspace(initial);
            if (failed && !noWs) {
                ProbeWorkspaces.release(List.of(ProbeWorkspaces.WORKING_MEM, ProbeWorkspaces.ACT_1, ProbeWorkspaces.ACT_2,
                        ProbeWorkspaces.RNN_LOOP));
            }
        }
    }

    private static LayerWorkspaceMgr manager(String act, String in, WorkspaceConfiguration workingConf,
                                             WorkspaceConfiguration actConf) {
        return LayerWorkspaceMgr.builder()
                .with(ArrayType.FF_WORKING_MEM, ProbeWorkspaces.WORKING_MEM, workingConf)
                .with(ArrayType.ACTIVATIONS, act, actConf)
                .with(ArrayType.INPUT, in, actConf)
                .with(ArrayType.RNN_FF_LOOP_WORKING_MEM, ProbeWorkspaces.RNN_LOOP, ProbeWorkspaces.rnnLoop())
                .build();
    }

    /** The NCHW/NHWC and RNN-format fix-ups DL4J applies between consecutive layers. */
    private INDArray formatFor(int i, INDArray input) {
        if (i == 0) {
            return input;
        }
        org.deeplearning4j.nn.conf.layers.Layer prev = layers()[i - 1].conf().getLayer();
        org.deeplearning4j.nn.conf.layers.Layer cur = layers()[i].conf().getLayer();
        if (ConvolutionUtils.layerHasConvolutionLayout(prev) && ConvolutionUtils.layerHasConvolutionLayout(cur)) {
            CNN2DFormat p = ConvolutionUtils.getFormatForLayer(prev);
            CNN2DFormat c = ConvolutionUtils.getFormatForLayer(cur);
            if (p != c) {
                return p == CNN2DFormat.NCHW ? input.permute(0, 3, 1, 2) : input.permute(0, 2, 3, 1);
            }
        } else if (Convolution1DUtils.hasRnnDataFormat(prev) && Convolution1DUtils.hasRnnDataFormat(cur)) {
            RNNFormat p = Convolution1DUtils.getRnnFormatFromLayer(prev);
            RNNFormat c = Convolution1DUtils.getRnnFormatFromLayer(cur);
            if (p != c) {
                return input.permute(0, 2, 1);
            }
        }
        return input;
    }

    /** The per-layer fields a forward pass touches, saved and put back. */
    record LayerState(int[] miniBatch, INDArray[] masks, INDArray[] inputs) {
        static LayerState save(Layer[] ls) {
            int[] mb = new int[ls.length];
            INDArray[] masks = new INDArray[ls.length];
            INDArray[] inputs = new INDArray[ls.length];
            for (int i = 0; i < ls.length; i++) {
                mb[i] = miniBatchOf(ls[i]);
                masks[i] = ls[i].getMaskArray();
                inputs[i] = ls[i].input();
            }
            return new LayerState(mb, masks, inputs);
        }

        /** The layer's mini-batch size, or −1 when it has none to report (most layers derive it from their input). */
        private static int miniBatchOf(Layer l) {
            try {
                return l.getInputMiniBatchSize();
            } catch (RuntimeException e) {
                return -1;
            }
        }

        /** Sets the mini-batch size on the layers whose previous value is known (so it can be put back). */
        void setMiniBatch(Layer[] ls, int rows) {
            for (int i = 0; i < ls.length; i++) {
                if (miniBatch[i] >= 0) {
                    ls[i].setInputMiniBatchSize(rows);
                }
            }
        }

        /**
         * Puts the saved fields back. An input or mask that lives in a workspace which has since been
         * closed or reused (e.g. the training workspace, when the probe runs from a listener's
         * {@code onEpochEnd}) cannot be restored: the layer is cleared instead, as DL4J itself does
         * right after the listeners return.
         */
        void restore(Layer[] ls) {
            for (int i = 0; i < ls.length; i++) {
                if (miniBatch[i] >= 0) {
                    ls[i].setInputMiniBatchSize(miniBatch[i]);
                }
                if (isValid(inputs[i])) {
                    ls[i].setInput(inputs[i], LayerWorkspaceMgr.noWorkspaces());
                } else {
                    ls[i].clear();
                }
                ls[i].setMaskArray(isValid(masks[i]) ? masks[i] : null);
            }
        }

        /** Non-null, and detached or still inside the same generation of an open workspace. */
        static boolean isValid(INDArray array) {
            if (array == null || array.wasClosed()) {
                return false;
            }
            if (!array.isAttached()) {
                return true;
            }
            MemoryWorkspace ws = array.data().getParentWorkspace();
            return ws != null && ws.isScopeActive() && ws.getGenerationId() == array.data().getGenerationId();
        }
    }
}
