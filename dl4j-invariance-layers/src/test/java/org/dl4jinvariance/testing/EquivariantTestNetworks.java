package org.dl4jinvariance.testing;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.layers.GroupBatchNormalization;
import org.dl4jinvariance.layers.GroupConvolution;
import org.dl4jinvariance.layers.GroupPooling;
import org.dl4jinvariance.layers.LiftingConvolution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Networks with the group-equivariant layers ({@link LiftingConvolution}, {@link GroupConvolution},
 * {@link GroupPooling}, {@link GroupBatchNormalization}) that tests share. The layers module
 * publishes them in its test-jar; plain networks and the MNIST slices are in core's
 * ({@link TestNetworks}, {@link TestData}).
 *
 * <p>The builders return configurations (so that tests can also check JSON and serialization);
 * {@link TestNetworks#init} makes the network. Widths are in fields: a layer with nOut n under a
 * group G has n·|G| channels. Every network classifies 28×28×1 digits into 10 classes (softmax,
 * MCXENT).
 */
public final class EquivariantTestNetworks {

    private EquivariantTestNetworks() {
    }

    /**
     * The 4-layer equivariant stack: lift (lifting conv 5×5, 4 fields, same mode, relu) → gconv1
     * (group conv 3×3, 4 fields, same mode, relu) → pool (2×2 max, stride 2) → gconv2 (3×3, 6
     * fields, same mode, relu) → gconv3 (3×3, 6 fields, padding 1, relu) → gpool (group pooling
     * in the given mode) → global (global average pooling) → out (softmax); Adam 2e-3. Equivariant
     * at every layer, invariant from the group pooling on.
     */
    public static MultiLayerConfiguration fourLayerStack(PlanarGroup group, GroupPooling.Mode mode, long seed) {
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

    /**
     * Every equivariant layer once, on flat [n, 784] input: lift (lifting conv 5×5, 3 fields,
     * stride 1, same mode, identity) → gbn (group batch norm, decay 0.8) → gconv (group conv 3×3,
     * 2 fields, padding 1, dilation 1, no bias, relu) → gpool (group pooling, mean) → global max
     * pooling → softmax; Adam 1e-2, l2 1e-4, input {@code convolutionalFlat(28, 28, 1)}.
     */
    public static MultiLayerConfiguration everyLayerFlatInput(PlanarGroup group, long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-2)).l2(1e-4).list()
                .layer(new LiftingConvolution.Builder().name("lift").group(group).nOut(3).kernelSize(5).stride(1)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build())
                .layer(new GroupBatchNormalization.Builder().name("gbn").group(group).decay(0.8).build())
                .layer(new GroupConvolution.Builder().name("gconv").group(group).nOut(2).kernelSize(3).padding(1)
                        .dilation(1).hasBias(false).activation(Activation.RELU).build())
                .layer(new GroupPooling.Builder().name("gpool").group(group).mode("mean").build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).build())
                .layer(new OutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build();
    }

    /**
     * Every equivariant layer once, as a ComputationGraph on [n, 1, 28, 28] input "in": lift
     * (lifting conv 3×3, 2 fields, same mode, relu) → gbn (group batch norm) → gconv (group conv
     * 3×3, 2 fields, same mode, relu) → gpool (group pooling, max) → global (global average
     * pooling) → out (softmax); Adam 1e-2.
     */
    public static ComputationGraphConfiguration everyLayerGraph(PlanarGroup group, long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-2)).graphBuilder()
                .addInputs("in")
                .addLayer("lift", new LiftingConvolution.Builder().group(group).nOut(2).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), "in")
                .addLayer("gbn", new GroupBatchNormalization.Builder().group(group).build(), "lift")
                .addLayer("gconv", new GroupConvolution.Builder().group(group).nOut(2).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), "gbn")
                .addLayer("gpool", new GroupPooling.Builder().group(group).mode("max").build(), "gconv")
                .addLayer("global", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "gpool")
                .addLayer("out", new OutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build(), "global")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(28, 28, 1)).build();
    }
}
