package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.action.SequenceActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.ReductionPaths;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The ND4J reduction path ({@link ReductionPath#ND4J}) gives the figures of the Java path
 * ({@link ReductionPath#JAVA}) to 1e-6 — mean, CI bounds and per-class means of every metric at
 * every layer — and the same n/a reasons and NaN.
 */
class ReductionPathEqualityTest {

    @Test
    void aPlainCnnUnderC4GivesTheSameFiguresOnBothPaths() {
        double diff = ReductionPaths.assertSameFigures(InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).maxExamples(48).maxBatch(64),
                TestNetworks.smallCnn(3, DataType.FLOAT), mnist(48));
        System.out.printf("plain CNN, C4: largest |JAVA - ND4J| = %.3g%n", diff);
    }

    @Test
    void aPlainCnnUnderD4InDoubleGivesTheSameFiguresOnBothPaths() {
        double diff = ReductionPaths.assertSameFigures(InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.d4())).maxExamples(40),
                TestNetworks.smallCnn(4, DataType.DOUBLE), mnist(40));
        System.out.printf("plain CNN (double), D4: largest |JAVA - ND4J| = %.3g%n", diff);
    }

    /**
     * Regular fields move channels as well as pixels (conv2, [C, H, W]) or only channels (dense,
     * [C]): ρ(g) is a channel permutation the gather must follow.
     */
    @Test
    void regularFieldsUnderC4AndD4GiveTheSameEquivarianceOnBothPaths() {
        MultiLayerNetwork net = TestNetworks.smallCnn(5, DataType.FLOAT);
        double c4 = ReductionPaths.assertSameFigures(InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).maxExamples(32)
                .fieldType("conv2", FieldType.regular(Groups.c4(), 4))
                .fieldType("dense", FieldType.regular(Groups.c4(), 8)), net, mnist(32));
        double d4 = ReductionPaths.assertSameFigures(InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.d4())).maxExamples(32)
                .fieldType("conv2", FieldType.regular(Groups.d4(), 2))
                .fieldType("dense", FieldType.regular(Groups.d4(), 4)), net, mnist(32));
        System.out.printf("regular fields: largest |JAVA - ND4J| = %.3g (C4), %.3g (D4)%n", c4, d4);
    }

    /** C8: the 45° elements rotate bilinearly (not a permutation) and go through the field on both paths. */
    @Test
    void interpolatedRotationsUnderC8GiveTheSameFiguresOnBothPaths() {
        double diff = ReductionPaths.assertSameFigures(InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.byName("C8"))).maxExamples(24),
                TestNetworks.smallCnn(6, DataType.FLOAT), mnist(24));
        System.out.printf("C8 (bilinear 45°): largest |JAVA - ND4J| = %.3g%n", diff);
    }

    /** Sequence feature maps [C, T] under a cyclic time shift: ρ(g) is a whole-example index map. */
    @Test
    void aSequenceModelUnderCyclicTimeShiftsGivesTheSameFiguresOnBothPaths() {
        MultiLayerNetwork net = TestNetworks.init(new NeuralNetConfiguration.Builder()
                .seed(5)
                .list()
                .layer(new Convolution1DLayer.Builder().name("conv").kernelSize(3).nOut(6)
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(3, 12))
                .build());
        var data = SequenceEvaluationTest.randomSequences(32, 11, false);
        double diff = ReductionPaths.assertSameFigures(InvarianceEvaluator.builder()
                .inputAction(SequenceActions.cyclicTimeShift(3, 4)).maxExamples(32),
                net, new ExistingDataSetIterator(data.batchBy(16)));
        System.out.printf("sequence, cyclic shifts: largest |JAVA - ND4J| = %.3g%n", diff);
    }

    /** A NaN weight in conv2: NaN from conv2 on, on both paths, and the same finite figures before it. */
    @Test
    void nanActivationsGiveNanOnBothPathsAtTheSameLayersAndMetrics() {
        MultiLayerNetwork broken = TestNetworks.smallCnn(7, DataType.FLOAT);
        broken.getLayer("conv2").getParam("W").putScalar(0, Float.NaN);
        InvarianceEvaluator.Builder config = InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).maxExamples(16);
        InvarianceReport java = config.reduction(ReductionPath.JAVA).build().evaluate(broken, mnist(16));
        assertTrue(Double.isNaN(java.get("conv2", MetricKeys.EQUIVARIANCE).mean()), "NaN reaches the report: " + java);
        ReductionPaths.assertSameFigures(config, broken, mnist(16));
    }

    /** AUTO is JAVA on the CPU backend and ND4J on a GPU backend (scripts/gpu-check.sh runs this suite on CUDA). */
    @Test
    void theReportSaysWhichPathRanAndAutoFollowsTheBackend() {
        InvarianceEvaluator.Builder config = InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).maxExamples(4).layers("conv1");
        MultiLayerNetwork net = TestNetworks.smallCnn(8, DataType.FLOAT);
        String auto = Nd4j.getEnvironment().isCPU() ? "JAVA" : "ND4J";
        assertEquals("ND4J", config.reduction(ReductionPath.ND4J).build().evaluate(net, mnist(4)).settings().get("reduction"));
        assertEquals("JAVA", config.reduction(ReductionPath.JAVA).build().evaluate(net, mnist(4)).settings().get("reduction"));
        assertEquals(auto, config.reduction(ReductionPath.AUTO).build().evaluate(net, mnist(4)).settings().get("reduction"));
        assertEquals(ReductionPath.valueOf(auto), ReductionPath.AUTO.resolve());
        assertEquals(ReductionPath.JAVA, ReductionPath.JAVA.resolve(), "an explicit path is kept on any backend");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.reduction(null));
        assertTrue(e.getMessage().contains("AUTO, JAVA or ND4J"), e.getMessage());
    }

    private static DataSetIterator mnist(int n) {
        return Datasets.mnist().iterator(16, 0, n);
    }
}
