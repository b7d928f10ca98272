package org.dl4jinvariance.layers;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime implementation of {@link LiftingConvolution} and {@link GroupConvolution}.
 *
 * <p>Forward: W = expand(ψ) ({@link FilterExpansion}) is written into the parameters of an
 * internal DL4J {@code ConvolutionLayer}, which computes σ(W ⋆ x + b) with DL4J's own convolution
 * (im2col + gemm, or the MKL-DNN / cuDNN helper). Backward: that layer's backprop gives ∂L/∂x and
 * ∂L/∂W; ∂L/∂ψ = fold(∂L/∂W) and ∂L/∂b[f] = Σ_g ∂L/∂b[f·|G| + g]. Only ψ and b are network
 * parameters; the expanded arrays are private buffers outside every workspace.
 */
public class ExpandedConvolutionLayer extends BaseLayer<AbstractGroupConvolution> {

    private final ConvolutionLayer inner;
    private final FilterExpansion expansion;
    private final INDArray innerWeights;
    private final INDArray innerBias;
    private final INDArray innerWeightGrad;
    private final INDArray innerBiasGrad;

    public ExpandedConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        AbstractGroupConvolution c = (AbstractGroupConvolution) conf.getLayer();
        this.expansion = c.filterExpansion(dataType);
        NeuralNetConfiguration innerConf = conf.clone();
        innerConf.setLayer(c.toExpandedConvolution());
        long n = ConvolutionParamInitializer.getInstance().numParams(innerConf);
        INDArray params;
        INDArray grads;
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            params = Nd4j.create(dataType, 1, n);
            grads = Nd4j.create(dataType, 1, n);
        }
        this.inner = new ConvolutionLayer(innerConf, dataType);
        inner.setParamsViewArray(params);
        Map<String, INDArray> table = ConvolutionParamInitializer.getInstance().init(innerConf, params, false);
        inner.setParamTable(table);
        inner.setBackpropGradientsViewArray(grads);
        this.innerWeights = table.get(ConvolutionParamInitializer.WEIGHT_KEY);
        this.innerBias = table.get(ConvolutionParamInitializer.BIAS_KEY);
        Map<String, INDArray> gradViews = ConvolutionParamInitializer.getInstance().getGradientsFromFlattened(innerConf, grads);
        this.innerWeightGrad = gradViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        this.innerBiasGrad = gradViews.get(ConvolutionParamInitializer.BIAS_KEY);
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public boolean hasBias() {
        return layerConf().hasBias();
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void setParams(INDArray params) {
        setParams(params, 'c');
    }

    @Override
    public void setCacheMode(CacheMode mode) {
        super.setCacheMode(mode);
        inner.setCacheMode(mode);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        checkInput();
        expansion.expand(getParamWithNoise(GroupConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr),
                innerWeights);
        if (hasBias()) {
            expansion.expandBias(getParam(GroupConvolutionParamInitializer.BIAS_KEY), innerBias);
        }
        inner.setIterationCount(getIterationCount());
        inner.setEpochCount(getEpochCount());
        inner.setMaskArray(maskArray);
        inner.setInput(input, workspaceMgr);
        return inner.activate(training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Pair<Gradient, INDArray> innerResult = inner.backpropGradient(epsilon, workspaceMgr);
        Gradient gradient = new DefaultGradient();
        if (hasBias()) {
            INDArray biasGrad = gradientViews.get(GroupConvolutionParamInitializer.BIAS_KEY);
            expansion.foldBias(innerBiasGrad, biasGrad);
            gradient.setGradientFor(GroupConvolutionParamInitializer.BIAS_KEY, biasGrad);
        }
        INDArray weightGrad = gradientViews.get(GroupConvolutionParamInitializer.WEIGHT_KEY);
        expansion.fold(innerWeightGrad, weightGrad);
        gradient.setGradientFor(GroupConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
        weightNoiseParams.clear();
        return new Pair<>(gradient, innerResult.getSecond());
    }

    private void checkInput() {
        long expected = layerConf().inputChannels();
        if (input.rank() != 4 || input.size(1) != expected) {
            throw new DL4JInvalidInputException(LayerChecks.describe(layerConf().getClass().getSimpleName(),
                    layerConf().getLayerName()) + " (layer " + index + ") expects NCHW input with " + expected
                    + " channels (" + layerConf().getNIn() + (layerConf().inputGroupOrder() == 1 ? "" : " fields × |"
                    + layerConf().getGroupName() + "|") + "), got shape " + Arrays.toString(input.shape()));
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
            int minibatchSize) {
        return inner.feedForwardMaskArray(maskArray, currentMaskState, minibatchSize);
    }

    @Override
    public void clear() {
        super.clear();
        inner.clear();
    }

    @Override
    public void clearNoiseWeightParams() {
        super.clearNoiseWeightParams();
        inner.clearNoiseWeightParams();
    }

    @Override
    public void fit(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is not a pretrain layer");
    }
}
