package org.dl4jinvariance.layers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.EquivariantTestNetworks;
import org.dl4jinvariance.testing.TestData;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The layers module's bad-input catalogue (issue 13): each case fails with the exception type
 * and a message naming the bad value and what was expected, or gives the right verdict.
 */
class LayersBadInputTest {

    @Test
    void assertFailsOnANetworkWhoseActivationsAreNaN() {
        MultiLayerNetwork net = TestNetworks.init(EquivariantTestNetworks.fourLayerStack(Groups.c4(), GroupPooling.Mode.MAX, 1));
        net.getLayer(1).getParam("W").putScalar(0, Double.NaN);
        AssertionError e = assertThrows(AssertionError.class, () -> EquivarianceAssert.assertEquivariant(net, Groups.c4(),
                ImageActions.rotation(Groups.c4()), TestData.mnistDigits(4), 1e-5));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void explicitNInThatTheInputContradictsFailsEvenWhenDl4jWouldOverrideIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder().nOut(8).kernelSize(3, 3).build())
                .layer(new GroupConvolution.Builder().group(Groups.c4()).nIn(3).nOut(2).kernelSize(3).build())
                .layer(new GlobalPoolingLayer.Builder().build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.convolutional(12, 12, 1)).build());
        assertTrue(e.getMessage().contains("nIn = 3 fields was given") && e.getMessage().contains("8 channels"),
                e.getMessage());
    }

    @Test
    void explicitFieldCountOfGroupPoolingThatTheInputContradictsFails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NeuralNetConfiguration.Builder().list()
                .layer(new LiftingConvolution.Builder().group(Groups.c4()).nOut(4).kernelSize(3).build())
                .layer(new GroupPooling.Builder().group(Groups.c4()).nIn(5).build())
                .layer(new GlobalPoolingLayer.Builder().build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.convolutional(12, 12, 1)).build());
        assertTrue(e.getMessage().contains("nIn = 5 fields was given") && e.getMessage().contains("4 fields of C4"),
                e.getMessage());
    }

    @Test
    void d4BatchNormalizationRightAfterAC4ConvolutionFailsWhenTheConfigurationIsBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NeuralNetConfiguration.Builder()
                .list()
                .layer(new LiftingConvolution.Builder().group(Groups.c4()).nOut(4).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).build())
                .layer(new GroupBatchNormalization.Builder().group(Groups.d4()).build())
                .layer(new GroupPooling.Builder().group(Groups.d4()).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.convolutional(28, 28, 1)).build());
        assertTrue(e.getMessage().contains("regular(D4, 2)") && e.getMessage().contains("regular(C4, 4)"), e.getMessage());
    }

    @Test
    void exportOfAnUninitialisedNetworkFailsAskingForInit() {
        MultiLayerConfiguration conf = EquivariantTestNetworks.fourLayerStack(Groups.c4(), GroupPooling.Mode.MAX, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EquivariantExport.toPlain(new MultiLayerNetwork(conf)));
        assertTrue(e.getMessage().contains("init()"), e.getMessage());
    }

    @Test
    void negativeCircularPaddingFailsNamingTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CircularPadding1D(-1, 2));
        assertTrue(e.getMessage().contains("left = -1"), e.getMessage());
    }

    @Test
    void halfImageMaskTurnsWithTheImageSoTheC4NetworkReadsZeroAtGlobalPooling() {
        MultiLayerNetwork net = TestNetworks.init(EquivariantTestNetworks.fourLayerStack(Groups.c4(), GroupPooling.Mode.MAX, 3));
        org.nd4j.linalg.dataset.DataSet ds = TestData.mnistExamples(0, 16);
        org.nd4j.linalg.api.ndarray.INDArray mask = org.nd4j.linalg.factory.Nd4j.ones(ds.getFeatures().dataType(), 16, 1, 28, 28);
        mask.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 14)).assign(0);
        ds.setFeaturesMaskArray(mask);
        // The mask reaches global pooling: the pooled features differ with and without it.
        net.setLayerMaskArrays(mask, null);
        org.nd4j.linalg.api.ndarray.INDArray withMask = net.feedForward(ds.getFeatures(), false).get(7).dup();
        net.clearLayerMaskArrays();
        org.nd4j.linalg.api.ndarray.INDArray without = net.feedForward(ds.getFeatures(), false).get(7);
        assertTrue(withMask.sub(without).norm1Number().doubleValue() > 1e-3, "the mask changes what is pooled");

        org.dl4jinvariance.metric.InvarianceReport r = org.dl4jinvariance.metric.InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).maxExamples(16).build()
                .evaluate(net, new org.nd4j.linalg.dataset.ViewIterator(ds, 8));
        double gap = r.get("global", org.dl4jinvariance.metric.MetricKeys.INVARIANCE).mean();
        assertTrue(gap <= 1e-6, "invariance at global pooling with a turning mask: " + gap);
    }
}
