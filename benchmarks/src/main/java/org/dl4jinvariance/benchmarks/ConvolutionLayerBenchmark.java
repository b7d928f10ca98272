package org.dl4jinvariance.benchmarks;

import java.util.Locale;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.layers.AbstractGroupConvolution;
import org.dl4jinvariance.layers.GroupConvolution;
import org.dl4jinvariance.layers.LiftingConvolution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Forward + backward of one {@link LiftingConvolution} or {@link GroupConvolution} against DL4J's
 * {@code ConvolutionLayer} with the same expanded weight shape [nOut·|G|, nIn·|H|, k, k]: both
 * followed by the same MSE {@code CnnLossLayer}, timed as 3 × {@code computeGradientAndScore()} on a
 * float batch of 64 images of 28×28 (workspaces on, as in training).
 */
final class ConvolutionLayerBenchmark implements Benchmark {

    private static final int BATCH = 64;
    private static final int SIZE = 28;

    private final PlanarGroup group;
    private final boolean lifting;
    private final int nIn;
    private final int nOut;
    private final int kernel;
    private MultiLayerNetwork ours;
    private MultiLayerNetwork baseline;

    private ConvolutionLayerBenchmark(PlanarGroup group, boolean lifting, int nIn, int nOut, int kernel) {
        this.group = group;
        this.lifting = lifting;
        this.nIn = nIn;
        this.nOut = nOut;
        this.kernel = kernel;
    }

    /** C4 lifting: 1 channel → 8 fields (32 channels), 5×5. */
    static Benchmark liftingC4() {
        return new ConvolutionLayerBenchmark(Groups.c4(), true, 1, 8, 5);
    }

    /** C4 group convolution: 8 → 8 fields (32 → 32 channels), 3×3. */
    static Benchmark groupC4() {
        return new ConvolutionLayerBenchmark(Groups.c4(), false, 8, 8, 3);
    }

    /** D4 group convolution: 8 → 8 fields (64 → 64 channels), 3×3. */
    static Benchmark groupD4() {
        return new ConvolutionLayerBenchmark(Groups.d4(), false, 8, 8, 3);
    }

    private int inputChannels() {
        return lifting ? nIn : nIn * group.order();
    }

    private int outputChannels() {
        return nOut * group.order();
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "%s %s %dx%d %d->%d ch fwd+bwd / ConvolutionLayer same shape",
                lifting ? "LiftingConvolution" : "GroupConvolution", group.name(), kernel, kernel, inputChannels(),
                outputChannels());
    }

    @Override
    public double target() {
        return 1.2;
    }

    private MultiLayerNetwork network(Layer conv) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).updater(new Adam(1e-3)).list()
                .layer(conv)
                .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(SIZE, SIZE, inputChannels())).build());
        net.init();
        Nd4j.getRandom().setSeed(2);
        net.setInput(Nd4j.rand(DataType.FLOAT, BATCH, inputChannels(), SIZE, SIZE));
        net.setLabels(Nd4j.rand(DataType.FLOAT, BATCH, outputChannels(), SIZE, SIZE));
        return net;
    }

    @Override
    public void setUp() {
        AbstractGroupConvolution.ConvBuilder<?> b = lifting ? new LiftingConvolution.Builder() : new GroupConvolution.Builder();
        ours = network(b.group(group).nOut(nOut).kernelSize(kernel).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.RELU).build());
        baseline = network(new ConvolutionLayer.Builder().nOut(outputChannels()).kernelSize(kernel, kernel)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build());
        long expanded = ours.getLayer(0).getParam("W").length() * group.order();
        INDArray plainW = baseline.getLayer(0).getParam("W");
        if (expanded != plainW.length()) {
            throw new IllegalStateException("expanded weights " + expanded + " != baseline weights " + plainW.length());
        }
    }

    /** Iterations per timed run, so one run is long enough to time on a noisy machine. */
    private static final int ITERATIONS = 3;

    @Override
    public void runOurs() {
        for (int i = 0; i < ITERATIONS; i++) {
            ours.computeGradientAndScore();
        }
    }

    @Override
    public void runBaseline() {
        for (int i = 0; i < ITERATIONS; i++) {
            baseline.computeGradientAndScore();
        }
    }
}
