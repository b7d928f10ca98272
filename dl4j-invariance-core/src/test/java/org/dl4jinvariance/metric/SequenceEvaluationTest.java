package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.SequenceActions;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.FiniteGroup;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The evaluator on sequence batches [B, C, T] under cyclic time shifts and time reversal:
 * values worked out by hand, models invariant or equivariant by construction, recurrent models,
 * and features masks [B, T] that must move with the time steps.
 */
class SequenceEvaluationTest {

    private static final double TOL = 1e-6;
    private static final double SQRT_HALF = Math.sqrt(0.5);

    // ---------------------------------------------------------------- hand-computed values

    /**
     * Layers "id" and "id2" are identity ActivationLayers on sequences of 1 channel, T = 4, so
     * f(x) = x. Examples x0 = (1, 0, 0, 0), x1 = (0, 1, 0, 0) under time reversal:
     * <ul>
     *   <li>orbit of x0 {(1,0,0,0), (0,0,0,1)}, centroid (½, 0, 0, ½), cos(x0, c) = ½ / √½ = √½,
     *       so cosine invariance 1 − √½ for both members; x1 likewise (centroid (0, ½, ½, 0)).
     *       Mean 1 − √½. L2: ‖x0 − c‖ = √(¼ + ¼) = √½.</li>
     *   <li>Baseline: the one set of |G| = 2 distinct inputs {x0, x1}, centroid (½, ½, 0, 0):
     *       again 1 − √½, so normalized invariance 1.</li>
     *   <li>"id" reads the input: its field is the reversal itself (featureMaps), f(rev·x) =
     *       rev·f(x) exactly: equivariance 0.</li>
     *   <li>"id2" is given the trivial field: m(rev·x0, x0) = 1 − cos((0,0,0,1), (1,0,0,0)) = 1 and
     *       m(x0, x0) = 0, mean over g ½ for both examples. Baseline: member 1 vs member 0,
     *       m(x1, x0) = 1 → ½; normalized 1.</li>
     * </ul>
     */
    @Test
    void identityLayerUnderTimeReversalMatchesTheArithmetic() {
        MultiLayerNetwork net = identityNet();
        INDArray x = Nd4j.create(new double[] {1, 0, 0, 0, 0, 1, 0, 0}, new long[] {2, 1, 4});
        InvarianceReport cosine = handEvaluator(Distance.COSINE).evaluate(net, iterator(new DataSet(x, null)));
        assertEquals(1 - SQRT_HALF, cosine.get("id", MetricKeys.INVARIANCE).mean(), TOL);
        assertEquals(1.0, cosine.get("id", MetricKeys.INVARIANCE_NORMALIZED).mean(), TOL);
        assertEquals(0.0, cosine.get("id", MetricKeys.EQUIVARIANCE).mean(), TOL);
        assertEquals(0.0, cosine.get("id", MetricKeys.EQUIVARIANCE_NORMALIZED).mean(), TOL);
        assertEquals(0.5, cosine.get("id2", MetricKeys.EQUIVARIANCE).mean(), TOL);
        assertEquals(1.0, cosine.get("id2", MetricKeys.EQUIVARIANCE_NORMALIZED).mean(), TOL);
        assertEquals(2, cosine.get("id", MetricKeys.INVARIANCE).n());

        InvarianceReport l2 = handEvaluator(Distance.L2).evaluate(net, iterator(new DataSet(x, null)));
        assertEquals(SQRT_HALF, l2.get("id", MetricKeys.INVARIANCE).mean(), TOL);
        // ‖rev·x0 − x0‖ = √2 for g = rev, 0 for the identity: mean √½
        assertEquals(SQRT_HALF, l2.get("id2", MetricKeys.EQUIVARIANCE).mean(), TOL);
    }

    @Test
    void aPalindromeIsInvariantUnderReversal() {
        INDArray x = Nd4j.create(new double[] {1, 2, 2, 1}, new long[] {1, 1, 4});
        InvarianceReport r = handEvaluator(Distance.COSINE).evaluate(identityNet(), iterator(new DataSet(x, null)));
        assertEquals(0.0, r.get("id", MetricKeys.INVARIANCE).mean(), 1e-12);
        assertEquals(0.0, r.get("id2", MetricKeys.EQUIVARIANCE).mean(), 1e-12);
    }

