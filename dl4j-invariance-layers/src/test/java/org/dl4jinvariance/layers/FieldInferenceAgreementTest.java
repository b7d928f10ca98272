package org.dl4jinvariance.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ConvolutionMode;
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
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.field.FieldInference;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.MetricValue;
import org.dl4jinvariance.testing.EquivariantTestNetworks;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The evaluator and {@link EquivarianceAssert} read every layer's field from the one
 * {@link FieldInference}, so on every network they give the same verdicts: each layer the assert
 * checks against a declared field has an applicable equivariance in the report, and the layer
 * is equivariant for one exactly when it is for the other. The networks cover exact groups
 * (C4, D4), an interpolated one (C8, not exactly equivariant), an exported plain network, a
 * graph with group batch normalization, and a plain CNN.
 */
class FieldInferenceAgreementTest {

    private static final DataSet DIGITS = Datasets.mnist().slice(200, 8);
    /** Exact up to float round-off: max |f(g·x) − ρ(g)f(x)| on activations of order 1. */
    private static final double ASSERT_TOLERANCE = 1e-5;
    /** The same for the mean cosine distance, which is quadratic in a small relative error. */
    private static final double EVALUATOR_TOLERANCE = 1e-10;

    private record Case(Model net, PlanarGroup group) {
    }

    private static Map<String, Case> networks() {
        Map<String, Case> nets = new LinkedHashMap<>();
        nets.put("C4 stack", new Case(TestNetworks.init(EquivariantTestNetworks.fourLayerStack(Groups.c4(), GroupPooling.Mode.MAX, 1)), Groups.c4()));
        nets.put("D4 stack", new Case(TestNetworks.init(EquivariantTestNetworks.fourLayerStack(Groups.d4(), GroupPooling.Mode.MEAN, 2)), Groups.d4()));
        nets.put("C8 stack (interpolated)", new Case(TestNetworks.init(EquivariantTestNetworks.fourLayerStack(Groups.byName("C8"),
                GroupPooling.Mode.MAX, 3)), Groups.byName("C8")));
        nets.put("C4 stack exported to plain layers", new Case(EquivariantExport.toPlain(
                TestNetworks.init(EquivariantTestNetworks.fourLayerStack(Groups.c4(), GroupPooling.Mode.MAX, 4))), Groups.c4()));
        nets.put("C4 graph with group batch normalization", new Case(graphWithBatchNorm(), Groups.c4()));
        nets.put("plain CNN", new Case(plainCnn(), Groups.c4()));
        // The shared fixtures of the whole test suite.
        nets.put("every layer, flat input (D4)", new Case(TestNetworks.init(
                EquivariantTestNetworks.everyLayerFlatInput(Groups.d4(), 5)), Groups.d4()));
        nets.put("every layer, graph (C4)", new Case(TestNetworks.init(
                EquivariantTestNetworks.everyLayerGraph(Groups.c4(), 6)), Groups.c4()));
        nets.put("small CNN", new Case(TestNetworks.smallCnn(7, org.nd4j.linalg.api.buffer.DataType.FLOAT), Groups.c4()));
        nets.put("small CNN graph", new Case(TestNetworks.smallCnnGraph(7, org.nd4j.linalg.api.buffer.DataType.FLOAT),
                Groups.d4()));
        nets.put("tiny CNN with dropout", new Case(TestNetworks.tinyCnn(8, 1e-3, true), Groups.c4()));
        nets.put("batch-norm CNN graph", new Case(TestNetworks.batchNormCnnGraph(9), Groups.c4()));
        nets.put("C4-symmetric kernels", new Case(TestNetworks.c4SymmetricKernelCnn(10), Groups.c4()));
        return nets;
    }

    private static ComputationGraph graphWithBatchNorm() {
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
        net.fit(DIGITS);    // running statistics away from their initial values
        return net;
    }

