package org.dl4jinvariance.listeners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.listeners.report.Reporter;
import org.dl4jinvariance.listeners.report.Reporters;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.testing.TestData;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

class InvarianceListenerTest {

    private static final int EXAMPLES = 48;

    @TempDir
    Path dir;

    static InvarianceListener.Builder listener() {
        return InvarianceListener.builder()
                .group(Groups.c4())
                .inputAction(ImageActions.rotation(Groups.c4()))
                .evaluate("heldOut", TestData.mnistHeldOut())
                .evaluate("ood", TestData.fashionMnistOod())
                .maxExamples(EXAMPLES)
                .reportTo();
    }

    static List<String> epochsAndNames(List<EpochReport> history) {
        return history.stream().map(r -> r.epoch() + ":" + r.dataSet() + (r.failed() ? "!" : ""))
                .collect(Collectors.toList());
    }

    @Test
    void labelsEpochsByCompletedEpochsAndHonoursEveryEpochs() {
        MultiLayerNetwork net = TestNetworks.tinyCnn(1, 1e-3, false);
        InvarianceListener every2 = listener().everyEpochs(2).build();
        net.addListeners(every2);
        net.fit(TestData.mnistTraining128(), 4);
        assertEquals(List.of("2:heldOut", "2:ood", "4:heldOut", "4:ood"), epochsAndNames(every2.history()));

        // fit(iterator) once per epoch, continuing the same network's count: epochs 5 and 6.
        InvarianceListener each = listener().build();
        net.setListeners(each);
        net.fit(TestData.mnistTraining128());
        net.fit(TestData.mnistTraining128());
        assertEquals(List.of("5:heldOut", "5:ood", "6:heldOut", "6:ood"), epochsAndNames(each.history()));
        assertEquals(6, net.getEpochCount());
    }

    @Test
    void measuresTheModelAsItIsAtTheEndOfEachEpoch() {
        MultiLayerNetwork net = TestNetworks.tinyCnn(2, 1e-3, true);
        InvarianceListener listener = listener().build();
        net.addListeners(listener);
        net.fit(TestData.mnistTraining128(), 2);

        // After the last epoch the network no longer changes: the listener's epoch-2 report is
        // exactly what the evaluator measures now.
        InvarianceReport direct = listener.evaluator().evaluate(net, TestData.fashionMnistOod());
        assertEquals(direct, listener.history("ood").get(2));
        // Training moved the network between epochs, and the reports see it.
        assertNotEquals(listener.history("heldOut").get(1), listener.history("heldOut").get(2));
        InvarianceReport r = listener.history("heldOut").get(2);
        assertEquals(List.of("conv", "pool", "dense", "output"), r.layers());
        assertEquals(EXAMPLES, r.get("conv", MetricKeys.INVARIANCE).n());
        assertTrue(r.has("output", MetricKeys.PREDICTION_KL));
        assertTrue(r.has("output", MetricKeys.CONSISTENCY));
        assertTrue(r.has("output", MetricKeys.ACCURACY));
        assertTrue(r.get("conv", MetricKeys.EQUIVARIANCE).isApplicable(), "a plain conv's field type is spatial");
    }

    @Test
    void measuresAComputationGraphAfterEachEpochLikeTheEvaluator() {
        ComputationGraph graph = TestNetworks.tinyCnnGraph(3, 1e-3, true);
        InvarianceListener listener = listener().layers("conv", "dense", "output").build();
        graph.addListeners(listener);
        graph.fit(TestData.mnistTraining128(), 2);
        assertEquals(List.of("1:heldOut", "1:ood", "2:heldOut", "2:ood"), epochsAndNames(listener.history()));
        InvarianceReport r = listener.history("heldOut").get(2);
        assertEquals(List.of("conv", "dense", "output"), r.layers());
        assertEquals(listener.evaluator().evaluate(graph, TestData.mnistHeldOut()), r);
    }

    @Test
    void evaluateNowGivesABaselineAtEpochZero() {
        MultiLayerNetwork net = TestNetworks.tinyCnn(4, 1e-3, false);
        InvarianceListener listener = listener().build();
        List<EpochReport> made = listener.evaluateNow(net);
        assertEquals(List.of("0:heldOut", "0:ood"), epochsAndNames(made));
        net.addListeners(listener);
        net.fit(TestData.mnistTraining128(), 1);
        assertEquals(List.of("0:heldOut", "0:ood", "1:heldOut", "1:ood"), epochsAndNames(listener.history()));
    }