    private static InvarianceEvaluator handEvaluator(Distance distance) {
        return InvarianceEvaluator.builder()
                .inputAction(SequenceActions.timeReversal())
                .metrics(List.of(new InvarianceDeviation(distance), new EquivarianceDeviation(distance)))
                .fieldType("id2", FieldType.trivial())
                .seed(7)
                .build();
    }

    /** id → id2, both identity ActivationLayers, sequences of 1 channel and 4 steps, double precision. */
    private static MultiLayerNetwork identityNet() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .list()
                .layer(new ActivationLayer.Builder().name("id").activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().name("id2").activation(Activation.IDENTITY).build())
                .setInputType(InputType.recurrent(1, 4))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    // ---------------------------------------------------------------- invariant by construction

    private static final int CHANNELS = 3;
    private static final int T = 12;
    private static final int CLASSES = 4;

    /**
     * A pointwise Conv1D commutes with every permutation of the time steps, and average pooling
     * over time forgets their order: the conv is equivariant, the pool and the output invariant.
     */
    @Test
    void pointwiseConv1dIsEquivariantAndTimePoolingInvariantUnderCyclicShifts() {
        InvarianceReport r = InvarianceEvaluator.builder()
                .inputAction(SequenceActions.cyclicTimeShift(3, 4))
                .maxExamples(64)
                .build()
                .evaluate(pointwiseConvNet(), iterator(randomSequences(64, 11, false)));
        assertTrue(r.get("pool", MetricKeys.INVARIANCE).mean() <= TOL, r.toString());
        assertTrue(r.get("output", MetricKeys.INVARIANCE).mean() <= TOL, r.toString());
        assertTrue(r.get("output", MetricKeys.PREDICTION_KL).mean() <= TOL, r.toString());
        assertEquals(1.0, r.get("output", MetricKeys.CONSISTENCY).mean(), r.toString());
        assertTrue(r.get("conv", MetricKeys.EQUIVARIANCE).mean() <= TOL, r.toString());
        assertTrue(r.get("conv", MetricKeys.EQUIVARIANCE_NORMALIZED).mean() <= 1e-5, r.toString());
        // the feature maps themselves move with time, so they are far from invariant: the test can fail
        assertTrue(r.get("conv", MetricKeys.INVARIANCE_NORMALIZED).mean() > 0.1, r.toString());
        assertEquals(64, r.get("pool", MetricKeys.INVARIANCE).n());
    }

    @Test
    void timeReversalOfThePointwiseModelIsInvariantToo() {
        InvarianceReport r = InvarianceEvaluator.builder()
                .inputAction(SequenceActions.timeReversal())
                .maxExamples(32)
                .build()
                .evaluate(pointwiseConvNet(), iterator(randomSequences(32, 12, false)));
        assertTrue(r.get("pool", MetricKeys.INVARIANCE).mean() <= TOL, r.toString());
        assertTrue(r.get("conv", MetricKeys.EQUIVARIANCE).mean() <= TOL, r.toString());
        assertTrue(r.get("conv", MetricKeys.INVARIANCE).mean() > 0.01, r.toString());
    }

