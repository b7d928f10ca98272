package org.dl4jinvariance.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.serde.jackson.JsonMapper;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.earlystopping.InvarianceScoreCalculator;
import org.dl4jinvariance.metric.InvarianceDeviation;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKey;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.OrbitConsistency;
import org.dl4jinvariance.metric.PredictionInvariance;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

class InvarianceScoreFunctionTest {

    private static final long SEED = 5;
    /** 300 training digits from the start, 200 test digits from the end. */
    private static final Properties SOURCE = EmbeddedDataSource.properties("mnist", 300, 200, 50);

    private static MultiLayerNetwork net;

    @BeforeAll
    static void train() {
        net = TestNetworks.trainedTinyCnn(3);
    }

    private static DataSetIterator testIterator() {
        return Datasets.mnist().iterator(50, 9_800, 200);
    }

    /** The evaluator run by hand with the settings the score function is given. */
    private static InvarianceReport evaluator(Model model, DataSetIterator data, int examples) {
        return InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4())).maxExamples(examples)
                .seed(SEED).build().evaluate(model, data);
    }

    @Test
    void theMetricAloneIsExactlyTheEvaluatorsValueOnTheSameModelAndData() {
        InvarianceScoreFunction ood = InvarianceScoreFunction.builder().group("C4").metric(MetricKeys.PREDICTION_KL)
                .data(ScoreData.embedded("fashion-mnist", 0, 200)).maxExamples(200).seed(SEED).build();
        double expected = evaluator(net, Datasets.fashionMnist().iterator(250, 0, 200), 200)
                .get("output", MetricKeys.PREDICTION_KL).mean();
        assertTrue(expected > 0, "a plain CNN is not rotation invariant: " + expected);
        assertTrue(ood.minimize());
        assertEquals(expected, ood.score(net, EmbeddedDataSource.class, SOURCE), 0.0);
        ScoreBreakdown b = ood.lastBreakdown();
        assertEquals("output", b.layer());
        assertEquals(expected, b.metricValue(), 0.0);
        assertTrue(b.feasible());
        assertEquals(1, b.report().layers().size(), "an output-only metric probes only the output layer");

        InvarianceScoreFunction hidden = InvarianceScoreFunction.builder().group("C4")
                .metric(MetricKeys.INVARIANCE_NORMALIZED).layer("conv").maxExamples(200).seed(SEED).build();
        double atConv = evaluator(net, testIterator(), 200).get("conv", MetricKeys.INVARIANCE_NORMALIZED).mean();
        assertEquals(atConv, hidden.score(net, EmbeddedDataSource.class, SOURCE), 0.0);
    }

    @Test
    void aComputationGraphIsScoredLikeANetwork() {
        ComputationGraph graph = TestNetworks.trainedTinyCnnGraph(3);
        InvarianceScoreFunction fn = InvarianceScoreFunction.builder().metric(MetricKeys.INVARIANCE_NORMALIZED)
                .maxExamples(100).seed(SEED).build();
        InvarianceReport report = evaluator(graph, testIterator(), 100);
        double expected = report.get("output", MetricKeys.INVARIANCE_NORMALIZED).mean();
        assertEquals(expected, fn.score(graph, EmbeddedDataSource.class, SOURCE), 0.0);
        assertEquals("output", fn.lastBreakdown().layer(), "default: the deepest layer reporting the metric");
    }

    @Test
    void accuracyMinusWeightedKlIsMaximizedAndLossPlusKlMinimized() {
        InvarianceScoreFunction tradeOff = InvarianceScoreFunction.builder().metric(MetricKeys.PREDICTION_KL)
                .data(ScoreData.embedded("fashion-mnist", 0, 200)).maxExamples(200).seed(SEED)
                .accuracyWeight(1).metricWeight(0.5).build();
        assertFalse(tradeOff.minimize());
        double kl = evaluator(net, Datasets.fashionMnist().iterator(250, 0, 200), 200)
                .get("output", MetricKeys.PREDICTION_KL).mean();
        double accuracy = net.evaluate(testIterator()).accuracy();
        assertTrue(accuracy > 0.1 && accuracy < 1, "accuracy " + accuracy);
        assertEquals(accuracy - 0.5 * kl, tradeOff.score(net, EmbeddedDataSource.class, SOURCE), 1e-12);
        assertEquals(accuracy, tradeOff.lastBreakdown().accuracy(), 0.0);

        InvarianceScoreFunction withLoss = InvarianceScoreFunction.builder().metric(MetricKeys.PREDICTION_KL)
                .maxExamples(200).seed(SEED).metricWeight(2).lossWeight(1).build();
        assertTrue(withLoss.minimize());
        double klTest = evaluator(net, testIterator(), 200).get("output", MetricKeys.PREDICTION_KL).mean();
        double loss = new DataSetLossCalculator(testIterator(), true).calculateScore(net);
        assertEquals(2 * klTest + loss, withLoss.score(net, EmbeddedDataSource.class, SOURCE), 1e-9);
    }

    @Test
    void aHigherIsBetterMetricIsMaximized() {
        InvarianceScoreFunction fn = InvarianceScoreFunction.builder().metric(MetricKeys.CONSISTENCY).maxExamples(200)
                .seed(SEED).build();
        assertFalse(fn.minimize());
        double expected = evaluator(net, testIterator(), 200).get("output", MetricKeys.CONSISTENCY).mean();
        assertEquals(expected, fn.score(net, EmbeddedDataSource.class, SOURCE), 0.0);
        assertTrue(InvarianceScoreFunction.builder().metric(MetricKeys.INVARIANCE).build().minimize());
        assertFalse(InvarianceScoreFunction.builder().metric(MetricKeys.COSINE_SIMILARITY_RATIO).build().minimize());
        assertFalse(InvarianceScoreFunction.builder().metric(MetricKeys.accuracyOf("rot90")).build().minimize());
    }

    @Test
    @SuppressWarnings("deprecation")
    void theDeprecatedHigherIsBetterAsksTheKey() {
        for (String name : List.of(MetricKeys.ACCURACY, MetricKeys.accuracyOf("rot90"), MetricKeys.CONSISTENCY,
                MetricKeys.COSINE_SIMILARITY_RATIO, MetricKeys.INVARIANCE, MetricKeys.PREDICTION_KL, MetricKeys.LIE_DERIVATIVE)) {
            assertEquals(MetricKey.of(name).higherIsBetter(), InvarianceScoreFunction.higherIsBetter(name), name);
        }
        assertThrows(IllegalArgumentException.class, () -> InvarianceScoreFunction.higherIsBetter("accuracyish"));
    }

    /**
     * The Arbiter score function and the early-stopping calculator share one scoring rule: given
     * the same model, data, key and weights they give the same score and the same direction, the
     * direction taken from the key (KL + loss minimized, accuracy maximized, neither told).
     */
    @Test
    void bothScorersGiveTheSameScoreForTheSameKeyAndWeights() {
        record Case(MetricKey key, double metricWeight, double lossWeight) {
        }
        for (Case c : List.of(new Case(PredictionInvariance.KEY, 2, 0.5), new Case(OrbitConsistency.ACCURACY_KEY, 1, 0),
                new Case(InvarianceDeviation.NORMALIZED_KEY, 1, 0))) {
            InvarianceScoreFunction fn = InvarianceScoreFunction.builder().group("C4").metric(c.key()).maxExamples(200)
                    .seed(SEED).metricWeight(c.metricWeight()).lossWeight(c.lossWeight()).build();
            InvarianceScoreCalculator calc = InvarianceScoreCalculator.builder()
                    .inputAction(ImageActions.rotation(Groups.c4())).maxExamples(200).seed(SEED).data(testIterator())
                    .metric(c.key()).metricWeight(c.metricWeight()).lossWeight(c.lossWeight()).build();
            assertEquals(!c.key().higherIsBetter(), fn.minimize(), c.toString());
            assertEquals(fn.minimize(), calc.minimizeScore(), c.toString());
            double score = fn.score(net, EmbeddedDataSource.class, SOURCE);
            assertEquals(score, calc.calculateScore(net), 1e-12, c.toString());
            assertEquals(fn.lastBreakdown().metricValue(), calc.lastMetric(), 0.0, c.toString());
        }
    }

    @Test
    void aCandidateMissingTheBoundRanksBelowEveryCandidateMeetingIt() {
        InvarianceScoreFunction.Builder base = InvarianceScoreFunction.builder().metric(MetricKeys.PREDICTION_KL)
                .data(ScoreData.embedded("fashion-mnist", 0, 100)).maxExamples(100).seed(SEED)
                .metricWeight(0).accuracyWeight(1);
        double accuracy = net.evaluate(testIterator()).accuracy();

        InvarianceScoreFunction loose = base.requireMetricAtMost(1e6).build();
        assertEquals(accuracy, loose.score(net, EmbeddedDataSource.class, SOURCE), 0.0);
        double kl = loose.lastBreakdown().metricValue();
        assertTrue(loose.lastBreakdown().feasible());

        InvarianceScoreFunction strict = base.requireMetricAtMost(kl / 2).build();
        double missed = strict.score(net, EmbeddedDataSource.class, SOURCE);
        assertFalse(strict.lastBreakdown().feasible());
        assertEquals(-(InvarianceScoreFunction.INFEASIBLE_OFFSET + kl / 2), missed, 1e-9);
        assertTrue(missed < 0, "below any accuracy");
    }

    @Test
    void roundTripsThroughArbitersJsonAloneAndInsideAnOptimizationConfiguration() throws Exception {
        Properties props = new Properties();
        props.setProperty(EmbeddedDataSource.DATA, "fashion-mnist");
        InvarianceScoreFunction fn = InvarianceScoreFunction.builder().group("D4").metric(MetricKeys.INVARIANCE_NORMALIZED)
                .layer("conv2").data(ScoreData.dataSource(EmbeddedDataSource.class, props)).maxExamples(300).seed(9)
                .metricWeight(0.25).accuracyWeight(1).lossWeight(0.5).requireMetricAtMost(0.4).build();
        String json = JsonMapper.getMapper().writeValueAsString(fn);
        ScoreFunction back = JsonMapper.getMapper().readValue(json, ScoreFunction.class);
        assertEquals(fn, back);
        assertEquals(fn.toString(), back.toString());
        assertEquals(json, JsonMapper.getMapper().writeValueAsString(back));

        InvarianceScoreFunction embedded = InvarianceScoreFunction.builder()
                .data(ScoreData.embedded("fashion-mnist", 100, 400)).build();
        OptimizationConfiguration conf = new OptimizationConfiguration.Builder()
                .candidateGenerator(new RandomSearchGenerator(TinySpaces.network(GroupSpace.of("plain", "C4"),
                        new FixedValue<>(4), new FixedValue<>(4), new int[] {3}, 1), null))
                .dataSource(EmbeddedDataSource.class, SOURCE)
                .scoreFunction(embedded)
                .terminationConditions(new MaxCandidatesCondition(3))
                .build();
        OptimizationConfiguration read = OptimizationConfiguration.fromJson(conf.toJson());
        assertEquals(embedded, read.getScoreFunction());
        assertNotEquals(fn, read.getScoreFunction());
    }

    @Test
    void badSettingsAreRejectedNamingTheValue() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreFunction.builder().metricWeight(0).build());
        assertTrue(none.getMessage().contains("metricWeight"), none.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreFunction.builder().accuracyWeight(-1));
        assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InvarianceScoreFunction.builder().group("Z9"));
        assertThrows(IllegalArgumentException.class, () -> ScoreData.embedded("cifar", 0, 10));
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> ScoreData.embedded("mnist", 9_990, 20));
        assertTrue(range.getMessage().contains("9990"), range.getMessage());
        IllegalArgumentException notThere = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreFunction.builder().metric("noSuchMetric"));
        assertTrue(notThere.getMessage().contains("'noSuchMetric'") && notThere.getMessage().contains(MetricKeys.CONSISTENCY),
                "rejected when set, naming it and the known keys: " + notThere.getMessage());
        IllegalArgumentException model = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreFunction.builder().build().breakdown("not a model", testIterator()));
        assertTrue(model.getMessage().contains("java.lang.String"), model.getMessage());
        assertSame(null, InvarianceScoreFunction.builder().build().lastBreakdown());
    }
}
