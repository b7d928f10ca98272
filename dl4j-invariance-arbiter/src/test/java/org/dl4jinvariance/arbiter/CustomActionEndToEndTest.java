package org.dl4jinvariance.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.earlystopping.InvarianceScoreCalculator;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.FiniteGroup;
import org.dl4jinvariance.listeners.InvarianceListener;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A group and an action written by a user (nothing from {@code ImageActions}): Z2 swapping the
 * two halves of a feature vector. A dense layer whose weights are [[A, B], [B, A]] (no bias) is
 * exactly equivariant to it with ρ = the same swap on its output; with that field given per layer
 * (or declared by the action), the evaluator, the training listener, the early-stopping
 * calculator and the Arbiter score function all measure it end to end.
 */
class CustomActionEndToEndTest {

    private static final int N = 32;

    /** Z2 = {id, swap}: a user's own group. */
    public static final class Z2 implements FiniteGroup {
        @Override
        public int order() {
            return 2;
        }

        @Override
        public int identity() {
            return 0;
        }

        @Override
        public int compose(int a, int b) {
            return checkElement(a) ^ checkElement(b);
        }

        @Override
        public int inverse(int a) {
            return checkElement(a);
        }

        @Override
        public String name() {
            return "Z2";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Z2;
        }

        @Override
        public int hashCode() {
            return 2;
        }
    }

    /** Element 1 swaps the first and second half of every row [B, 2k]. */
    public static final class HalfSwap implements GroupAction {
        @Override
        public FiniteGroup group() {
            return new Z2();
        }

