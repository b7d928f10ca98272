package org.dl4jinvariance.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import java.util.List;

class SmokeTest {
    @Test
    void smoke() {
        PlanarGroup g = Groups.d4();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(new LiftingConvolution.Builder().group(g).nOut(2).kernelSize(3).convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build())
                .layer(new GroupConvolution.Builder().group(g).nOut(2).kernelSize(3).convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build())
                .layer(new GroupPooling.Builder().group(g).mode("max").build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.convolutional(7, 7, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 7, 7);
        List<INDArray> base = net.feedForward(x, false);
        for (int e = 0; e < g.order(); e++) {
            List<INDArray> moved = net.feedForward(ImageActions.rotation(g).apply(e, x), false);
            for (int i = 1; i < base.size(); i++) {
                var field = conf.getConf(i - 1).getLayer() instanceof org.dl4jinvariance.field.EquivariantLayer l ? l.outputField() : null;
                INDArray expected = field == null ? (base.get(i).rank() == 2 ? base.get(i) : null) : field.apply(e, base.get(i));
                if (expected == null) continue;
                double err = Math.abs(expected.sub(moved.get(i)).maxNumber().doubleValue()) + Math.abs(expected.sub(moved.get(i)).minNumber().doubleValue());
                System.out.println("g=" + e + " layer " + i + " err " + err);
                assertTrue(err < 1e-8);
            }
        }
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 3, 3);
        labels.putScalar(0, 1, 1); labels.putScalar(1, 0, 1); labels.putScalar(2, 2, 1);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(labels));
        assertTrue(ok);
    }
}