    private static MultiLayerNetwork plainCnn() {
        return TestNetworks.init(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder().nOut(8).kernelSize(3, 3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("dense").nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().name("classifier").nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build());
    }

    @Test
    void evaluatorAndAssertGiveIdenticalVerdictsOnEveryNetwork() {
        int compared = 0;
        int notEquivariant = 0;
        for (Map.Entry<String, Case> e : networks().entrySet()) {
            Model net = e.getValue().net();
            PlanarGroup group = e.getValue().group();
            GroupAction action = ImageActions.rotation(group);
            EquivarianceAssert.Report asserted = EquivarianceAssert.measure(net, group, action, DIGITS.getFeatures());
            InvarianceReport measured = InvarianceEvaluator.builder().inputAction(action).maxExamples(8).build()
                    .evaluate(net, new ViewIterator(DIGITS, 8));
            FieldInference fields = FieldInference.of(net, action);
            for (EquivarianceAssert.LayerError checked : asserted.layers()) {
                if (checked.assumed()) {
                    continue;   // the assert's own guess for an output of unknown field; the metrics report n/a
                }
                String key = keyOf(checked.layer());
                String where = e.getKey() + ", layer " + key;
                assertEquals(fields.field(key).field(), checked.field(), where + ": the assert's field is the inference's");
                MetricValue eq = measured.get(key, MetricKeys.EQUIVARIANCE);
                assertTrue(eq.isApplicable(), where + ": " + eq);
                boolean assertSays = checked.maxError() <= ASSERT_TOLERANCE;
                boolean evaluatorSays = eq.mean() <= EVALUATOR_TOLERANCE;
                assertEquals(assertSays, evaluatorSays, where + ": assert max error " + checked.maxError()
                        + ", evaluator equivariance " + eq.mean());
                compared++;
                notEquivariant += assertSays ? 0 : 1;
            }
            for (String layer : measured.layers()) {
                boolean known = fields.field(layer).isKnown();
                assertEquals(known, measured.get(layer, MetricKeys.EQUIVARIANCE).isApplicable(),
                        e.getKey() + ", layer " + layer + ": equivariance is reported exactly where the field is known");
            }
        }
        assertTrue(compared >= 15, "compared " + compared + " layers");
        assertTrue(notEquivariant > 0, "some layers (C8) must fail both checks, or the comparison proves little");
    }

    /** The report key of an assert label ({@code 3 'name'} → {@code name}, {@code 3} → {@code 3}, {@code 'v'} → {@code v}). */
    private static String keyOf(String label) {
        int quote = label.indexOf('\'');
        return quote < 0 ? label : label.substring(quote + 1, label.lastIndexOf('\''));
    }

    /** lift (C4, 4 fields = 16 channels) → [pool] → group BN and pooling of D4 (16 channels = 2 D4 fields). */
    private static org.deeplearning4j.nn.conf.MultiLayerConfiguration c4ThenD4(boolean poolBetween) {
        org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new LiftingConvolution.Builder().name("lift").group(Groups.c4()).nOut(4).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).build());
        if (poolBetween) {
            b.layer(new SubsamplingLayer.Builder(PoolingType.MAX).name("pool").kernelSize(2, 2).stride(2, 2).build());
        }
        return b.layer(new GroupBatchNormalization.Builder().name("gbn").group(Groups.d4()).build())
                .layer(new GroupPooling.Builder().name("gpool").group(Groups.d4()).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.convolutional(28, 28, 1)).build();
    }

    @Test
    void equivariantLayerRightAfterAnotherGroupsLayerIsRejectedWhenTheConfigurationIsBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c4ThenD4(false));
        assertTrue(e.getMessage().contains("'gbn'") && e.getMessage().contains("regular(D4, 2)")
                && e.getMessage().contains("regular(C4, 4)"), e.getMessage());
    }

    @Test
    void equivariantLayerFedAnotherGroupsFieldThroughPlainLayersIsRejectedByTheInference() {
        MultiLayerNetwork net = TestNetworks.init(c4ThenD4(true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FieldInference.of(net, ImageActions.rotation(Groups.c4())));
        assertTrue(e.getMessage().contains("'gbn'") && e.getMessage().contains("regular(D4, 2)")
                && e.getMessage().contains("regular(C4, 4)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EquivariantExport.toPlain(net));
        assertThrows(IllegalArgumentException.class, () -> InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).maxExamples(8).build()
                .evaluate(net, new ViewIterator(DIGITS, 8)));
    }

    @Test
    void networkOfAnotherGroupThanTheActionReportsUnknownFieldsWithTheReason() {
        MultiLayerNetwork c4 = TestNetworks.init(EquivariantTestNetworks.fourLayerStack(Groups.c4(), GroupPooling.Mode.MAX, 1));
        FieldInference.LayerField lift = FieldInference.of(c4, ImageActions.rotation(Groups.d4())).field("lift");
        assertFalse(lift.isKnown());
        assertTrue(lift.reason().contains("regular(C4, 4)") && lift.reason().contains("D4"), lift.reason());
    }
}
