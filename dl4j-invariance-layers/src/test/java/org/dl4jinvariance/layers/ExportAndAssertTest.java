package org.dl4jinvariance.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.api.Layer;
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
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.testing.EquivarianceChecks;
import org.dl4jinvariance.testing.EquivariantTestNetworks;
import org.dl4jinvariance.testing.TestData;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Issue test 5: {@link EquivariantExport#toPlain} gives plain DL4J networks with equal outputs,
 * and {@link EquivarianceAssert} passes on equivariant networks and fails, naming the worst
 * element and layer, on a plain CNN.
 */
class ExportAndAssertTest {

    private static final DataSet BATCH = TestData.mnistExamples(100, 32);

    private static void trainABit(MultiLayerNetwork net) {
        for (int i = 0; i < 3; i++) {
            net.fit(BATCH);
        }
    }

    private static void assertOnlyDl4jLayers(Layer[] layers) {
        for (Layer l : layers) {
            assertTrue(l.getClass().getName().startsWith("org.deeplearning4j."), "plain layer expected, got " + l.getClass());
        }
    }

    @Test
    void toPlainMultiLayerNetworkGivesEqualOutputs() {
        Object[][] cases = {{Groups.c4(), GroupPooling.Mode.MAX}, {Groups.d4(), GroupPooling.Mode.MEAN}};
        for (Object[] c : cases) {
            PlanarGroup g = (PlanarGroup) c[0];
            GroupPooling.Mode mode = (GroupPooling.Mode) c[1];
            {
                MultiLayerNetwork net = TestNetworks.init(EquivariantTestNetworks.fourLayerStack(g, mode, 21));
                trainABit(net);
                MultiLayerNetwork plain = EquivariantExport.toPlain(net);
                assertOnlyDl4jLayers(plain.getLayers());
                assertEquals(net.getnLayers(), plain.getnLayers(), "layer indices are kept");
                INDArray x = TestData.mnistDigits(200, 16);
                double diff = EquivarianceChecks.maxAbsDiff(net.output(x), plain.output(x));
                assertTrue(diff <= 1e-6, g + " " + mode + ": max output difference " + diff);
                INDArray lift = net.feedForward(x, false).get(1);
                assertEquals(0.0, EquivarianceChecks.maxAbsDiff(lift, plain.feedForward(x, false).get(1)), 1e-6);
            }
        }
    }

    @Test
    void toPlainWithBatchNormAndFlatInputGivesEqualOutputs() {
        PlanarGroup d4 = Groups.d4();
        MultiLayerNetwork net = TestNetworks.init(new NeuralNetConfiguration.Builder().seed(4).updater(new Adam(1e-2)).list()
                .layer(new LiftingConvolution.Builder().group(d4).nOut(3).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build())
                .layer(new GroupBatchNormalization.Builder().group(d4).build())
                .layer(new GroupConvolution.Builder().group(d4).nOut(2).kernelSize(3).stride(2)
                        .activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new GroupPooling.Builder().group(d4).mode("max").build())
                .layer(new OutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build());
        DataSet flat = new DataSet(BATCH.getFeatures().reshape(32, 784), BATCH.getLabels());
        for (int i = 0; i < 3; i++) {
            net.fit(flat);
        }
        MultiLayerNetwork plain = EquivariantExport.toPlain(net);
        assertOnlyDl4jLayers(plain.getLayers());
        double diff = EquivarianceChecks.maxAbsDiff(net.output(flat.getFeatures()), plain.output(flat.getFeatures()));
        assertTrue(diff <= 1e-6, "max output difference " + diff);
    }

    @Test
    void toPlainComputationGraphGivesEqualOutputs() {
        PlanarGroup c4 = Groups.c4();
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(8).updater(new Adam(1e-2))
                .graphBuilder().addInputs("in")
                .addLayer("lift", new LiftingConvolution.Builder().group(c4).nOut(3).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), "in")
                .addLayer("gbn", new GroupBatchNormalization.Builder().group(c4).build(), "lift")
                .addLayer("gpool", new GroupPooling.Builder().group(c4).mode("mean").build(), "gbn")
                .addLayer("global", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), "gpool")
                .addLayer("out", new OutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build(), "global")
                .setOutputs("out").setInputTypes(InputType.convolutional(28, 28, 1)).build());
        net.init();
        for (int i = 0; i < 3; i++) {
            net.fit(BATCH);
        }
        ComputationGraph plain = EquivariantExport.toPlain(net);
        assertOnlyDl4jLayers(plain.getLayers());
        INDArray x = BATCH.getFeatures();
        double diff = EquivarianceChecks.maxAbsDiff(net.outputSingle(x), plain.outputSingle(x));
        assertTrue(diff <= 1e-6, "max output difference " + diff);
        assertEquals(0.0, EquivarianceChecks.maxAbsDiff(net.feedForward(x, false).get("gpool"),
                plain.feedForward(x, false).get("gpool")), 1e-6, "group pooling vertex keeps its name and value");
    }

    @Test
    void assertEquivariantPassesOnEquivariantNetworks() {
        INDArray digits = TestData.mnistDigits(8);
        PlanarGroup c4 = Groups.c4();
        MultiLayerNetwork net = TestNetworks.init(EquivariantTestNetworks.fourLayerStack(c4, GroupPooling.Mode.MAX, 2));
        GroupAction rotation = ImageActions.rotation(c4);
        EquivarianceAssert.assertEquivariant(net, c4, rotation, 1e-5);             // seeded random input
        EquivarianceAssert.assertEquivariant(net, c4, rotation, digits, 1e-5);
        EquivarianceAssert.assertEquivariant(EquivariantExport.toPlain(net), c4, rotation, digits, 1e-5);

        PlanarGroup d4 = Groups.d4();
        MultiLayerNetwork d4Net = TestNetworks.init(EquivariantTestNetworks.fourLayerStack(d4, GroupPooling.Mode.MEAN, 2));
        EquivarianceAssert.Report report = EquivarianceAssert.measure(d4Net, d4, ImageActions.rotation(d4), digits);
        assertEquals(8, report.layers().size(), "every layer's field is known:\n" + report.table());
        assertTrue(report.firstAbove(1e-5) == null, report.table());
    }

    @Test
    void assertEquivariantFailsOnPlainCnnNamingElementAndLayer() {
        PlanarGroup c4 = Groups.c4();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder().nOut(8).kernelSize(3, 3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("dense").nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().name("classifier").nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build();
        MultiLayerNetwork plain = TestNetworks.init(conf);
        AssertionError e = assertThrows(AssertionError.class,
                () -> EquivarianceAssert.assertEquivariant(plain, c4, ImageActions.rotation(c4), 1e-5));
        String msg = e.getMessage();
        assertTrue(msg.contains("not C4-equivariant"), msg);
        assertTrue(msg.contains("worst element rot"), msg);
        assertTrue(msg.contains("layer 3 'classifier'"), msg);
        assertTrue(msg.contains("expected trivial"), msg);
        EquivarianceAssert.Report report = EquivarianceAssert.measure(plain, c4, ImageActions.rotation(c4), BATCH.getFeatures());
        assertTrue(report.worst().maxError() > 1e-3, report.table());
    }

    @Test
    void assertEquivariantRejectsMismatchedGroupAndUnknownInputShape() {
        MultiLayerNetwork net = TestNetworks.init(EquivariantTestNetworks.fourLayerStack(Groups.c4(), GroupPooling.Mode.MAX, 2));
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class, () ->
                EquivarianceAssert.assertEquivariant(net, Groups.d4(), ImageActions.rotation(Groups.c4()), 1e-5));
        assertTrue(mismatch.getMessage().contains("C4") && mismatch.getMessage().contains("D4"), mismatch.getMessage());

        MultiLayerNetwork noInputType = TestNetworks.init(new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder().nIn(1).nOut(2).kernelSize(3, 3).build())
                .layer(new GlobalPoolingLayer.Builder().build())
                .layer(new OutputLayer.Builder().nIn(2).nOut(2).build()).build());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () ->
                EquivarianceAssert.assertEquivariant(noInputType, Groups.c4(), ImageActions.rotation(Groups.c4()), 1e-5));
        assertTrue(unknown.getMessage().contains("pass an input batch"), unknown.getMessage());
        assertFalse(unknown.getMessage().isBlank());
    }
}
