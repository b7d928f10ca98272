package org.dl4jinvariance.arbiter;

import org.deeplearning4j.arbiter.ComputationGraphSpace;
import org.deeplearning4j.arbiter.MultiLayerSpace;
import org.deeplearning4j.arbiter.layers.GlobalPoolingLayerSpace;
import org.deeplearning4j.arbiter.layers.OutputLayerSpace;
import org.deeplearning4j.arbiter.layers.SubsamplingLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Small search spaces over 28×28 MNIST: conv1 (lifting) → 2×2 max pool → conv2 (group conv) →
 * group pooling → global average pool → softmax, with the group and the widths searched.
 */
final class TinySpaces {

    private TinySpaces() {
    }

    static MultiLayerSpace network(GroupSpace groups, ParameterSpace<Integer> width1, ParameterSpace<Integer> width2,
                                   int[] kernels2, long seed) {
        return new MultiLayerSpace.Builder()
                .seed(seed)
                .updater(AdamSpaces.adam(5e-3))
                .weightInit(WeightInit.RELU)
                .addLayer(new LiftingConvolutionSpace.Builder().name("conv1").group(groups).nOut(width1)
                        .widthScaling(WidthScaling.PARAMETERS).kernelSize(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .addLayer(new SubsamplingLayerSpace.Builder().poolingType(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).build())
                .addLayer(new GroupConvolutionSpace.Builder().name("conv2").group(groups).nOut(width2)
                        .widthScaling(WidthScaling.PARAMETERS).kernelSize(kernels2).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .addLayer(new GroupPoolingSpace.Builder().name("gpool").group(groups).build())
                .addLayer(new GlobalPoolingLayerSpace.Builder().poolingType(PoolingType.AVG).build())
                .addLayer(new OutputLayerSpace.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .numEpochs(1)
                .build();
    }

    /**
     * The graph form (12×12 input). The two widths are separate spaces: an Arbiter space shared by
     * two layers is one object only until JSON, which Arbiter's own spaces do not survive
     * ({@link GroupSpace} does).
     */
    static ComputationGraphSpace graph(GroupSpace groups, ParameterSpace<Integer> width1, ParameterSpace<Integer> width2,
                                       long seed) {
        return new ComputationGraphSpace.Builder()
                .seed(seed)
                .updater(AdamSpaces.adam(5e-3))
                .weightInit(WeightInit.RELU)
                .addInputs("in")
                .addLayer("conv1", new LiftingConvolutionSpace.Builder().group(groups).nOut(width1).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), "in")
                .addLayer("conv2", new GroupConvolutionSpace.Builder().group(groups).nOut(width2).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), "conv1")
                .addLayer("gpool", new GroupPoolingSpace.Builder().group(groups).mode("max", "mean").build(), "conv2")
                .addLayer("gap", new GlobalPoolingLayerSpace.Builder().poolingType(PoolingType.AVG).build(), "gpool")
                .addLayer("output", new OutputLayerSpace.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build(), "gap")
                .setOutputs("output")
                .setInputTypes(InputType.convolutional(12, 12, 1))
                .numEpochs(1)
                .build();
    }
}
