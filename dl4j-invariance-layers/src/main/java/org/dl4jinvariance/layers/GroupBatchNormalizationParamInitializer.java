package org.dl4jinvariance.layers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of {@link GroupBatchNormalization}, one value per field each: γ ("gamma", init 1),
 * β ("beta", init 0), and the running mean ("mean", init 0) and variance ("var", init 1), which
 * are updated by the layer itself (NoOp updater), as in DL4J's BatchNormalization.
 */
public final class GroupBatchNormalizationParamInitializer implements ParamInitializer {

    public static final String GAMMA = "gamma";
    public static final String BETA = "beta";
    public static final String GLOBAL_MEAN = "mean";
    public static final String GLOBAL_VAR = "var";
    private static final List<String> KEYS = List.of(GAMMA, BETA, GLOBAL_MEAN, GLOBAL_VAR);

    private static final GroupBatchNormalizationParamInitializer INSTANCE = new GroupBatchNormalizationParamInitializer();

    private GroupBatchNormalizationParamInitializer() {
    }

    public static GroupBatchNormalizationParamInitializer getInstance() {
        return INSTANCE;
    }

    /** True for the running mean and variance (not trained by gradient descent). */
    public static boolean isRunningStatistic(String key) {
        return GLOBAL_MEAN.equals(key) || GLOBAL_VAR.equals(key);
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return 4 * ((GroupBatchNormalization) layer).getNOut();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return KEYS;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return Collections.emptyList();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return false;
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> views = split(conf, paramsView);
        if (initializeParams) {
            views.get(GAMMA).assign(1.0);
            views.get(BETA).assign(0.0);
            views.get(GLOBAL_MEAN).assign(0.0);
            views.get(GLOBAL_VAR).assign(1.0);
        }
        for (String key : KEYS) {
            conf.addVariable(key);
        }
        return Collections.synchronizedMap(views);
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split(conf, gradientView);
    }

    private static Map<String, INDArray> split(NeuralNetConfiguration conf, INDArray flat) {
        long n = ((GroupBatchNormalization) conf.getLayer()).getNOut();
        INDArray flat1d = flat.reshape(flat.length());
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < KEYS.size(); i++) {
            out.put(KEYS.get(i), flat1d.get(NDArrayIndex.interval(i * n, (i + 1) * n)));
        }
        return out;
    }
}