        @Override
        public INDArray apply(int g, INDArray x) {
            group().checkElement(g);
            if (x.rank() != 2 || x.size(1) % 2 != 0) {
                throw new IllegalArgumentException("HalfSwap acts on [B, 2k], got " + java.util.Arrays.toString(x.shape()));
            }
            if (g == 0) {
                return x.dup();
            }
            long k = x.size(1) / 2;
            return Nd4j.concat(1, x.get(NDArrayIndex.all(), NDArrayIndex.interval(k, 2 * k)),
                    x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k))).dup('c');
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof HalfSwap;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    /** "mixed": dense 6 → 4 with W = [[A, B], [B, A]], no bias, tanh; "out": softmax 4 → 3. */
    private static MultiLayerNetwork net() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().name("mixed").nIn(6).nOut(4).hasBias(false).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        symmetrize(net);
        return net;
    }

    /** W ← [[A, B], [B, A]] from the initial A (top-left) and B (top-right). */
    private static void symmetrize(MultiLayerNetwork net) {
        INDArray w = net.getLayer(0).getParam("W");
        INDArray a = w.get(NDArrayIndex.interval(0, 3), NDArrayIndex.interval(0, 2)).dup();
        INDArray b = w.get(NDArrayIndex.interval(0, 3), NDArrayIndex.interval(2, 4)).dup();
        w.get(NDArrayIndex.interval(3, 6), NDArrayIndex.interval(0, 2)).assign(b);
        w.get(NDArrayIndex.interval(3, 6), NDArrayIndex.interval(2, 4)).assign(a);
    }

    private static DataSet data() {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.DOUBLE, N, 6).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, N, 3);
        for (int i = 0; i < N; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new DataSet(x, y);
    }

    private static void assertEquivariantButNotInvariant(InvarianceReport r) {
        assertTrue(r.get("mixed", MetricKeys.EQUIVARIANCE).isApplicable(), r.get("mixed", MetricKeys.EQUIVARIANCE).toString());
        assertEquals(0.0, r.get("mixed", MetricKeys.EQUIVARIANCE).mean(), 1e-12);
        assertTrue(r.get("mixed", MetricKeys.INVARIANCE).mean() > 1e-3, "swapping halves moves the features");
        assertTrue(r.get("out", MetricKeys.PREDICTION_KL).mean() > 0);
    }

    @Test
    void evaluatorMeasuresUserActionWithUserGivenField() {
        InvarianceReport r = InvarianceEvaluator.builder().inputAction(new HalfSwap())
                .fieldType("mixed", FieldType.featureMaps(new HalfSwap())).maxExamples(N).build()
                .evaluate(net(), new ViewIterator(data(), 8));
        assertEquivariantButNotInvariant(r);
        InvarianceReport noField = InvarianceEvaluator.builder().inputAction(new HalfSwap()).maxExamples(N).build()
                .evaluate(net(), new ViewIterator(data(), 8));
        assertFalse(noField.get("mixed", MetricKeys.EQUIVARIANCE).isApplicable(), "no field known without the user's");
        assertEquals(r.get("mixed", MetricKeys.INVARIANCE).mean(), noField.get("mixed", MetricKeys.INVARIANCE).mean(), 1e-12);
    }

    @Test
    void listenerMeasuresUserActionEveryEpoch() {
        MultiLayerNetwork net = net();
        InvarianceListener listener = InvarianceListener.builder().inputAction(new HalfSwap())
                .fieldType("mixed", FieldType.featureMaps(new HalfSwap())).maxExamples(N)
                .evaluate("held-out", new ViewIterator(data(), 8)).build();
        net.setListeners(listener);
        net.fit(new ViewIterator(data(), 8));
        Map<Integer, InvarianceReport> reports = listener.history("held-out");
        assertEquals(1, reports.size(), listener.history().toString());
        // Training with SGD breaks the [[A, B], [B, A]] symmetry only if the gradients do: the
        // swapped data set is not the data set, so equivariance is measured, finite and small.
        InvarianceReport r = reports.values().iterator().next();
        assertTrue(r.get("mixed", MetricKeys.EQUIVARIANCE).isApplicable());
        assertTrue(Double.isFinite(r.get("mixed", MetricKeys.EQUIVARIANCE).mean()));
        assertTrue(r.get("mixed", MetricKeys.INVARIANCE).mean() > 1e-3);
    }

    @Test
    void earlyStoppingCalculatorScoresUserActionEquivariance() {
        InvarianceScoreCalculator calc = InvarianceScoreCalculator.builder().inputAction(new HalfSwap())
                .fieldType("mixed", FieldType.featureMaps(new HalfSwap())).maxExamples(N)
                .data(new ViewIterator(data(), 8)).metric(MetricKeys.EQUIVARIANCE).layer("mixed").build();
        double score = calc.calculateScore(net());
        assertEquals(0.0, score, 1e-12);
        assertTrue(calc.minimizeScore(), "equivariance deviation: lower is better");
        assertTrue(calc.lastReport().get("mixed", MetricKeys.INVARIANCE).mean() > 1e-3);
    }

    @Test
    void arbiterScoreFunctionScoresUserActionClassAsTheEvaluatorDoes() {
        InvarianceReport reference = InvarianceEvaluator.builder().inputAction(new HalfSwap()).maxExamples(N).build()
                .evaluate(net(), new ViewIterator(data(), 8));
        for (String key : new String[] {MetricKeys.INVARIANCE, MetricKeys.PREDICTION_KL}) {
            String layer = key.equals(MetricKeys.INVARIANCE) ? "mixed" : "out";
            InvarianceScoreFunction fn = InvarianceScoreFunction.builder().inputAction(HalfSwap.class)
                    .metric(key).layer(layer).maxExamples(N).build();
            assertEquals("Z2", fn.group());
            ScoreBreakdown b = fn.breakdown(net(), new ViewIterator(data(), 8));
            assertEquals(reference.get(layer, key).mean(), b.metricValue(), 1e-12, key);
            assertTrue(b.metricValue() > 1e-6, key);
        }
    }

    @Test
    void scoreFunctionWithUserActionClassSurvivesArbiterJson() throws Exception {
        InvarianceScoreFunction fn = InvarianceScoreFunction.builder().inputAction(HalfSwap.class)
                .metric(MetricKeys.INVARIANCE).layer("mixed").maxExamples(N).build();
        String json = org.deeplearning4j.arbiter.optimize.serde.jackson.JsonMapper.getMapper().writeValueAsString(fn);
        assertTrue(json.contains(HalfSwap.class.getName()), json);
        Object back = org.deeplearning4j.arbiter.optimize.serde.jackson.JsonMapper.getMapper().readValue(json,
                org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction.class);
        assertEquals(fn, back);
        assertTrue(((InvarianceScoreFunction) back).inputAction() instanceof HalfSwap);
    }
}