    /**
     * The listener must not change training at all: same seed, same data, dropout and Adam, with
     * and without the listener (and every file reporter) — parameters and updater state equal
     * bit for bit.
     */
    @Test
    void neverChangesTrainingMultiLayerNetwork() {
        MultiLayerNetwork plain = TestNetworks.tinyCnn(5, 1e-3, true);
        plain.fit(TestData.mnistTraining128(), 3);

        MultiLayerNetwork watched = TestNetworks.tinyCnn(5, 1e-3, true);
        InvarianceListener listener = listener()
                .reportTo(Reporters.log(s -> { }), Reporters.csv(dir), Reporters.jsonLines(dir), Reporters.charts(dir),
                        Reporters.html(dir))
                .build();
        watched.addListeners(listener);
        watched.fit(TestData.mnistTraining128(), 3);

        assertEquals(6, listener.history().size());
        assertTrue(listener.history().stream().noneMatch(EpochReport::failed), listener.history().toString());
        assertEquals(plain.params(), watched.params());
        assertEquals(plain.getUpdater().getStateViewArray(), watched.getUpdater().getStateViewArray());
        assertEquals(plain.getEpochCount(), watched.getEpochCount());
        assertEquals(plain.getIterationCount(), watched.getIterationCount());
        assertTrue(Files.exists(dir.resolve("invariance-report.html")));
    }

    @Test
    void neverChangesTrainingComputationGraph() {
        ComputationGraph plain = TestNetworks.tinyCnnGraph(6, 1e-3, true);
        plain.fit(TestData.mnistTraining128(), 2);
        ComputationGraph watched = TestNetworks.tinyCnnGraph(6, 1e-3, true);
        watched.addListeners(listener().build());
        watched.fit(TestData.mnistTraining128(), 2);
        assertEquals(plain.params(), watched.params());
        assertEquals(plain.getUpdater().getStateViewArray(), watched.getUpdater().getStateViewArray());
    }

    /** A reporter whose disk is full. */
    static final class FullDisk implements Reporter {
        @Override
        public void record(EpochReport record) throws java.io.IOException {
            throw new java.io.IOException("No space left on device");
        }
    }

    @Test
    void failuresAreLoggedAndRecordedAndTrainingGoesOn() {
        ThrowingIterator broken = new ThrowingIterator();
        List<EpochReport> seenByOthers = new ArrayList<>();
        Reporter collecting = new Reporter() {
            @Override
            public void record(EpochReport record) {
                seenByOthers.add(record);
            }
        };
        InvarianceListener listener = InvarianceListener.builder()
                .inputAction(ImageActions.rotation(Groups.c4()))
                .evaluate("broken", broken)
                .evaluate("heldOut", TestData.mnistHeldOut())
                .maxExamples(EXAMPLES)
                .reportTo(new FullDisk(), collecting, Reporters.csv(dir))
                .build();
        MultiLayerNetwork watched = TestNetworks.tinyCnn(7, 1e-3, true);
        watched.addListeners(listener);
        watched.fit(TestData.mnistTraining128(), 2);

        MultiLayerNetwork plain = TestNetworks.tinyCnn(7, 1e-3, true);
        plain.fit(TestData.mnistTraining128(), 2);
        assertEquals(plain.params(), watched.params(), "a failing listener must not change training either");
        assertEquals(2, watched.getEpochCount());

        List<EpochReport> history = listener.history();
        List<EpochReport> evaluationFailures = history.stream().filter(r -> r.failed() && r.reporter() == null).toList();
        assertEquals(2, evaluationFailures.size());
        assertEquals("broken", evaluationFailures.get(0).dataSet());
        assertTrue(evaluationFailures.get(0).failure().contains("cannot read batch: corrupt record"),
                evaluationFailures.get(0).failure());
        assertEquals(2, listener.history("heldOut").size(), "the other data set is still measured");
        List<EpochReport> reporterFailures = history.stream().filter(r -> r.reporter() != null).toList();
        assertEquals(4, reporterFailures.size(), "the full disk fails on each of 2 records per epoch");
        assertTrue(reporterFailures.get(0).failure().contains("No space left on device"));
        assertTrue(broken.resets >= 4, "reset before and after each use, got " + broken.resets);
        // The other reporters saw the evaluation failures and the reporter failures.
        assertTrue(seenByOthers.stream().anyMatch(r -> r.failed() && "broken".equals(r.dataSet()) && r.reporter() == null));
        assertTrue(seenByOthers.stream().anyMatch(r -> "org.dl4jinvariance.listeners.InvarianceListenerTest$FullDisk"
                .endsWith(r.reporter() == null ? "-" : r.reporter())));
        assertFalse(seenByOthers.stream().anyMatch(r -> r.failed() && r.report() != null));
    }

