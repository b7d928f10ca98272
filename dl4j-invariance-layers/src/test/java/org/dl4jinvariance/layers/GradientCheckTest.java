package org.dl4jinvariance.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.group.CyclicGroup;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Issue test 2: DL4J's GradientCheckUtil (central differences, double precision) agrees with the
 * explicit backward passes of every layer, alone and in networks mixed with standard layers.
 */
class GradientCheckTest {

    private static final Set<String> RUNNING_STATISTICS = Set.of("0_mean", "0_var");
    private DataType previousDefault;

    @BeforeEach
    void doublePrecision() {
        previousDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterEach
    void restorePrecision() {
        Nd4j.setDefaultDataTypes(previousDefault, previousDefault);
    }

    private static NeuralNetConfiguration.ListBuilder list(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).updater(new NoOp()).list();
    }

    private static OutputLayer output() {
        return new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX)
                .lossFunction(LossFunctions.LossFunction.MCXENT).build();
    }

    private static INDArray labels(int batch) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, batch, 3);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return y;
    }

    /** One layer under test between a global pooling + softmax head and a small random input. */
    private static void checkSingle(Layer layer, int channels, int size, Set<String> exclude) {
        MultiLayerConfiguration conf = list(42).layer(layer)
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(output())
                .setInputType(InputType.convolutional(size, size, channels)).build();
        check(conf, channels, size, exclude);
    }

    private static void check(MultiLayerConfiguration conf, int channels, int size, Set<String> exclude) {
        check(conf, channels, size, exclude, 0);
    }

    /** maxPerParam > 0 checks an evenly spaced subset of each parameter array (for the larger mixed networks). */
    private static void check(MultiLayerConfiguration conf, int channels, int size, Set<String> exclude, int maxPerParam) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, channels, size, size).subi(0.5);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                .labels(labels(3)).excludeParams(exclude).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .subset(maxPerParam > 0).maxPerParam(maxPerParam));
        assertTrue(ok, "gradient check failed for " + conf.getConf(0).getLayer());
    }

    @Test
    void liftingConvolutionPassesTheGradientCheckForC4AndD4() {
        checkSingle(new LiftingConvolution.Builder().group(Groups.c4()).nOut(2).kernelSize(3)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(), 2, 6, Set.of());
        checkSingle(new LiftingConvolution.Builder().group(Groups.d4()).nOut(2).kernelSize(3).padding(1).stride(2)
                .hasBias(false).activation(Activation.SIGMOID).build(), 2, 7, Set.of());
    }

    @Test
    void liftingConvolutionPassesTheGradientCheckForInterpolatedC8() {
        checkSingle(new LiftingConvolution.Builder().group(CyclicGroup.of(8)).nOut(1).kernelSize(5)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(), 1, 6, Set.of());
    }

    @Test
    void groupConvolutionPassesTheGradientCheckForC4AndD4() {
        checkSingle(new GroupConvolution.Builder().group(Groups.c4()).nOut(2).kernelSize(3).dilation(2)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(), 4, 6, Set.of());
        checkSingle(new GroupConvolution.Builder().group(Groups.d4()).nOut(1).kernelSize(3).stride(2)
                .activation(Activation.TANH).build(), 8, 5, Set.of());
    }

    @Test
    void groupConvolutionPassesTheGradientCheckForInterpolatedC8() {
        checkSingle(new GroupConvolution.Builder().group(Groups.byName("C8")).nOut(1).kernelSize(3)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(), 8, 4, Set.of());
    }

    @Test
    void groupPoolingPassesTheGradientCheckInMaxAndMeanMode() {
        for (GroupPooling.Mode mode : GroupPooling.Mode.values()) {
            checkSingle(new GroupPooling.Builder().group(Groups.d4()).mode(mode).build(), 16, 4, Set.of());
        }
    }

    @Test
    void groupBatchNormalizationPassesTheGradientCheck() {
        checkSingle(new GroupBatchNormalization.Builder().group(Groups.c4()).build(), 8, 4, RUNNING_STATISTICS);
    }

    /** Lifting, batch norm, activation, group conv, pooling and group pooling between standard DL4J layers. */
    @Test
    void mixedMultiLayerNetworkPassesTheGradientCheck() {
        PlanarGroup c4 = Groups.c4();
        MultiLayerConfiguration conf = list(7)
                .layer(new BatchNormalization.Builder().build())
                .layer(new LiftingConvolution.Builder().group(c4).nOut(2).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build())
                .layer(new GroupBatchNormalization.Builder().group(c4).build())
                .layer(new ActivationLayer.Builder().activation(Activation.TANH).build())
                .layer(new GroupConvolution.Builder().group(c4).nOut(1).kernelSize(3).padding(1)
                        .activation(Activation.SOFTPLUS).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                .layer(new GroupPooling.Builder().group(c4).mode("mean").build())
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build())
                .layer(output())
                .setInputType(InputType.convolutional(6, 6, 1)).build();
        check(conf, 1, 6, Set.of("0_mean", "0_var", "0_log10stdev", "2_mean", "2_var"), 30);
    }

    /** The same layers in a ComputationGraph with two branches merged. */
    @Test
    void mixedComputationGraphPassesTheGradientCheck() {
        PlanarGroup d4 = Groups.d4();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(9).dataType(DataType.DOUBLE)
                .updater(new NoOp()).graphBuilder()
                .addInputs("in")
                .addLayer("lift", new LiftingConvolution.Builder().group(d4).nOut(1).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(), "in")
                .addLayer("gconv", new GroupConvolution.Builder().group(d4).nOut(1).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(), "lift")
                .addLayer("gbn", new GroupBatchNormalization.Builder().group(d4).build(), "lift")
                .addVertex("merge", new MergeVertex(), "gconv", "gbn")
                .addLayer("gpool", new GroupPooling.Builder().group(d4).mode("max").build(), "merge")
                .addLayer("global", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "gpool")
                .addLayer("out", output(), "global")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(5, 5, 1)).build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 1, 5, 5);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[] {x}).labels(new INDArray[] {labels(3)})
                .excludeParams(Set.of("gbn_mean", "gbn_var")).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .subset(true).maxPerParam(30));
        assertTrue(ok, "gradient check failed for the mixed ComputationGraph");
    }
}
