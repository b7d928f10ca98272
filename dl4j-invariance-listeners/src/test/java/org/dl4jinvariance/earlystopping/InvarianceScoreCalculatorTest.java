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
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.listeners.InvarianceListener;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.metric.EquivarianceDeviation;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.OrbitConsistency;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class InvarianceScoreCalculatorTest {

    private static final int EXAMPLES = 48;

    static MultiLayerNetwork cnn(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).updater(new Adam(3e-3)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(4).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("dense").nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static DataSetIterator heldOut() {
        return Datasets.mnist().iterator(24, 8_000, 96);
    }

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
        MultiLayerNetwork net = cnn(11);
        InvarianceListener listener = InvarianceListener.builder().inputAction(ImageActions.rotation(Groups.c4()))
                .evaluate("heldOut", heldOut()).maxExamples(EXAMPLES).reportTo().build();
        net.addListeners(listener);
        InvarianceScoreCalculator calc = InvarianceScoreCalculator.builder().evaluator(evaluator()).data(heldOut())
                .metric(MetricKeys.INVARIANCE_NORMALIZED).layer("dense").build();
        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .scoreCalculator(calc)
                .epochTerminationConditions(new MaxEpochsTerminationCondition(3))
                .modelSaver(new InMemoryModelSaver<>())
                .evaluateEveryNEpochs(1)
                .build();
        EarlyStoppingResult<MultiLayerNetwork> result = new EarlyStoppingTrainer(es, net,
                Datasets.mnist().iterator(32, 0, 128)).fit();

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
    void weightedSumWithTheLoss() {
        MultiLayerNetwork net = cnn(12);
        net.fit(Datasets.mnist().iterator(32, 0, 128));
        InvarianceScoreCalculator calc = InvarianceScoreCalculator.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).maxExamples(EXAMPLES)
                .data(heldOut()).metric(MetricKeys.PREDICTION_KL).metricWeight(2.0).lossWeight(0.5).build();
        double score = calc.calculateScore(net);

        InvarianceReport report = evaluator().evaluate(net, heldOut());
        double kl = report.get("output", MetricKeys.PREDICTION_KL).mean();
        double loss = new DataSetLossCalculator(heldOut(), true).calculateScore(net);
        assertEquals(2.0 * kl + 0.5 * loss, score, 1e-12);
        assertEquals(kl, calc.lastMetric());
        assertTrue(loss > 0 && kl > 0);
        // Same model, same data: the same score again (iterators are reset).
        assertEquals(score, calc.calculateScore(net));
    }

    @Test
    void minimizesInvarianceAndMaximizesAccuracyWithoutBeingToldAndDefaultsToTheDeepestLayer() {
        MultiLayerNetwork net = cnn(13);
        InvarianceScoreCalculator acc = InvarianceScoreCalculator.builder().evaluator(evaluator()).data(heldOut())
                .metric(MetricKeys.ACCURACY).build();
        assertFalse(acc.minimizeScore(), "accuracy is higher-is-better");
        double score = acc.calculateScore(net);
        assertEquals(acc.lastReport().get("output", MetricKeys.ACCURACY).mean(), score);

        InvarianceScoreCalculator inv = InvarianceScoreCalculator.builder().evaluator(evaluator()).data(heldOut())
                .metric(MetricKeys.INVARIANCE).build();
        assertTrue(inv.minimizeScore(), "invariance is a deviation: lower is better");
        assertEquals(inv.calculateScore(net), inv.lastReport().get("output", MetricKeys.INVARIANCE).mean());

        // Equivariance is "not applicable" at the dense and output layers: its deepest layer with a value is the pool.
        InvarianceScoreCalculator eq = InvarianceScoreCalculator.builder().evaluator(evaluator()).data(heldOut())
                .metric(EquivarianceDeviation.NORMALIZED_KEY).build();
        assertEquals(eq.calculateScore(net), eq.lastReport().get("pool", EquivarianceDeviation.NORMALIZED_KEY).mean());
    }

    @Test
    @SuppressWarnings("deprecation")
    void theDeprecatedMaximizeIsCheckedAgainstTheKeyNeverInvertingIt() {
        InvarianceScoreCalculator acc = InvarianceScoreCalculator.builder().evaluator(evaluator()).data(heldOut())
                .metric(OrbitConsistency.ACCURACY_KEY).maximize().build();
        assertFalse(acc.minimizeScore());
        IllegalArgumentException contradiction = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreCalculator.builder().evaluator(evaluator()).data(heldOut())
                        .metric(MetricKeys.INVARIANCE_NORMALIZED).maximize().build());
        assertTrue(contradiction.getMessage().contains("maximize()")
                && contradiction.getMessage().contains("'invariance.normalized'"), contradiction.getMessage());
    }

    @Test
    void rejectsMissingAndInapplicableMetricsNamingThem() {
        MultiLayerNetwork net = cnn(14);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreCalculator.builder().metric("nonsense"));
        assertTrue(unknown.getMessage().contains("'nonsense'") && unknown.getMessage().contains(MetricKeys.PREDICTION_KL),
                "rejected when set, naming it and the known keys: " + unknown.getMessage());
        IllegalArgumentException notApplicable = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreCalculator.builder().evaluator(evaluator()).data(heldOut())
                        .metric(MetricKeys.EQUIVARIANCE).layer("dense").build().calculateScore(net));
        assertTrue(notApplicable.getMessage().contains("'dense'"), notApplicable.getMessage());
        IllegalArgumentException noData = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreCalculator.builder().metric("invariance").inputAction(ImageActions.rotation(Groups.c4()))
                        .build());
        assertTrue(noData.getMessage().contains("data"));
        IllegalArgumentException noAction = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreCalculator.builder().metric("invariance").data(heldOut()).build());
        assertTrue(noAction.getMessage().contains("inputAction"));
        assertThrows(IllegalArgumentException.class, () -> InvarianceScoreCalculator.builder().lossWeight(Double.NaN));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreCalculator.builder().metricWeight(-1));
        assertTrue(negative.getMessage().contains("metricWeight"), negative.getMessage());
    }
}
