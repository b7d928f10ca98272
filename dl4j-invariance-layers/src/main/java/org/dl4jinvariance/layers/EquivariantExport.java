package org.dl4jinvariance.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.api.Model;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.field.EquivariantLayer;
import org.dl4jinvariance.field.FieldInference;
import org.dl4jinvariance.group.PlanarGroup;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns a network with equivariant layers into an equivalent network of plain DL4J layers, for
 * fast inference (and deployment where this library is not on the class path):
 * <ul>
 *   <li>{@link LiftingConvolution} / {@link GroupConvolution} → {@code ConvolutionLayer} holding
 *       the expanded filters W = expand(ψ) and the expanded bias ({@link
 *       AbstractGroupConvolution#toExpandedConvolution()});</li>
 *   <li>{@link GroupBatchNormalization} → {@code BatchNormalization} over C·|G| channels with every
 *       field's γ, β, running mean and variance repeated |G| times (equal in inference mode);</li>
 *   <li>{@link GroupPooling} → a {@code SubsamplingLayer} with kernel [|G|, 1] and stride [|G|, 1]
 *       (max or average) on the input reshaped from [B, C·|G|, H, W] to [B, 1, C·|G|, H·W] by
 *       input preprocessors, reshaped back to [B, C, H, W] before the next layer.</li>
 * </ul>
 * Each layer says what replaces it ({@link ExportsToPlain#toPlain}); every other layer and every
 * parameter is copied. Before exporting, the network's fields are checked with the same
 * {@link FieldInference} the metrics use, so a network whose equivariant layers disagree (e.g. a
 * D4 batch normalization after a C4 convolution) is refused. MultiLayerNetwork layer indices and graph
 * vertex names are kept (a graph gains one vertex {@code <name>-subsampling} per group pooling).
 * Group pooling needs its input size, recorded when the configuration was built with
 * {@code setInputType}.
 */
public final class EquivariantExport {

    private EquivariantExport() {
    }

    /** An equivalent MultiLayerNetwork of plain DL4J layers (initialised, parameters copied). */
    public static MultiLayerNetwork toPlain(MultiLayerNetwork net) {
        checkExportable(net);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
        int n = conf.getConfs().size();
        Map<Integer, Map<String, INDArray>> params = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            NeuralNetConfiguration layerConf = conf.getConf(i);
            PlainEquivalent plain = plain(layerConf.getLayer(), net.getLayer(i));
            if (plain.after() != null && i == n - 1) {
                throw new IllegalArgumentException(describe(layerConf.getLayer()) + " as the last layer (" + i
                        + ") cannot be exported: the reshape after it needs a following layer");
            }
            layerConf.setLayer(plain.layer());
            params.put(i, plain.params());
            if (plain.before() != null) {
                conf.getInputPreProcessors().put(i, compose(conf.getInputPreProcess(i), plain.before()));
            }
            if (plain.after() != null) {
                conf.getInputPreProcessors().put(i + 1, compose(plain.after(), conf.getInputPreProcess(i + 1)));
            }
        }
        MultiLayerNetwork out = new MultiLayerNetwork(conf);
        out.init();
        params.forEach((i, table) -> copyParams(out.getLayer(i), table));
        return out;
    }

    /**
     * An equivalent ComputationGraph of plain DL4J layers (initialised, parameters copied). A
     * layer whose replacement needs reshapes becomes a vertex {@code <name>-subsampling} holding
     * the plain layer, followed by a preprocessor vertex {@code <name>} for the reshape back.
     */
    public static ComputationGraph toPlain(ComputationGraph net) {
        checkExportable(net);
        ComputationGraphConfiguration conf = net.getConfiguration().clone();
        Map<String, Map<String, INDArray>> params = new LinkedHashMap<>();
        for (String name : new ArrayList<>(conf.getVertices().keySet())) {
            GraphVertex vertex = conf.getVertices().get(name);
            if (!(vertex instanceof LayerVertex lv)) {
                continue;
            }
            PlainEquivalent plain = plain(lv.getLayerConf().getLayer(), net.getLayer(name));
            if (!plain.reshapes()) {
                lv.getLayerConf().setLayer(plain.layer());
                params.put(name, plain.params());
                continue;
            }
            String plainName = name + "-subsampling";
            if (conf.getVertices().containsKey(plainName)) {
                throw new IllegalArgumentException("Cannot export " + describe(lv.getLayerConf().getLayer()) + " '" + name
                        + "': vertex name '" + plainName + "' is taken");
            }
            NeuralNetConfiguration plainConf = lv.getLayerConf().clone();
            plainConf.setLayer(plain.layer());
            conf.getVertices().put(plainName, new LayerVertex(plainConf, compose(lv.getPreProcessor(), plain.before())));
            conf.getVertexInputs().put(plainName, conf.getVertexInputs().get(name));
            conf.getVertices().put(name, new PreprocessorVertex(plain.after()));
            conf.getVertexInputs().put(name, List.of(plainName));
            params.put(plainName, plain.params());
        }
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
        ComputationGraph out = new ComputationGraph(conf);
        out.init();
        params.forEach((name, table) -> copyParams(out.getLayer(name), table));
        return out;
    }

    /** An initialised network whose equivariant layers agree on their fields (checked by {@link FieldInference}). */
    private static void checkExportable(Model net) {
        boolean initialised = net instanceof MultiLayerNetwork mln ? mln.getLayers() != null
                : net instanceof ComputationGraph cg && cg.getLayers() != null;
        if (!initialised) {
            throw new IllegalArgumentException("toPlain needs an initialised network (call init() first), got "
                    + (net == null ? "null" : "a network without parameters"));
        }
        PlanarGroup group = firstGroup(net);
        if (group != null) {
            FieldInference.of(net, ImageActions.rotation(group));
        }
    }

    private static PlanarGroup firstGroup(Model net) {
        List<org.deeplearning4j.nn.conf.layers.Layer> layers = new ArrayList<>();
        if (net instanceof MultiLayerNetwork mln) {
            mln.getLayerWiseConfigurations().getConfs().forEach(c -> layers.add(c.getLayer()));
        } else if (net instanceof ComputationGraph cg) {
            cg.getConfiguration().getVertices().values().forEach(v -> {
                if (v instanceof LayerVertex lv) {
                    layers.add(lv.getLayerConf().getLayer());
                }
            });
        }
        for (org.deeplearning4j.nn.conf.layers.Layer l : layers) {
            if (l instanceof EquivariantLayer eq && eq.group().orElse(null) instanceof PlanarGroup p) {
                return p;
            }
        }
        return null;
    }

    /** The layer's own plain equivalent, or the layer itself with a copy of its parameters. */
    private static PlainEquivalent plain(org.deeplearning4j.nn.conf.layers.Layer layer, Layer runtime) {
        if (layer instanceof ExportsToPlain exportable) {
            return exportable.toPlain(runtime);
        }
        Map<String, INDArray> params = new LinkedHashMap<>();
        if (runtime.paramTable() != null) {
            runtime.paramTable().forEach((k, v) -> params.put(k, v.dup()));
        }
        return PlainEquivalent.of(layer, params);
    }

    private static String describe(org.deeplearning4j.nn.conf.layers.Layer layer) {
        return layer instanceof EquivariantLayer eq ? eq.summary() : layer.getClass().getSimpleName();
    }

    /** Assigns every parameter of a table to a layer of the new network (shapes may differ in rank only). */
    private static void copyParams(Layer layer, Map<String, INDArray> table) {
        table.forEach((key, value) -> {
            INDArray target = layer.getParam(key);
            target.assign(value.reshape('c', target.shape()).castTo(target.dataType()));
        });
    }

    private static InputPreProcessor compose(InputPreProcessor first, InputPreProcessor second) {
        if (first == null) {
            return second;
        }
        if (second == null) {
            return first;
        }
        return new ComposableInputPreProcessor(first, second);
    }
}
