package org.dl4jinvariance.layers;

import java.util.Arrays;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runtime implementation of {@link GroupPooling}. The input is viewed as [B, C, |G|, S] (S = H·W,
 * or 1 for feed-forward input) and reduced over the group axis. Backward: MEAN spreads
 * ∂L/∂y[f] / |G| to every g; MAX routes ∂L/∂y[f] to the maximal g (shared equally on ties).
 */
public class GroupPoolingLayer extends AbstractLayer<GroupPooling> {

    public GroupPoolingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.SUBSAMPLING;
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

    private int order() {
        return layerConf().getGroup().order();
    }

    /** The input as a c-order [B, C, |G|, S] array (a copy when the input is a permuted view). */
    private INDArray grouped(INDArray x) {
        int order = order();
        if ((x.rank() != 4 && x.rank() != 2) || x.size(1) % order != 0) {
            throw new DL4JInvalidInputException(LayerChecks.describe("GroupPooling", layerConf().getLayerName())
                    + " (layer " + index + ") expects [B, C·|G|, H, W] or [B, C·|G|] with |G| = " + order
                    + ", got shape " + Arrays.toString(x.shape()));
        }
        long spatial = x.rank() == 4 ? x.size(2) * x.size(3) : 1;
        return x.reshape('c', x.size(0), x.size(1) / order, order, spatial);
    }

    private long[] outputShape(INDArray x) {
        long[] shape = x.shape().clone();
        shape[1] /= order();
        return shape;
    }

    private static INDArray slice(INDArray grouped, int g) {
        return grouped.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(g), NDArrayIndex.all());
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray x = grouped(input.castTo(dataType));
        INDArray y = layerConf().getMode() == GroupPooling.Mode.MAX ? x.max(2) : x.mean(2);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, y.reshape('c', outputShape(input)));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x = grouped(input.castTo(dataType));
        long[] s = x.shape();
        INDArray eps = epsilon.castTo(dataType).reshape('c', s[0], s[1], s[3]);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, s, 'c');
        int order = order();
        if (layerConf().getMode() == GroupPooling.Mode.MEAN) {
            INDArray share = eps.div(order);
            for (int g = 0; g < order; g++) {
                slice(out, g).assign(share);
            }
        } else {
            INDArray max = x.max(2);
            INDArray ties = max.ulike().assign(0.0);
            INDArray[] argMax = new INDArray[order];
            for (int g = 0; g < order; g++) {
                argMax[g] = slice(x, g).eq(max).castTo(dataType);
                ties.addi(argMax[g]);
            }
            INDArray share = eps.div(ties);
            for (int g = 0; g < order; g++) {
                slice(out, g).assign(argMax[g].muli(share));
            }
        }
        INDArray epsOut = out.reshape('c', input.shape());
        epsOut = backpropDropOutIfPresent(epsOut);
        return new Pair<>(new DefaultGradient(), epsOut);
    }

}
