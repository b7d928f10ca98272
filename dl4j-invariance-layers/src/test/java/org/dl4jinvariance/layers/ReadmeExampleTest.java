package org.dl4jinvariance.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
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
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.testing.EquivarianceChecks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The README's "Equivariant layers" example, as written there (with less training data). */
class ReadmeExampleTest {

    @Test
    void readmeExampleTrainsStaysEquivariantAndExportsToEqualPlainOutputs() {
        PlanarGroup c4 = Groups.c4();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).updater(new Adam(3e-3)).list()
                .layer(new LiftingConvolution.Builder().group(c4).nOut(8).kernelSize(5)
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
                .setInputType(InputType.convolutional(28, 28, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.fit(Datasets.mnist().iterator(32, 0, 256));

        EquivarianceAssert.assertEquivariant(net, c4, ImageActions.rotation(c4), 1e-5);
        MultiLayerNetwork plain = EquivariantExport.toPlain(net);
        INDArray x = Datasets.mnist().slice(300, 16).getFeatures();
        assertTrue(EquivarianceChecks.maxAbsDiff(net.output(x), plain.output(x)) <= 1e-6);
    }
}