    /**
     * Each example's tail is masked (valid lengths 5..12). Masked average pooling reads only the
     * valid steps, so the model stays invariant only if g·x is read through g·mask: the same
     * values, at their moved steps. Read through the unmoved mask, it pools other steps.
     */
    @Test
    void featuresMasksMoveWithTheShiftSoAMaskedPoolingModelStaysInvariant() {
        MultiLayerNetwork net = pointwiseConvNet();
        DataSetIterator masked = iterator(randomSequences(48, 13, true));
        GroupAction shift = SequenceActions.cyclicTimeShift(3, 4);
        InvarianceReport r = InvarianceEvaluator.builder().inputAction(shift).maxExamples(48).build().evaluate(net, masked);
        assertTrue(r.get("pool", MetricKeys.INVARIANCE).mean() <= TOL, r.toString());
        assertTrue(r.get("output", MetricKeys.PREDICTION_KL).mean() <= TOL, r.toString());
        assertTrue(r.get("conv", MetricKeys.EQUIVARIANCE).mean() <= TOL, r.toString());

        // The same shift written by a user without a mask rule (GroupAction's default keeps
        // [B, T] masks as they are): the pooled features are no longer invariant.
        GroupAction maskBlind = new GroupAction() {
            @Override
            public FiniteGroup group() {
                return shift.group();
            }

            @Override
            public INDArray apply(int g, INDArray x) {
                return shift.apply(g, x);
            }
        };
        InvarianceReport blind = InvarianceEvaluator.builder().inputAction(maskBlind).maxExamples(48)
                .metrics(List.of(new InvarianceDeviation(Distance.COSINE))).build().evaluate(net, masked);
        assertTrue(blind.get("pool", MetricKeys.INVARIANCE).mean() > 1e-3, blind.toString());
        // and without field types the user's action still gets invariance at every layer
        assertTrue(blind.get("conv", MetricKeys.INVARIANCE).isApplicable(), blind.toString());
    }

