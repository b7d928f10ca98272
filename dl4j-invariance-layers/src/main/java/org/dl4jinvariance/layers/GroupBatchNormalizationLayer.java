package org.dl4jinvariance.layers;

import java.util.Arrays;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runtime implementation of {@link GroupBatchNormalization}. The input is viewed as
 * [B, C, |G|·S] and every statistic is reduced over axes 0 and 2 (batch, group, space).
 * Backward, with m = B·|G|·S and sums over the same axes:
 * ∂L/∂β = Σ ε, ∂L/∂γ = Σ ε·x̂, ∂L/∂x = γ/σ · (ε − ∂L/∂β / m − x̂ · ∂L/∂γ / m).
 * The running statistics receive the "gradient" (1 − decay)·(running − batch), applied by a NoOp
 * updater, so running ← decay·running + (1 − decay)·batch, as in DL4J's BatchNormalization.
 */
public class GroupBatchNormalizationLayer extends BaseLayer<GroupBatchNormalization> {

    private static final int[] FIELD_AXIS = {1};

    public GroupBatchNormalizationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.NORMALIZATION;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return false;
    }

    @Override
    public boolean updaterDivideByMinibatch(String paramName) {
        return !GroupBatchNormalizationParamInitializer.isRunningStatistic(paramName);
    }

    @Override
    public void setParams(INDArray params) {
        setParams(params, 'c');
    }

    /** The input as c-order [B, C, |G|·S]. */
    private INDArray grouped(INDArray x) {
        long channels = layerConf().getNOut() * layerConf().getGroup().order();
        if ((x.rank() != 4 && x.rank() != 2) || x.size(1) != channels) {
            throw new DL4JInvalidInputException(LayerChecks.describe("GroupBatchNormalization",
                    layerConf().getLayerName()) + " (layer " + index + ") expects [B, " + channels + ", H, W] or [B, "
                    + channels + "], got shape " + Arrays.toString(x.shape()));
        }
        return x.castTo(dataType).reshape('c', x.size(0), layerConf().getNOut(), x.length() / x.size(0) / layerConf().getNOut());
    }

    private static INDArray op(INDArray x, INDArray perField, INDArray z, char kind) {
        switch (kind) {
            case '-' -> Nd4j.getExecutioner().exec(new BroadcastSubOp(x, perField, z, FIELD_AXIS));
            case '+' -> Nd4j.getExecutioner().exec(new BroadcastAddOp(x, perField, z, FIELD_AXIS));
            case '*' -> Nd4j.getExecutioner().exec(new BroadcastMulOp(x, perField, z, FIELD_AXIS));
            case '/' -> Nd4j.getExecutioner().exec(new BroadcastDivOp(x, perField, z, FIELD_AXIS));
            default -> throw new IllegalStateException("op " + kind);
        }
        return z;
    }

    /** [mean, std] per field: of the batch when training, the running estimates otherwise. */
    private INDArray[] statistics(INDArray x3, boolean training) {
        double eps = layerConf().getEps();
        INDArray mean;
        INDArray var;
        if (training) {
            mean = x3.mean(0, 2);
            var = x3.var(false, 0, 2);
        } else {
            mean = getParam(GroupBatchNormalizationParamInitializer.GLOBAL_MEAN).castTo(dataType);
            var = getParam(GroupBatchNormalizationParamInitializer.GLOBAL_VAR).castTo(dataType);
        }
        INDArray std = Transforms.sqrt(var.add(eps), false);
        return new INDArray[] {mean.reshape(mean.length()), std.reshape(std.length()), var.reshape(var.length())};
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray x3 = grouped(input);
        INDArray[] stats = statistics(x3, training);
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x3.shape(), 'c');
        op(x3, stats[0], y, '-');
        op(y, stats[1], y, '/');
        op(y, getParam(GroupBatchNormalizationParamInitializer.GAMMA).castTo(dataType), y, '*');
        op(y, getParam(GroupBatchNormalizationParamInitializer.BETA).castTo(dataType), y, '+');
        return y.reshape('c', input.shape());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x3 = grouped(input);
        INDArray[] stats = statistics(x3, true);
        INDArray xHat = op(x3, stats[0], x3.ulike(), '-');
        op(xHat, stats[1], xHat, '/');
        INDArray eps3 = epsilon.castTo(dataType).reshape('c', x3.shape());
        long m = x3.size(0) * x3.size(2);

        INDArray dBeta = eps3.sum(0, 2);
        INDArray dGamma = eps3.mul(xHat).sum(0, 2);
        // dx = γ/σ · (ε − dβ/m − x̂·dγ/m)
        INDArray gamma = getParam(GroupBatchNormalizationParamInitializer.GAMMA).castTo(dataType);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x3.shape(), 'c');
        op(xHat, dGamma.div(m), dx, '*');
        op(dx, dBeta.div(m), dx, '+');
        dx.rsubi(eps3);
        op(dx, gamma.div(stats[1]), dx, '*');

        Gradient g = new DefaultGradient();
        INDArray gammaView = gradientViews.get(GroupBatchNormalizationParamInitializer.GAMMA);
        INDArray betaView = gradientViews.get(GroupBatchNormalizationParamInitializer.BETA);
        INDArray meanView = gradientViews.get(GroupBatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray varView = gradientViews.get(GroupBatchNormalizationParamInitializer.GLOBAL_VAR);
        gammaView.assign(dGamma.reshape(gammaView.shape()));
        betaView.assign(dBeta.reshape(betaView.shape()));
        double keep = 1 - layerConf().getDecay();
        meanView.assign(getParam(GroupBatchNormalizationParamInitializer.GLOBAL_MEAN)
                .sub(stats[0].reshape(meanView.shape())).muli(keep));
        varView.assign(getParam(GroupBatchNormalizationParamInitializer.GLOBAL_VAR)
                .sub(stats[2].reshape(varView.shape())).muli(keep));
        g.setGradientFor(GroupBatchNormalizationParamInitializer.GAMMA, gammaView);
        g.setGradientFor(GroupBatchNormalizationParamInitializer.BETA, betaView);
        g.setGradientFor(GroupBatchNormalizationParamInitializer.GLOBAL_MEAN, meanView);
        g.setGradientFor(GroupBatchNormalizationParamInitializer.GLOBAL_VAR, varView);

        INDArray epsOut = backpropDropOutIfPresent(dx.reshape('c', input.shape()));
        return new Pair<>(g, epsOut);
    }

    @Override
    public void fit(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is not a pretrain layer");
    }
}
