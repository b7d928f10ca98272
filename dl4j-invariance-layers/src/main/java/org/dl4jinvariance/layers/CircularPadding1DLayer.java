package org.dl4jinvariance.layers;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runtime implementation of {@link CircularPadding1D}: y = [x[T−l..T), x, x[0..r)] along time;
 * ∂L/∂x = ∂L/∂y[l..l+T) + ∂L/∂y[0..l) added at [T−l..T) + ∂L/∂y[l+T..) added at [0..r).
 */
public class CircularPadding1DLayer extends AbstractLayer<CircularPadding1D> {

    public CircularPadding1DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no parameters
    }

    @Override
    public INDArray params() {
        return null;
    }

    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return 0;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        int l = layerConf().getLeft();
        int r = layerConf().getRight();
        if (input.rank() != 3 || l > input.size(2) || r > input.size(2)) {
            throw new DL4JInvalidInputException(LayerChecks.describe("CircularPadding1D", layerConf().getLayerName())
                    + " expects [B, C, T] with T >= padding (" + l + ", " + r + "), got shape "
                    + java.util.Arrays.toString(input.shape()));
        }
        long t = input.size(2);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(),
                new long[] {input.size(0), input.size(1), l + t + r}, 'c');
        out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(l, l + t)).assign(input);
        if (l > 0) {
            out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, l))
                    .assign(input.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(t - l, t)));
        }
        if (r > 0) {
            out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(l + t, l + t + r))
                    .assign(input.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, r)));
        }
        return out;
    }

    /**
     * A per-time-step mask [B, T] is padded like the steps ([B, left + T + right], wrapped), so
     * the layer that follows reads a mask of its own input length; per-example masks [B, 1] pass.
     */
    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
            int minibatchSize) {
        this.maskArray = maskArray;
        this.maskState = currentMaskState;
        if (maskArray == null || maskArray.rank() != 2 || maskArray.size(1) == 1) {
            return new Pair<>(maskArray, currentMaskState);
        }
        int l = layerConf().getLeft();
        int r = layerConf().getRight();
        long t = maskArray.size(1);
        if (l > t || r > t) {
            throw new DL4JInvalidInputException(LayerChecks.describe("CircularPadding1D", layerConf().getLayerName())
                    + ": padding (" + l + ", " + r + ") exceeds the mask's sequence length " + t + " (mask shape "
                    + java.util.Arrays.toString(maskArray.shape()) + ")");
        }
        INDArray padded = Nd4j.createUninitialized(maskArray.dataType(), maskArray.size(0), l + t + r);
        padded.get(NDArrayIndex.all(), NDArrayIndex.interval(l, l + t)).assign(maskArray);
        if (l > 0) {
            padded.get(NDArrayIndex.all(), NDArrayIndex.interval(0, l))
                    .assign(maskArray.get(NDArrayIndex.all(), NDArrayIndex.interval(t - l, t)));
        }
        if (r > 0) {
            padded.get(NDArrayIndex.all(), NDArrayIndex.interval(l + t, l + t + r))
                    .assign(maskArray.get(NDArrayIndex.all(), NDArrayIndex.interval(0, r)));
        }
        return new Pair<>(padded, currentMaskState);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        int l = layerConf().getLeft();
        int r = layerConf().getRight();
        long t = input.size(2);
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), input.shape(), 'c');
        grad.assign(epsilon.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(l, l + t)));
        if (l > 0) {
            grad.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(t - l, t))
                    .addi(epsilon.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, l)));
        }
        if (r > 0) {
            grad.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, r))
                    .addi(epsilon.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(l + t, l + t + r)));
        }
        return new Pair<>(new DefaultGradient(), grad);
    }
}
