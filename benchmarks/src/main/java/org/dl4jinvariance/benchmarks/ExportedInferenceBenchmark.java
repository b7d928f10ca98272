package org.dl4jinvariance.benchmarks;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.layers.EquivariantExport;
import org.dl4jinvariance.layers.GroupConvolution;
import org.dl4jinvariance.layers.GroupPooling;
import org.dl4jinvariance.layers.LiftingConvolution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Inference (3 × {@code output} of 256 MNIST digits) of a C4 network exported with
 * {@link EquivariantExport#toPlain} against the same network written by hand with DL4J layers
 * (ConvolutionLayers of the expanded shapes, group pooling as a [|G|, 1] subsampling between
 * reshapes) holding the same parameters; setUp checks that the two give equal outputs. With
 * {@code viaExport == false} the row compares the unexported equivariant network with its export
 * (how much exporting saves; no target).
 */
final class ExportedInferenceBenchmark implements Benchmark {

    private static final PlanarGroup C4 = Groups.c4();
    private final boolean exportVsHandBuilt;
    private MultiLayerNetwork ours;
    private MultiLayerNetwork baseline;
    private INDArray input;

    private ExportedInferenceBenchmark(boolean exportVsHandBuilt) {
        this.exportVsHandBuilt = exportVsHandBuilt;
    }

    static Benchmark exportedVsHandBuilt() {
        return new ExportedInferenceBenchmark(true);
    }

    static Benchmark equivariantVsExported() {
        return new ExportedInferenceBenchmark(false);
    }

    @Override
    public String name() {
        return exportVsHandBuilt ? "C4 CNN inference: toPlain export / hand-built plain network"
                : "C4 CNN inference: equivariant layers / their toPlain export";
    }

    @Override
    public double target() {
        return exportVsHandBuilt ? 1.05 : Double.NaN;
    }

    static MultiLayerConfiguration equivariant() {
        return new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-3)).list()
                .layer(new LiftingConvolution.Builder().group(C4).nOut(8).kernelSize(5)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new GroupConvolution.Builder().group(C4).nOut(8).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new GroupConvolution.Builder().group(C4).nOut(16).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new GroupPooling.Builder().group(C4).mode("max").build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.convolutional(28, 28, 1)).build();
    }

    /** The same computation written directly with DL4J layers and preprocessors. */
    static MultiLayerConfiguration handBuilt() {
        int g = C4.order();
        return new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-3)).list()
                .layer(new ConvolutionLayer.Builder().nIn(1).nOut(8 * g).kernelSize(5, 5)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder().nIn(8 * g).nOut(8 * g).kernelSize(3, 3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder().nIn(8 * g).nOut(16 * g).kernelSize(3, 3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(g, 1).stride(g, 1).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder().nIn(16).nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .inputPreProcessor(5, new ComposableInputPreProcessor(new CnnToFeedForwardPreProcessor(7, 7, 16 * g),
                        new FeedForwardToCnnPreProcessor(16 * g, 49, 1)))
                .inputPreProcessor(6, new ComposableInputPreProcessor(new CnnToFeedForwardPreProcessor(16, 49, 1),
                        new FeedForwardToCnnPreProcessor(7, 7, 16)))
                .setInputType(InputType.convolutional(28, 28, 1)).build();
    }

    @Override
    public void setUp() {
        MultiLayerNetwork equivariant = new MultiLayerNetwork(equivariant());
        equivariant.init();
        MultiLayerNetwork exported = EquivariantExport.toPlain(equivariant);
        input = Datasets.mnist().slice(0, 256).getFeatures();
        if (exportVsHandBuilt) {
            MultiLayerNetwork hand = new MultiLayerNetwork(handBuilt());
            hand.init();
            hand.setParams(exported.params());
            ours = exported;
            baseline = hand;
        } else {
            ours = equivariant;
            baseline = exported;
        }
        double diff = Transforms.abs(ours.output(input).sub(baseline.output(input))).maxNumber().doubleValue();
        if (diff > 1e-5) {
            throw new IllegalStateException(name() + ": the two networks differ by " + diff);
        }
    }

    private static final int ITERATIONS = 3;

    @Override
    public void runOurs() {
        for (int i = 0; i < ITERATIONS; i++) {
            ours.output(input);
        }
    }

    @Override
    public void runBaseline() {
        for (int i = 0; i < ITERATIONS; i++) {
            baseline.output(input);
        }
    }
}
