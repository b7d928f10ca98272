package org.dl4jinvariance.earlystopping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.listeners.InvarianceListener;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.metric.EquivarianceDeviation;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.OrbitConsistency;
import org.dl4jinvariance.testing.TestData;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;

class InvarianceScoreCalculatorTest {

    private static final int EXAMPLES = 48;

    static InvarianceEvaluator evaluator() {
        return InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4())).maxExamples(EXAMPLES).build();
    }

    /**
     * Early stopping on the normalized invariance of the dense layer: the trainer's score at each
     * epoch is exactly the value an InvarianceListener on the same network measured at that epoch
     * (the trainer counts epochs from 0, the listener labels them by completed epochs), and the
     * best model is the one with the lowest score.
     */
    @Test
    void drivesEarlyStoppingTrainerAndAgreesWithTheListener() {
        MultiLayerNetwork net = TestNetworks.tinyCnn(11, 3e-3, false);
        InvarianceListener listener = InvarianceListener.builder().inputAction(ImageActions.rotation(Groups.c4()))
                .evaluate("heldOut", TestData.mnistHeldOut()).maxExamples(EXAMPLES).reportTo().build();
        net.addListeners(listener);
        InvarianceScoreCalculator calc = InvarianceScoreCalculator.builder().evaluator(evaluator()).data(TestData.mnistHeldOut())
                .metric(MetricKeys.INVARIANCE_NORMALIZED).layer("dense").build();
        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .scoreCalculator(calc)
                .epochTerminationConditions(new MaxEpochsTerminationCondition(3))
                .modelSaver(new InMemoryModelSaver<>())
                .evaluateEveryNEpochs(1)
                .build();
        EarlyStoppingResult<MultiLayerNetwork> result = new EarlyStoppingTrainer(es, net,
                TestData.mnistTraining128()).fit();

        assertEquals(List.of(1, 2, 3), listener.history().stream().map(EpochReport::epoch).toList());
        Map<Integer, Double> scores = result.getScoreVsEpoch();
        assertEquals(3, scores.size());
        for (int epoch = 0; epoch < 3; epoch++) {
            double listened = listener.history("heldOut").get(epoch + 1).get("dense", MetricKeys.INVARIANCE_NORMALIZED).mean();
            assertEquals(listened, scores.get(epoch), 0.0, "epoch " + epoch);
        }
        int best = scores.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertEquals(best, result.getBestModelEpoch());
        assertTrue(calc.minimizeScore());
    }

    @Test
    void scoreIsTheWeightedSumOfMetricAndLossAndRepeatsForTheSameModel() {
        MultiLayerNetwork net = TestNetworks.tinyCnn(12, 3e-3, false);
        net.fit(TestData.mnistTraining128());
        InvarianceScoreCalculator calc = InvarianceScoreCalculator.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).maxExamples(EXAMPLES)
                .data(TestData.mnistHeldOut()).metric(MetricKeys.PREDICTION_KL).metricWeight(2.0).lossWeight(0.5).build();
        double score = calc.calculateScore(net);

        InvarianceReport report = evaluator().evaluate(net, TestData.mnistHeldOut());
        double kl = report.get("output", MetricKeys.PREDICTION_KL).mean();
        double loss = new DataSetLossCalculator(TestData.mnistHeldOut(), true).calculateScore(net);
        assertEquals(2.0 * kl + 0.5 * loss, score, 1e-12);
        assertEquals(kl, calc.lastMetric());
        assertTrue(loss > 0 && kl > 0);
        // Same model, same data: the same score again (iterators are reset).
        assertEquals(score, calc.calculateScore(net));
    }

    @Test
    void minimizesInvarianceAndMaximizesAccuracyWithoutBeingToldAndDefaultsToTheDeepestLayer() {
        MultiLayerNetwork net = TestNetworks.tinyCnn(13, 3e-3, false);
        InvarianceScoreCalculator acc = InvarianceScoreCalculator.builder().evaluator(evaluator()).data(TestData.mnistHeldOut())
                .metric(MetricKeys.ACCURACY).build();
        assertFalse(acc.minimizeScore(), "accuracy is higher-is-better");
        double score = acc.calculateScore(net);
        assertEquals(acc.lastReport().get("output", MetricKeys.ACCURACY).mean(), score);

        InvarianceScoreCalculator inv = InvarianceScoreCalculator.builder().evaluator(evaluator()).data(TestData.mnistHeldOut())
                .metric(MetricKeys.INVARIANCE).build();
        assertTrue(inv.minimizeScore(), "invariance is a deviation: lower is better");
        assertEquals(inv.calculateScore(net), inv.lastReport().get("output", MetricKeys.INVARIANCE).mean());

        // Equivariance is "not applicable" at the dense and output layers: its deepest layer with a value is the pool.
        InvarianceScoreCalculator eq = InvarianceScoreCalculator.builder().evaluator(evaluator()).data(TestData.mnistHeldOut())
                .metric(EquivarianceDeviation.NORMALIZED_KEY).build();
        assertEquals(eq.calculateScore(net), eq.lastReport().get("pool", EquivarianceDeviation.NORMALIZED_KEY).mean());
    }

    @Test
    @SuppressWarnings("deprecation")
    void theDeprecatedMaximizeIsCheckedAgainstTheKeyNeverInvertingIt() {
        InvarianceScoreCalculator acc = InvarianceScoreCalculator.builder().evaluator(evaluator()).data(TestData.mnistHeldOut())
                .metric(OrbitConsistency.ACCURACY_KEY).maximize().build();
        assertFalse(acc.minimizeScore());
        IllegalArgumentException contradiction = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreCalculator.builder().evaluator(evaluator()).data(TestData.mnistHeldOut())
                        .metric(MetricKeys.INVARIANCE_NORMALIZED).maximize().build());
        assertTrue(contradiction.getMessage().contains("maximize()")
                && contradiction.getMessage().contains("'invariance.normalized'"), contradiction.getMessage());
    }

    @Test
    void rejectsMissingAndInapplicableMetricsNamingThem() {
        MultiLayerNetwork net = TestNetworks.tinyCnn(14, 3e-3, false);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreCalculator.builder().metric("nonsense"));
        assertTrue(unknown.getMessage().contains("'nonsense'") && unknown.getMessage().contains(MetricKeys.PREDICTION_KL),
                "rejected when set, naming it and the known keys: " + unknown.getMessage());
        IllegalArgumentException notApplicable = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreCalculator.builder().evaluator(evaluator()).data(TestData.mnistHeldOut())
                        .metric(MetricKeys.EQUIVARIANCE).layer("dense").build().calculateScore(net));
        assertTrue(notApplicable.getMessage().contains("'dense'"), notApplicable.getMessage());
        IllegalArgumentException noData = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreCalculator.builder().metric("invariance").inputAction(ImageActions.rotation(Groups.c4()))
                        .build());
        assertTrue(noData.getMessage().contains("data"));
        IllegalArgumentException noAction = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreCalculator.builder().metric("invariance").data(TestData.mnistHeldOut()).build());
        assertTrue(noAction.getMessage().contains("inputAction"));
        assertThrows(IllegalArgumentException.class, () -> InvarianceScoreCalculator.builder().lossWeight(Double.NaN));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreCalculator.builder().metricWeight(-1));
        assertTrue(negative.getMessage().contains("metricWeight"), negative.getMessage());
    }
}
