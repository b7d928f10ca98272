package org.dl4jinvariance.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
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
 * Every other layer and every parameter is copied. MultiLayerNetwork layer indices and graph
 * vertex names are kept (a graph gains one vertex {@code <name>-subsampling} per group pooling).
 * Group pooling needs its input size, recorded when the configuration was built with
 * {@code setInputType}.
 */
public final class EquivariantExport {

    private EquivariantExport() {
    }

    /** An equivalent MultiLayerNetwork of plain DL4J layers (initialised, parameters copied). */
    public static MultiLayerNetwork toPlain(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
        int n = conf.getConfs().size();
        Map<Integer, Map<String, INDArray>> params = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            NeuralNetConfiguration layerConf = conf.getConf(i);
            org.deeplearning4j.nn.conf.layers.Layer layer = layerConf.getLayer();
            Layer runtime = net.getLayer(i);
            if (layer instanceof GroupPooling pooling) {
                if (i == n - 1) {
                    throw new IllegalArgumentException("GroupPooling as the last layer (" + i
                            + ") cannot be exported: the reshape back needs a following layer");
                }
                Reshapes r = reshapes(pooling);
                layerConf.setLayer(r.pooling);
                conf.getInputPreProcessors().put(i, compose(conf.getInputPreProcess(i), r.before));
                conf.getInputPreProcessors().put(i + 1, compose(r.after, conf.getInputPreProcess(i + 1)));
            } else {
                Plain plain = plain(layer, runtime);
                layerConf.setLayer(plain.layer);
                params.put(i, plain.params);
            }
        }
        MultiLayerNetwork out = new MultiLayerNetwork(conf);
        out.init();
        params.forEach((i, table) -> copyParams(out.getLayer(i), table));
        return out;
    }

    /** An equivalent ComputationGraph of plain DL4J layers (initialised, parameters copied). */
    public static ComputationGraph toPlain(ComputationGraph net) {
        ComputationGraphConfiguration conf = net.getConfiguration().clone();
        Map<String, Map<String, INDArray>> params = new LinkedHashMap<>();
        for (String name : new ArrayList<>(conf.getVertices().keySet())) {
            GraphVertex vertex = conf.getVertices().get(name);
            if (!(vertex instanceof LayerVertex lv)) {
                continue;
            }
            org.deeplearning4j.nn.conf.layers.Layer layer = lv.getLayerConf().getLayer();
            if (layer instanceof GroupPooling pooling) {
                Reshapes r = reshapes(pooling);
                String poolName = name + "-subsampling";
                if (conf.getVertices().containsKey(poolName)) {
                    throw new IllegalArgumentException("Cannot export GroupPooling '" + name + "': vertex name '"
                            + poolName + "' is taken");
                }
                NeuralNetConfiguration poolConf = lv.getLayerConf().clone();
                poolConf.setLayer(r.pooling);
                conf.getVertices().put(poolName, new LayerVertex(poolConf, compose(lv.getPreProcessor(), r.before)));
                conf.getVertexInputs().put(poolName, conf.getVertexInputs().get(name));
                conf.getVertices().put(name, new PreprocessorVertex(r.after));
                conf.getVertexInputs().put(name, List.of(poolName));
            } else {
                Plain plain = plain(layer, net.getLayer(name));
                lv.getLayerConf().setLayer(plain.layer);
                params.put(name, plain.params);
            }
        }
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
        ComputationGraph out = new ComputationGraph(conf);
        out.init();
        params.forEach((name, table) -> copyParams(out.getLayer(name), table));
        return out;
    }

    /** A plain layer configuration and the parameters to give it. */
    private record Plain(org.deeplearning4j.nn.conf.layers.Layer layer, Map<String, INDArray> params) {
    }

    private static Plain plain(org.deeplearning4j.nn.conf.layers.Layer layer, Layer runtime) {
        Map<String, INDArray> params = new LinkedHashMap<>();
        if (layer instanceof AbstractGroupConvolution conv) {
            FilterExpansion expansion = conv.filterExpansion(runtime.getParam(GroupConvolutionParamInitializer.WEIGHT_KEY).dataType());
            if (conv.hasBias()) {
                params.put(ConvolutionParamInitializer.BIAS_KEY,
                        expansion.expandedBias(runtime.getParam(GroupConvolutionParamInitializer.BIAS_KEY)));
            }
            params.put(ConvolutionParamInitializer.WEIGHT_KEY,
                    expansion.expanded(runtime.getParam(GroupConvolutionParamInitializer.WEIGHT_KEY)));
            return new Plain(conv.toExpandedConvolution(), params);
        }
        if (layer instanceof GroupBatchNormalization bn) {
            int order = bn.getGroup().order();
            long channels = bn.getNOut() * order;
            BatchNormalization.Builder b = new BatchNormalization.Builder().nIn(channels).nOut(channels)
                    .eps(bn.getEps()).decay(bn.getDecay()).useLogStd(false).updater(bn.getIUpdater());
            if (bn.getLayerName() != null) {
                b.name(bn.getLayerName());
            }
            params.put(BatchNormalizationParamInitializer.GAMMA, repeat(runtime.getParam(GroupBatchNormalizationParamInitializer.GAMMA), order));
            params.put(BatchNormalizationParamInitializer.BETA, repeat(runtime.getParam(GroupBatchNormalizationParamInitializer.BETA), order));
            params.put(BatchNormalizationParamInitializer.GLOBAL_MEAN, repeat(runtime.getParam(GroupBatchNormalizationParamInitializer.GLOBAL_MEAN), order));
            params.put(BatchNormalizationParamInitializer.GLOBAL_VAR, repeat(runtime.getParam(GroupBatchNormalizationParamInitializer.GLOBAL_VAR), order));
            return new Plain(b.build(), params);
        }
        if (runtime.paramTable() != null) {
            runtime.paramTable().forEach((k, v) -> params.put(k, v.dup()));
        }
        return new Plain(layer, params);
    }

    /** v[f] → [v[0] ×|G|, v[1] ×|G|, …] as a row vector [1, C·|G|]. */
    private static INDArray repeat(INDArray perField, int order) {
        long fields = perField.length();
        return perField.reshape(fields, 1).repeat(1, order).reshape('c', 1, fields * order);
    }

    /** Assigns every parameter of a table to a layer of the new network (shapes may differ in rank only). */
    private static void copyParams(Layer layer, Map<String, INDArray> table) {
        table.forEach((key, value) -> {
            INDArray target = layer.getParam(key);
            target.assign(value.reshape('c', target.shape()).castTo(target.dataType()));
        });
    }

    /** The pooling layer replacing a GroupPooling, with the reshapes before and after it. */
    private record Reshapes(SubsamplingLayer pooling, InputPreProcessor before, InputPreProcessor after) {
    }

    private static Reshapes reshapes(GroupPooling p) {
        int order = p.getGroup().order();
        long fields = p.getNIn();
        if (fields < 1) {
            throw new IllegalArgumentException("GroupPooling '" + p.getLayerName()
                    + "' cannot be exported: its input size is unknown; build the configuration with setInputType(...)");
        }
        long channels = fields * order;
        SubsamplingLayer.Builder b = new SubsamplingLayer.Builder(
                p.getMode() == GroupPooling.Mode.MAX ? PoolingType.MAX : PoolingType.AVG,
                new int[] {order, 1}, new int[] {order, 1}, new int[] {0, 0}).convolutionMode(ConvolutionMode.Truncate);
        if (p.getLayerName() != null) {
            b.name(p.getLayerName());
        }
        SubsamplingLayer pooling = b.build();
        if (p.isFlatInput()) {
            // [B, C·|G|] → [B, 1, C·|G|, 1] → pool → [B, 1, C, 1] → [B, C]
            return new Reshapes(pooling, new FeedForwardToCnnPreProcessor(channels, 1, 1),
                    new CnnToFeedForwardPreProcessor(fields, 1, 1));
        }
        long h = p.getInputHeight();
        long w = p.getInputWidth();
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("GroupPooling '" + p.getLayerName()
                    + "' cannot be exported: its input height/width are unknown; build the configuration with setInputType(...)");
        }
        // [B, C·|G|, H, W] → [B, 1, C·|G|, H·W] → pool → [B, 1, C, H·W] → [B, C, H, W]
        InputPreProcessor before = new ComposableInputPreProcessor(new CnnToFeedForwardPreProcessor(h, w, channels),
                new FeedForwardToCnnPreProcessor(channels, h * w, 1));
        InputPreProcessor after = new ComposableInputPreProcessor(new CnnToFeedForwardPreProcessor(fields, h * w, 1),
                new FeedForwardToCnnPreProcessor(h, w, fields));
        return new Reshapes(pooling, before, after);
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