    /**
     * A Conv1D in Truncate mode with kernel 5 shortens T = 12 to 8; 4 shifts by 3 steps are no
     * action on 8 steps (4·3 = 12 is no multiple of 8), so equivariance there is not applicable,
     * with the numbers in the reason, and the rest of the report is still computed.
     */
    @Test
    void aLayerWhoseLengthTheShiftDoesNotFitReportsEquivarianceNotApplicableInsteadOfFailing() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(5)
                .list()
                .layer(new Convolution1DLayer.Builder().name("conv").kernelSize(5).nOut(4).activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(CHANNELS, T))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        InvarianceReport r = InvarianceEvaluator.builder()
                .inputAction(SequenceActions.cyclicTimeShift(3, 4))
                .maxExamples(16)
                .build()
                .evaluate(net, iterator(randomSequences(16, 16, false)));
        MetricValue eq = r.get("conv", MetricKeys.EQUIVARIANCE);
        assertFalse(eq.isApplicable(), r.toString());
        assertTrue(eq.notApplicable().contains("[4, 8]") && eq.notApplicable().contains("multiple of 8"), eq.notApplicable());
        assertTrue(r.get("conv", MetricKeys.INVARIANCE).isApplicable(), r.toString());
        assertTrue(r.get("pool", MetricKeys.INVARIANCE).mean() > 1e-6, "zero padding-free truncation is not invariant: " + r);
    }

    @Test
    void aComputationGraphReadsMaskedSequencesTheSameWay() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(5).graphBuilder()
                .addInputs("in")
                .addLayer("conv", new Convolution1DLayer.Builder().kernelSize(1).nOut(6).activation(Activation.TANH).build(), "in")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("output")
                .setInputTypes(InputType.recurrent(CHANNELS, T))
                .build());
        graph.init();
        InvarianceReport r = InvarianceEvaluator.builder().inputAction(SequenceActions.cyclicTimeShift(3, 4)).maxExamples(32)
                .build().evaluate(graph, iterator(randomSequences(32, 18, true)));
        assertTrue(r.get("pool", MetricKeys.INVARIANCE).mean() <= TOL, r.toString());
        assertTrue(r.get("conv", MetricKeys.EQUIVARIANCE).mean() <= TOL, r.toString());
        assertTrue(r.get("conv", MetricKeys.INVARIANCE_NORMALIZED).mean() > 0.1, r.toString());
    }

    /**
     * conv (pointwise) → sub (average pooling, kernel 2, stride 2) → conv2 (pointwise) → pool: a
     * shift by 4 of the 12 input steps moves the 6 pooled steps by 2, so the network is exactly
     * equivariant, but not under "the input's shift" (4 steps) read on the pooled maps. The engine
     * must not infer that field there; the right one, given per layer, reads 0.
     */
    @Test
    void afterATimeStrideTheInputsShiftIsNotInferredAndTheRescaledOneGivenPerLayerReadsZero() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new Convolution1DLayer.Builder().name("conv").kernelSize(1).nOut(4).activation(Activation.TANH).build())
                .layer(new Subsampling1DLayer.Builder(SubsamplingLayer.PoolingType.AVG).name("sub").kernelSize(2).stride(2).build())
                .layer(new Convolution1DLayer.Builder().name("conv2").kernelSize(1).nOut(4).activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(CHANNELS, T)).build());
        net.init();
        GroupAction shift = SequenceActions.cyclicTimeShift(4, 3);
        InvarianceReport r = InvarianceEvaluator.builder().inputAction(shift).maxExamples(32).build()
                .evaluate(net, iterator(randomSequences(32, 19, false)));
        assertTrue(r.get("conv", MetricKeys.EQUIVARIANCE).mean() <= TOL, r.toString());
        for (String layer : List.of("sub", "conv2")) {
            MetricValue eq = r.get(layer, MetricKeys.EQUIVARIANCE);
            assertFalse(eq.isApplicable(), layer + ": " + r);
            assertTrue(eq.notApplicable().contains("time stride of 2"), eq.notApplicable());
        }
        // pooling over all of time still forgets the shift: trivial, and measured
        assertTrue(r.get("pool", MetricKeys.EQUIVARIANCE).isApplicable(), r.toString());
        assertTrue(r.get("pool", MetricKeys.INVARIANCE).mean() <= TOL, r.toString());

        GroupAction halfShift = new GroupAction() {      // the same group acting by 2 steps on the pooled maps
            @Override
            public FiniteGroup group() {
                return shift.group();
            }

            @Override
            public INDArray apply(int g, INDArray x) {
                return SequenceActions.cyclicTimeShift(2, 3).apply(g, x);
            }
        };
        InvarianceReport given = InvarianceEvaluator.builder().inputAction(shift).maxExamples(32)
                .metrics(List.of(new EquivarianceDeviation(Distance.COSINE)))
                .fieldType("sub", FieldType.featureMaps(halfShift))
                .fieldType("conv2", FieldType.featureMaps(halfShift))
                .build().evaluate(net, iterator(randomSequences(32, 19, false)));
        assertTrue(given.get("sub", MetricKeys.EQUIVARIANCE).mean() <= TOL, given.toString());
        assertTrue(given.get("conv2", MetricKeys.EQUIVARIANCE).mean() <= TOL, given.toString());
    }

    /** conv: Conv1D kernel 1 (pointwise), 6 channels, tanh → pool: average over time → output: softmax 4. */
    private static MultiLayerNetwork pointwiseConvNet() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(5)
                .list()
                .layer(new Convolution1DLayer.Builder().name("conv").kernelSize(1).nOut(6).activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(CHANNELS, T))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    // ---------------------------------------------------------------- recurrent models

    @Test
    void lstmWithLastTimeStepReportsFiniteNonZeroInvariance() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(6)
                .list()
                .layer(new LastTimeStep(new LSTM.Builder().name("lstm").nOut(5).activation(Activation.TANH).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(CHANNELS, T))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        InvarianceReport r = InvarianceEvaluator.builder()
                .inputAction(SequenceActions.cyclicTimeShift(3, 4))
                .maxExamples(32)
                .build()
                .evaluate(net, iterator(randomSequences(32, 14, false)));
        // LastTimeStep takes the name of the LSTM it wraps
        assertEquals(List.of("lstm", "output"), r.layers());
        for (String layer : List.of("lstm", "output")) {
            MetricValue inv = r.get(layer, MetricKeys.INVARIANCE);
            MetricValue norm = r.get(layer, MetricKeys.INVARIANCE_NORMALIZED);
            assertTrue(Double.isFinite(inv.mean()) && inv.mean() > 1e-6, layer + ": " + r);
            assertTrue(Double.isFinite(norm.mean()) && norm.mean() > 1e-3, layer + ": " + r);
        }
        double kl = r.get("output", MetricKeys.PREDICTION_KL).mean();
        assertTrue(Double.isFinite(kl) && kl > 0, r.toString());
        // the last step's hidden state has no natural action of the shifts: equivariance says why
        assertFalse(r.get("lstm", MetricKeys.EQUIVARIANCE).isApplicable(), r.toString());
    }

    /** lstm: LSTM 5 → output: RnnOutputLayer softmax 4 per time step. */
    private static MultiLayerNetwork lstmPerStepNet() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(8)
                .list()
                .layer(new LSTM.Builder().name("lstm").nOut(5).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(CHANNELS, T))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void aFieldTypeGivenPerLayerWithAnotherInstanceOfTheSameShiftCarriesOnToPerTimeStepLayers() {
        InvarianceReport r = InvarianceEvaluator.builder()
                .inputAction(SequenceActions.cyclicTimeShift(3, 4))
                .metrics(List.of(new EquivarianceDeviation(Distance.COSINE)))
                .fieldType("lstm", FieldType.featureMaps(SequenceActions.cyclicTimeShift(3, 4)))
                .maxExamples(16)
                .build()
                .evaluate(lstmPerStepNet(), iterator(randomSequences(16, 17, false)));
        assertTrue(r.get("output", MetricKeys.EQUIVARIANCE).isApplicable(), r.toString());
    }

    @Test
    void lstmWithRnnOutputLayerRunsAndMeasuresPerTimeStepLayers() {
        MultiLayerNetwork net = lstmPerStepNet();
        DataSet plain = randomSequences(32, 15, false);
        INDArray perStepLabels = Nd4j.zeros(DataType.FLOAT, 32, CLASSES, T);
        Random random = new Random(3);
        for (int b = 0; b < 32; b++) {
            for (int t = 0; t < T; t++) {
                perStepLabels.putScalar(new long[] {b, random.nextInt(CLASSES), t}, 1);
            }
        }
        InvarianceReport r = InvarianceEvaluator.builder()
                .inputAction(SequenceActions.cyclicTimeShift(3, 4))
                .maxExamples(32)
                .build()
                .evaluate(net, iterator(new DataSet(plain.getFeatures(), perStepLabels)));
        for (String layer : List.of("lstm", "output")) {
            MetricValue inv = r.get(layer, MetricKeys.INVARIANCE_NORMALIZED);
            assertTrue(Double.isFinite(inv.mean()) && inv.mean() > 1e-3, layer + ": " + r);
            // per-time-step layers carry the shift as their field: equivariance is measured
            // (an LSTM reads time in one direction from a zero state, so it is not exactly equivariant)
            MetricValue eq = r.get(layer, MetricKeys.EQUIVARIANCE);
            assertTrue(eq.isApplicable() && Double.isFinite(eq.mean()) && eq.mean() > 1e-6, layer + ": " + r);
        }
        // one class distribution per time step, not per example: the output-only metrics say so
        // instead of comparing the flattened [K, T] outputs as if they were one distribution
        for (String key : List.of(MetricKeys.PREDICTION_KL, MetricKeys.CONSISTENCY, MetricKeys.ACCURACY)) {
            MetricValue v = r.get("output", key);
            assertFalse(v.isApplicable(), key + ": " + r);
            assertTrue(v.notApplicable().contains("[4, 12]"), v.notApplicable());
        }
    }

    // ---------------------------------------------------------------- data

    /**
     * {@code n} random sequences [n, 3, 12] with random one-hot labels; with {@code masked}, a
     * features mask [n, 12] keeping the first 5..12 steps of each example.
     */
    static DataSet randomSequences(int n, long seed, boolean masked) {
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
                int length = 5 + random.nextInt(T - 4);
                for (int t = 0; t < length; t++) {
                    mask.putScalar(b, t, 1);
                }
            }
        }
        return new DataSet(x, y, mask, null);
    }

    /** Batches of 16 over {@code data}, resettable. */
    private static DataSetIterator iterator(DataSet data) {
        return new ExistingDataSetIterator(data.numExamples() <= 16 ? List.of(data) : data.batchBy(16));
    }
}
