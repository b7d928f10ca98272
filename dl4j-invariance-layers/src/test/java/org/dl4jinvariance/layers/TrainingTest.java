package org.dl4jinvariance.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.data.IdxDataset;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Issue test 4: a small C4 network (lifting, group convolutions with group batch norm, group pooling, global
 * pooling) trained for one epoch on 2,048 embedded MNIST digits (batches of 32) reduces
 * its held-out loss and is still equivariant afterwards (training changes ψ, never the structure
 * that makes the layers equivariant).
 */
class TrainingTest {

    @Test
    void oneEpochOnMnistReducesLossAndStaysEquivariant() {
        PlanarGroup c4 = Groups.c4();
        MultiLayerNetwork net = TestNetworks.init(new NeuralNetConfiguration.Builder().seed(123).updater(new Adam(3e-3)).list()
                .layer(new LiftingConvolution.Builder().group(c4).nOut(8).kernelSize(5)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build())
                .layer(new GroupBatchNormalization.Builder().group(c4).build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new GroupConvolution.Builder().group(c4).nOut(8).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build())
                .layer(new GroupBatchNormalization.Builder().group(c4).build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new GroupConvolution.Builder().group(c4).nOut(16).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new GroupPooling.Builder().group(c4).mode("max").build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.convolutional(28, 28, 1)).build());
        IdxDataset mnist = Datasets.mnist();
        DataSet heldOut = mnist.slice(8_000, 500);
        double before = net.score(heldOut);

        net.fit(mnist.iterator(32, 0, 2_048));

        double after = net.score(heldOut);
        assertTrue(after < 0.9 * before, "held-out loss " + before + " -> " + after);
        INDArray digits = mnist.slice(8_000, 16).getFeatures();
        EquivarianceAssert.Report report = EquivarianceAssert.measure(net, c4, ImageActions.rotation(c4), digits);
        assertEquals(net.getnLayers(), report.layers().size(), "every layer checked:\n" + report.table());
        EquivarianceAssert.assertEquivariant(net, c4, ImageActions.rotation(c4), digits, 1e-5);
    }
}
