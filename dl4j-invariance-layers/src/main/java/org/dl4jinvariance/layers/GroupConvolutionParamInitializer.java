package org.dl4jinvariance.layers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of a {@link AbstractGroupConvolution}: bias {@code b} [nOut] (one per output field)
 * then base filters {@code W} ({@link FilterExpansion#baseShape()}: [nOut, nIn, k, k] for lifting,
 * [nOut, nIn, |G|, k, k] for a group convolution), c order.
 *
 * <p>Weight initialisation uses the fan-in and fan-out of the expanded convolution, so a
 * variance-scaling init (Xavier, He, …) gives expanded filters of the usual scale:
 * fanIn = nIn·|H|·k², fanOut = nOut·|G|·k² / (stride_h·stride_w).
 */
public final class GroupConvolutionParamInitializer implements ParamInitializer {

    public static final String WEIGHT_KEY = DefaultParamInitializer.WEIGHT_KEY;
    public static final String BIAS_KEY = DefaultParamInitializer.BIAS_KEY;

    private static final GroupConvolutionParamInitializer INSTANCE = new GroupConvolutionParamInitializer();

    private GroupConvolutionParamInitializer() {
    }

    public static GroupConvolutionParamInitializer getInstance() {
        return INSTANCE;
    }

    private static AbstractGroupConvolution conv(Layer layer) {
        return (AbstractGroupConvolution) layer;
    }

    private static long[] weightShape(AbstractGroupConvolution c) {
        int k = c.getKernelSize()[0];
        return c.inputGroupOrder() == 1 ? new long[] {c.getNOut(), c.getNIn(), k, k}
                : new long[] {c.getNOut(), c.getNIn(), c.inputGroupOrder(), k, k};
    }

    private static long weightCount(AbstractGroupConvolution c) {
        long n = 1;
        for (long d : weightShape(c)) {
            n *= d;
        }
        return n;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        AbstractGroupConvolution c = conv(layer);
        return weightCount(c) + (c.hasBias() ? c.getNOut() : 0);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return conv(layer).hasBias() ? List.of(BIAS_KEY, WEIGHT_KEY) : List.of(WEIGHT_KEY);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return Collections.singletonList(WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return conv(layer).hasBias() ? Collections.singletonList(BIAS_KEY) : Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        AbstractGroupConvolution c = conv(conf.getLayer());
        Map<String, INDArray> params = Collections.synchronizedMap(new LinkedHashMap<>());
        Map<String, INDArray> views = split(c, paramsView);
        if (c.hasBias()) {
            INDArray bias = views.get(BIAS_KEY);
            if (initializeParams) {
                bias.assign(c.getBiasInit());
            }
            params.put(BIAS_KEY, bias);
            conf.addVariable(BIAS_KEY);
        }
        INDArray weights = views.get(WEIGHT_KEY);
        if (initializeParams) {
            int k = c.getKernelSize()[0];
            int[] stride = c.getStride();
            double fanIn = (double) c.inputChannels() * k * k;
            double fanOut = (double) c.outputChannels() * k * k / ((double) stride[0] * stride[1]);
            weights = c.getWeightInitFn().init(fanIn, fanOut, weightShape(c), 'c', weights.reshape(weights.length()));
        }
        params.put(WEIGHT_KEY, weights);
        conf.addVariable(WEIGHT_KEY);
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split(conv(conf.getLayer()), gradientView);
    }

    /** Bias then weights, as c-order views of a flat parameter (or gradient) array. */
    private static Map<String, INDArray> split(AbstractGroupConvolution c, INDArray flat) {
        INDArray flat1d = flat.reshape(flat.length());
        Map<String, INDArray> out = new LinkedHashMap<>();
        long offset = 0;
        if (c.hasBias()) {
            out.put(BIAS_KEY, flat1d.get(NDArrayIndex.interval(0, c.getNOut())));
            offset = c.getNOut();
        }
        INDArray w = flat1d.get(NDArrayIndex.interval(offset, offset + weightCount(c)));
        out.put(WEIGHT_KEY, WeightInitUtil.reshapeWeights(weightShape(c), w, 'c'));
        return out;
    }
}
