package org.dl4jinvariance.examples;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.layers.GroupConvolution;
import org.dl4jinvariance.layers.GroupPooling;
import org.dl4jinvariance.layers.LiftingConvolution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The networks the experiments compare. Layer names are shared so per-layer metrics line up:
 * {@code conv1, pool1, conv2, pool2, conv3, gap} (global average pool), {@code dense}, {@code output}.
 * 3×3 'Same' convolutions and 2×2/2 max pooling on 28×28 keep the grid symmetric under C4/D4.
 */
public final class Cnns {

    /** The layers the experiments probe, in depth order, where a network has them. */
    private static final String[] PROBED_LAYERS = {"conv1", "conv2", "conv3", "gpool", "gap", "output"};

    private Cnns() {
    }

    /** Plain CNN: conv 16 → pool → conv 32 → pool → conv 64 → global average pool → dense 64 → softmax. */
    public static MultiLayerNetwork plain(long seed) {
        return plainWithHead(seed, output());
    }

    /**
     * The plain CNN's body (conv1 … gap, dense) with {@code head} as its last layer, e.g. a
     * 4-way rotation classifier or a projection trained with a contrastive loss.
     */
    public static MultiLayerNetwork plainWithHead(long seed, org.deeplearning4j.nn.conf.layers.Layer head) {
        MultiLayerConfiguration conf = base(seed).list()
                .layer(conv("conv1", 16))
                .layer(pool("pool1"))
                .layer(conv("conv2", 32))
                .layer(pool("pool2"))
                .layer(conv("conv3", 64))
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("gap").build())
                .layer(new DenseLayer.Builder().name("dense").nOut(64).activation(Activation.RELU).build())
                .layer(head)
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * C4-equivariant CNN with about the plain CNN's parameter count (a group convolution with F
     * fields in and out has 9·F_in·|G|·F_out weights, so half the fields of the plain channels):
     * lifting conv 8 fields → pool → group conv 16 → pool → group conv 32 → group pooling (max
     * over rotations, "gpool") → global average pool → dense 64 → softmax. Invariant from gpool+gap on.
     */
    public static MultiLayerNetwork c4Equivariant(long seed) {
        PlanarGroup c4 = Groups.c4();
        MultiLayerConfiguration conf = base(seed).list()
                .layer(new LiftingConvolution.Builder().name("conv1").group(c4).nOut(8).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(pool("pool1"))
                .layer(new GroupConvolution.Builder().name("conv2").group(c4).nOut(16).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(pool("pool2"))
                .layer(new GroupConvolution.Builder().name("conv3").group(c4).nOut(32).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new GroupPooling.Builder().name("gpool").group(c4).mode(GroupPooling.Mode.MAX).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("gap").build())
                .layer(new DenseLayer.Builder().name("dense").nOut(64).activation(Activation.RELU).build())
                .layer(output())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The conv blocks, the group-pooled layer (if any), the global pool and the output of {@code net}. */
    public static String[] probedLayers(MultiLayerNetwork net) {
        return present(net, PROBED_LAYERS);
    }

    /** {@link #probedLayers} plus the dense layer between the global pool and the output: the full depth profile. */
    public static String[] probedLayersWithDense(MultiLayerNetwork net) {
        return present(net, "conv1", "conv2", "conv3", "gpool", "gap", "dense", "output");
    }

    private static String[] present(MultiLayerNetwork net, String... wanted) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            names.add(layer.conf().getLayer().getLayerName());
        }
        return java.util.Arrays.stream(wanted).filter(names::contains).toArray(String[]::new);
    }

    static NeuralNetConfiguration.Builder base(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(3e-3)).weightInit(WeightInit.RELU);
    }

    static ConvolutionLayer conv(String name, int channels) {
        return new ConvolutionLayer.Builder(3, 3).name(name).nOut(channels).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.RELU).build();
    }

    static SubsamplingLayer pool(String name) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name(name).kernelSize(2, 2).stride(2, 2).build();
    }

    static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                .activation(Activation.SOFTMAX).build();
    }
}
