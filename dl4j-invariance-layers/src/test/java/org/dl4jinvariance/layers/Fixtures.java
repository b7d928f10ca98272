package org.dl4jinvariance.layers;

import java.util.List;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.PlanarGroup;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Networks and inputs shared by the layer tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** The first {@code n} embedded MNIST digits, [n, 1, 28, 28] in [0, 1]. */
    static INDArray mnist(int n) {
        return Datasets.mnist().slice(0, n).getFeatures();
    }

    /** max |a − b| in double precision. */
    static double maxAbsDiff(INDArray a, INDArray b) {
        return Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
    }

    /**
     * The 4-layer equivariant stack on MNIST: lifting, group conv, 2×2 max pooling, group conv,
     * group conv, then group pooling, global average pooling and a softmax classifier.
     */
    static MultiLayerConfiguration stack(PlanarGroup group, GroupPooling.Mode mode, long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(2e-3)).list()
                .layer(new LiftingConvolution.Builder().name("lift").group(group).nOut(4).kernelSize(5)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new GroupConvolution.Builder().name("gconv1").group(group).nOut(4).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).name("pool").kernelSize(2, 2).stride(2, 2).build())
                .layer(new GroupConvolution.Builder().name("gconv2").group(group).nOut(6).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new GroupConvolution.Builder().name("gconv3").group(group).nOut(6).kernelSize(3)
                        .padding(1).activation(Activation.RELU).build())
                .layer(new GroupPooling.Builder().name("gpool").group(group).mode(mode).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("global").build())
                .layer(new OutputLayer.Builder().name("out").nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.convolutional(28, 28, 1)).build();
    }

    static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The field of each MultiLayerNetwork layer's output, from the equivariant layers and the given rules. */
    static FieldType[] fields(MultiLayerNetwork net, Function<Integer, FieldType> standardLayers) {
        int n = net.getnLayers();
        FieldType[] out = new FieldType[n];
        for (int i = 0; i < n; i++) {
            var layer = net.getLayerWiseConfigurations().getConf(i).getLayer();
            out[i] = layer instanceof org.dl4jinvariance.field.EquivariantLayer e ? e.outputField()
                    : standardLayers.apply(i);
        }
        return out;
    }

    /** max over layers of max |f_i(g·x) − ρ_i(g) f_i(x)| for one element, per layer. */
    static double[] layerErrors(MultiLayerNetwork net, FieldType[] fields, org.dl4jinvariance.action.GroupAction act,
            int g, INDArray x) {
        List<INDArray> base = net.feedForward(x, false);
        List<INDArray> moved = net.feedForward(act.apply(g, x), false);
        double[] errors = new double[fields.length];
        for (int i = 0; i < fields.length; i++) {
            errors[i] = maxAbsDiff(moved.get(i + 1), fields[i].apply(g, base.get(i + 1)));
        }
        return errors;
    }
}
