package org.dl4jinvariance.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.SequenceActions;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link CircularPadding1D}: wrap-around padding of [B, C, T]; followed by a Truncate Conv1D with
 * kernel left + right + 1 the convolution is exactly equivariant to cyclic time shifts, so global
 * average pooling over time is invariant. Forward values, the evaluator's verdict, DL4J's
 * gradient check, masks, and JSON / ModelSerializer round trips.
 */
class CircularPadding1DTest {

    private static final int CHANNELS = 3;
    private static final int T = 28;
    private static final int CLASSES = 5;

    // ---------------------------------------------------------------- forward

    @Test
    void copiesTheLastStepsBeforeTheFirstAndTheFirstAfterTheLast() {
        MultiLayerNetwork net = TestNetworks.init(new NeuralNetConfiguration.Builder().list()
                .layer(new CircularPadding1D(2, 1))
                .setInputType(InputType.recurrent(2, 5)).build());
        // x[b, c, t] = 100·b + 10·c + t
        INDArray x = Nd4j.create(DataType.FLOAT, 2, 2, 5);
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < 2; c++) {
                for (int t = 0; t < 5; t++) {
                    x.putScalar(new long[] {b, c, t}, 100 * b + 10 * c + t);
                }
            }
        }
        INDArray y = net.output(x);
        assertArrayEquals(new long[] {2, 2, 8}, y.shape());
        assertArrayEquals(new float[] {3, 4, 0, 1, 2, 3, 4, 0}, y.get(point(0), point(0)).dup().data().asFloat());
        assertArrayEquals(new float[] {113, 114, 110, 111, 112, 113, 114, 110},
                y.get(point(1), point(1)).dup().data().asFloat());
        // no padding on one side, and padding as long as the sequence
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 0, 1, 2, 3, 4},
                pad(0, 5, x).get(point(0), point(0)).dup().data().asFloat());
        assertArrayEquals(new float[] {4, 0, 1, 2, 3, 4}, pad(1, 0, x).get(point(0), point(0)).dup().data().asFloat());
        assertEquals(x, pad(0, 0, x));
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex point(long i) {
        return org.nd4j.linalg.indexing.NDArrayIndex.point(i);
    }

    private static INDArray pad(int left, int right, INDArray x) {
        return TestNetworks.init(new NeuralNetConfiguration.Builder().list().layer(new CircularPadding1D(left, right))
                .setInputType(InputType.recurrent(x.size(1), x.size(2))).build()).output(x);
    }

    @Test
    void negativePaddingAndPaddingLongerThanTheSequenceAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CircularPadding1D(-1, 2));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        Exception tooLong = assertThrows(Exception.class, () -> new NeuralNetConfiguration.Builder().list()
                .layer(new CircularPadding1D(6, 0)).setInputType(InputType.recurrent(2, 5)).build());
        assertTrue(String.valueOf(tooLong.getMessage()).contains("5"), tooLong.getMessage());
    }

    // ---------------------------------------------------------------- equivariance

    /**
     * pad1 → conv1 (Conv1D, Truncate, kernel 5, 8 channels, tanh) → pad2 → conv2 (kernel 5, 6
     * channels, relu) → pool (average over time) → output (softmax); with {@code circular} false
     * the padding layers are left out and the convolutions zero-pad (Same) instead.
     */
    static MultiLayerConfiguration shiftEquivariantStack(boolean circular, long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-2)).list();
        ConvolutionMode mode = circular ? ConvolutionMode.Truncate : ConvolutionMode.Same;
        if (circular) {
            list.layer(new CircularPadding1D(2, 2));
        }
        list.layer(new Convolution1DLayer.Builder().name("conv1").kernelSize(5).convolutionMode(mode).nOut(8)
                .activation(Activation.TANH).build());
        if (circular) {
            list.layer(new CircularPadding1D(2, 2));
        }
        list.layer(new Convolution1DLayer.Builder().name("conv2").kernelSize(5).convolutionMode(mode).nOut(6)
                        .activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build());
        return list.setInputType(InputType.recurrent(CHANNELS, T)).build();
    }

    private static InvarianceReport evaluate(MultiLayerNetwork net, GroupAction action, DataSet data) {
        return InvarianceEvaluator.builder().inputAction(action).maxExamples(data.numExamples()).build()
                .evaluate(net, iterator(data));
    }

    @Test
    void circularPaddingMakesTruncatedConv1dEquivariantAndTimePoolingInvariantUnderCyclicShifts() {
        MultiLayerNetwork net = TestNetworks.init(shiftEquivariantStack(true, 3));
        for (GroupAction shift : List.of(SequenceActions.cyclicTimeShift(7, 4), SequenceActions.cyclicTimeShift(1, 28))) {
            InvarianceReport r = evaluate(net, shift, sequences(shift.group().order() == 4 ? 64 : 56, 1, false));
            for (String conv : List.of("conv1", "conv2")) {
                assertTrue(r.get(conv, MetricKeys.EQUIVARIANCE).mean() <= 1e-5, shift.describe() + "\n" + r);
                assertTrue(r.get(conv, MetricKeys.EQUIVARIANCE_NORMALIZED).mean() <= 1e-4, shift.describe() + "\n" + r);
                // the maps move with time: far from invariant, so the test can fail
                assertTrue(r.get(conv, MetricKeys.INVARIANCE_NORMALIZED).mean() > 0.1, shift.describe() + "\n" + r);
            }
            assertTrue(r.get("pool", MetricKeys.INVARIANCE).mean() <= 1e-6, shift.describe() + "\n" + r);
            assertTrue(r.get("output", MetricKeys.PREDICTION_KL).mean() <= 1e-6, shift.describe() + "\n" + r);
            // the padded sequences (T + 4 steps) have no field of their own
            assertFalse(r.get("0", MetricKeys.EQUIVARIANCE).isApplicable(), r.toString());
        }
    }

    @Test
    void zeroPaddingInsteadBreaksEquivarianceAtTheBorders() {
        InvarianceReport r = evaluate(TestNetworks.init(shiftEquivariantStack(false, 3)),
                SequenceActions.cyclicTimeShift(7, 4), sequences(32, 2, false));
        assertTrue(r.get("conv1", MetricKeys.EQUIVARIANCE).mean() > 1e-3, r.toString());
        assertTrue(r.get("pool", MetricKeys.INVARIANCE).mean() > 1e-5, r.toString());
    }

    /**
     * Masks [B, T] go through the padding wrapped like the steps themselves, so the convolution
     * that follows reads a mask of its own input length; g·x read through g·mask stays equivariant.
     */
    @Test
    void featuresMasksArePaddedLikeTheSequenceAndMoveWithTheShift() {
        MultiLayerNetwork net = TestNetworks.init(shiftEquivariantStack(true, 4));
        DataSet masked = sequences(32, 3, true);
        INDArray out = net.output(masked.getFeatures(), false, masked.getFeaturesMaskArray(), null);
        assertArrayEquals(new long[] {32, CLASSES}, out.shape());
        InvarianceReport r = evaluate(net, SequenceActions.cyclicTimeShift(7, 4), masked);
        assertTrue(r.get("conv2", MetricKeys.EQUIVARIANCE).mean() <= 1e-5, r.toString());
        assertTrue(r.get("pool", MetricKeys.INVARIANCE).mean() <= 1e-6, r.toString());
    }

    // ---------------------------------------------------------------- gradients

    @Test
    void gradientCheckInDoublePrecision() {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            gradientCheck(2, 1, null);
            gradientCheck(6, 0, null);          // padding as long as the sequence, left only
            INDArray mask = Nd4j.ones(DataType.DOUBLE, 3, 6);
            mask.putScalar(0, 5, 0);
            mask.putScalar(1, 4, 0);
            mask.putScalar(1, 5, 0);
            gradientCheck(0, 3, mask);          // right only, with a features mask
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    /** pad(left, right) → Conv1D (Truncate, kernel left + right + 1) → average over time → softmax 3; T = 6. */
    private static void gradientCheck(int left, int right, INDArray mask) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(new CircularPadding1D(left, right))
                .layer(new Convolution1DLayer.Builder().kernelSize(left + right + 1).convolutionMode(ConvolutionMode.Truncate)
                        .nOut(2).activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(2, 6)).build();
        MultiLayerNetwork net = TestNetworks.init(conf);
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 6).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 3, 3);
        for (int i = 0; i < 3; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .inputMask(mask).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).excludeParams(Set.of()));
        assertTrue(ok, "gradient check failed for CircularPadding1D(" + left + ", " + right + ")"
                + (mask == null ? "" : " with a mask"));
    }

    @Test
    void gradientCheckWithPerTimeStepOutput() {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(12).dataType(DataType.DOUBLE)
                    .updater(new NoOp()).list()
                    .layer(new CircularPadding1D(1, 1))
                    .layer(new Convolution1DLayer.Builder().kernelSize(3).convolutionMode(ConvolutionMode.Truncate)
                            .nOut(2).activation(Activation.TANH).build())
                    .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.recurrent(2, 5)).build();
            MultiLayerNetwork net = TestNetworks.init(conf);
            Nd4j.getRandom().setSeed(2);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 5).subi(0.5);
            INDArray y = Nd4j.zeros(DataType.DOUBLE, 2, 3, 5);
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t < 5; t++) {
                    y.putScalar(new long[] {b, (b + t) % 3, t}, 1.0);
                }
            }
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).excludeParams(Set.of())));
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    // ---------------------------------------------------------------- serialization

    @Test
    void jsonAndModelSerializerRoundTripsAndTrainingContinues() throws IOException {
        MultiLayerConfiguration conf = shiftEquivariantStack(true, 5);
        String json = conf.toJson();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, back);
        assertEquals(json, back.toJson());
        CircularPadding1D restoredPad = (CircularPadding1D) back.getConf(0).getLayer();
        assertEquals(2, restoredPad.getLeft());
        assertEquals(2, restoredPad.getRight());

        DataSet ds = sequences(16, 4, false);
        MultiLayerNetwork net = TestNetworks.init(conf);
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(net.output(ds.getFeatures()), restored.output(ds.getFeatures()));
        double before = restored.score(ds);
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
            restored.fit(ds);
        }
        assertEquals(net.params(), restored.params(), "restored network trains exactly like the original");
        assertTrue(restored.score(ds) < before, "training continues after restore");
    }

    @Test
    void computationGraphRoundTrip() throws IOException {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(6).updater(new Adam(1e-2)).graphBuilder()
                .addInputs("in")
                .addLayer("pad", new CircularPadding1D(1, 2), "in")
                .addLayer("conv", new Convolution1DLayer.Builder().kernelSize(4).convolutionMode(ConvolutionMode.Truncate)
                        .nOut(4).activation(Activation.TANH).build(), "pad")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(CHANNELS, T)).build();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        DataSet ds = sequences(8, 5, false);
        net.fit(ds);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertEquals(net.getConfiguration(), restored.getConfiguration());
        assertEquals(net.outputSingle(ds.getFeatures()), restored.outputSingle(ds.getFeatures()));
        InvarianceReport r = InvarianceEvaluator.builder().inputAction(SequenceActions.cyclicTimeShift(7, 4)).maxExamples(8)
                .build().evaluate(restored, iterator(ds));
        assertTrue(r.get("conv", MetricKeys.EQUIVARIANCE).mean() <= 1e-5, r.toString());
        assertTrue(r.get("pool", MetricKeys.INVARIANCE).mean() <= 1e-6, r.toString());
    }

    // ---------------------------------------------------------------- data

    /** Random sequences [n, 3, 28], one-hot labels; with {@code masked}, the first 14..28 steps of each are valid. */
    static DataSet sequences(int n, long seed, boolean masked) {
        Random random = new Random(seed);
        INDArray x = Nd4j.create(DataType.FLOAT, n, CHANNELS, T);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, CLASSES);
        INDArray mask = masked ? Nd4j.zeros(DataType.FLOAT, n, T) : null;
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < CHANNELS; c++) {
                for (int t = 0; t < T; t++) {
                    x.putScalar(new long[] {b, c, t}, random.nextGaussian());
                }
            }
            y.putScalar(b, random.nextInt(CLASSES), 1);
            if (masked) {
                int length = 14 + random.nextInt(T - 13);
                for (int t = 0; t < length; t++) {
                    mask.putScalar(b, t, 1);
                }
            }
        }
        return new DataSet(x, y, mask, null);
    }

    private static DataSetIterator iterator(DataSet data) {
        return new ExistingDataSetIterator(data.numExamples() <= 16 ? List.of(data) : data.batchBy(16));
    }
}