    /** A diverged network (NaN weights) gives NaN values and warnings, not failures, and every reporter copes. */
    @Test
    void nanActivationsAreReportedAsNaNAndEveryReporterCopes() throws Exception {
        MultiLayerNetwork net = TestNetworks.tinyCnn(10, 1e-3, false);
        net.params().assign(Double.NaN);
        InvarianceListener listener = listener()
                .reportTo(Reporters.log(s -> { }), Reporters.csv(dir), Reporters.jsonLines(dir), Reporters.charts(dir),
                        Reporters.html(dir))
                .build();
        List<EpochReport> made = listener.evaluateNow(net);
        assertEquals(List.of("0:heldOut", "0:ood"), epochsAndNames(listener.history()), listener.history().toString());
        assertTrue(Double.isNaN(made.get(0).report().get("dense", MetricKeys.INVARIANCE).mean()));
        String csv = Files.readString(dir.resolve("invariance.csv"));
        assertTrue(csv.contains(",NaN,"), "NaN means are written as NaN");
        assertTrue(Files.readString(dir.resolve("invariance-report.html")).contains("NaN"));
    }

    @Test
    void iteratorsAreResetBeforeAndAfterUse() {
        DataSetIterator data = TestData.mnistHeldOut();
        data.next();
        data.next(); // left mid-way by someone else
        InvarianceListener listener = InvarianceListener.builder().inputAction(ImageActions.rotation(Groups.c4()))
                .evaluate("heldOut", data).maxExamples(EXAMPLES).reportTo().build();
        MultiLayerNetwork net = TestNetworks.tinyCnn(8, 1e-3, false);
        listener.evaluateNow(net);
        InvarianceReport fromStart = InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4()))
                .maxExamples(EXAMPLES).build().evaluate(net, TestData.mnistHeldOut());
        assertEquals(fromStart, listener.history("heldOut").get(0));
        assertEquals(TestData.mnistDigits(8_000, 24), data.next().getFeatures(),
                "the iterator is back at its start after use");
    }

    @Test
    void builderRejectsBadSettingsNamingThem() {
        IllegalArgumentException noAction = assertThrows(IllegalArgumentException.class,
                () -> InvarianceListener.builder().evaluate("a", TestData.mnistHeldOut()).build());
        assertTrue(noAction.getMessage().contains("inputAction"));
        IllegalArgumentException noData = assertThrows(IllegalArgumentException.class,
                () -> InvarianceListener.builder().inputAction(ImageActions.rotation(Groups.c4())).build());
        assertTrue(noData.getMessage().contains("evaluate"));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> InvarianceListener.builder().evaluate("a", TestData.mnistHeldOut()).evaluate("a", TestData.fashionMnistOod()));
        assertTrue(twice.getMessage().contains("'a'"));
        IllegalArgumentException every = assertThrows(IllegalArgumentException.class,
                () -> InvarianceListener.builder().everyEpochs(0));
        assertTrue(every.getMessage().contains("0"));
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> listener().group(Groups.d4()).build());
        assertTrue(mismatch.getMessage().contains("D4"), mismatch.getMessage());
        InvarianceListener ok = listener().build();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ok.history("nope"));
        assertTrue(unknown.getMessage().contains("nope"));
        assertNull(InvarianceListener.epochCount(null));
    }

    @Test
    void reportersReceiveSettingsAndOneTablePerEpoch() {
        List<String> out = new ArrayList<>();
        InvarianceListener listener = listener().runId("run-42").reportTo(Reporters.log(out::add)).build();
        MultiLayerNetwork net = TestNetworks.tinyCnn(9, 1e-3, false);
        net.addListeners(listener);
        net.fit(TestData.mnistTraining128(), 2);
        assertEquals(3, out.size(), "settings, then one table per epoch");
        assertTrue(out.get(0).contains("run-42") && out.get(0).contains("C4") && out.get(0).contains("MultiLayerNetwork"),
                out.get(0));
        assertTrue(out.get(1).startsWith("Invariance after epoch 1"));
        assertTrue(out.get(2).startsWith("Invariance after epoch 2"));
        assertTrue(out.get(2).contains("heldOut") && out.get(2).contains("ood"));
    }
}
