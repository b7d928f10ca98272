package org.dl4jinvariance.metric;

import static org.dl4jinvariance.testing.JavaSerialization.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link EvaluationProgress}: told monotone example counts that end at the total, on every path
 * (streamed chunks, a target precision, the chunks a Spark driver merges), and never able to
 * change a report or break an evaluation.
 */
class EvaluationProgressTest {

    private static final MultiLayerNetwork NET = TestNetworks.smallCnn(7, DataType.FLOAT);

    /** C4 with chunks of 7 examples ((|G| + 2) · 7 = 42 rows, Lie derivative included). */
    private static InvarianceEvaluator.Builder c4(int maxExamples) {
        return InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4()))
                .metrics(new InvarianceDeviation(Distance.COSINE), new PredictionInvariance(), LieDerivative.rotation(1.0))
                .maxBatch(42).maxExamples(maxExamples).seed(99);
    }

    @Test
    void progressCountsChunkByChunkUpToMaxExamplesAndEndsAtTheTotal() {
        List<EvaluationProgress.Update> updates = new ArrayList<>();
        InvarianceReport report = c4(40).progress(updates::add).build().evaluate(NET, Datasets.mnist().iterator(16, 0, 48));

        assertEquals(List.of(0, 7, 14, 21, 28, 35, 40), updates.stream().map(EvaluationProgress.Update::examplesDone).toList());
        assertTrue(updates.stream().allMatch(u -> u.examplesTotal() == 40), updates.toString());
        EvaluationProgress.Update last = updates.get(updates.size() - 1);
        assertTrue(last.finished());
        assertEquals(report.get("conv1", MetricKeys.INVARIANCE_NORMALIZED).n(), last.examplesDone());
        assertEquals(1, updates.stream().filter(EvaluationProgress.Update::finished).count(), "one last call");
        assertEquals(OptionalInt.empty(), last.epoch());
        assertTrue(last.dataSet().contains("Iterator"), "the iterator's class name without a name: " + last.dataSet());
    }

    @Test
    void whenTheDataRunsOutBeforeMaxExamplesTheLastCallGivesTheExactTotal() {
        List<EvaluationProgress.Update> updates = new ArrayList<>();
        c4(100).progress(updates::add).build().evaluate(NET, Datasets.mnist().iterator(10, 0, 30));

        assertMonotone(updates);
        EvaluationProgress.Update last = updates.get(updates.size() - 1);
        assertEquals(30, last.examplesDone());
        assertEquals(30, last.examplesTotal());
        assertTrue(updates.subList(0, updates.size() - 1).stream().allMatch(u -> u.examplesTotal() == 100),
                "until the data runs out the total is the bound maxExamples: " + updates);
    }

    @Test
    void aTargetPrecisionRunEndsAtTheExamplesItMeasured() {
        List<EvaluationProgress.Update> updates = new ArrayList<>();
        InvarianceReport report = c4(200).targetPrecision(1e6).progress(updates::add).build()
                .evaluate(NET, Datasets.mnist().iterator(50, 0, 200));

        assertMonotone(updates);
        EvaluationProgress.Update last = updates.get(updates.size() - 1);
        assertTrue(last.finished());
        int n = report.get("conv1", MetricKeys.INVARIANCE_NORMALIZED).n();
        assertTrue(n < 200, "a loose target stops early, at " + n);
        assertEquals(n, last.examplesDone());
    }

    @Test
    void reportsWithAndWithoutACallbackAreIdentical() {
        InvarianceReport without = c4(40).build().evaluate(NET, Datasets.mnist().iterator(16, 0, 48));
        InvarianceReport with = c4(40).progress(u -> { }).build().evaluate(NET, Datasets.mnist().iterator(16, 0, 48));
        assertEquals(without, with, "every mean, CI, per-class value and setting");
    }

    @Test
    void aThrowingCallbackIsDroppedAndTheReportIsUnchanged() {
        InvarianceReport without = c4(40).build().evaluate(NET, Datasets.mnist().iterator(16, 0, 48));
        int[] calls = {0};
        EvaluationProgress broken = u -> {
            calls[0]++;
            throw new IllegalStateException("the terminal went away");
        };
        InvarianceReport with = c4(40).progress(broken).build().evaluate(NET, Datasets.mnist().iterator(16, 0, 48));

        assertEquals(without, with);
        assertEquals(1, calls[0], "called once, then dropped for the rest of the evaluation");
        InvarianceReport again = c4(40).progress(broken).build().evaluate(NET, Datasets.mnist().iterator(16, 0, 48));
        assertEquals(without, again);
    }

    @Test
    void aCallbackThrowingAnErrorIsDroppedUnlessTheJvmIsBroken() {
        InvarianceReport without = c4(7).build().evaluate(NET, Datasets.mnist().iterator(7, 0, 7));
        EvaluationProgress deep = u -> {
            throw new StackOverflowError("a recursive redraw");
        };
        assertEquals(without, c4(7).progress(deep).build().evaluate(NET, Datasets.mnist().iterator(7, 0, 7)));
        EvaluationProgress broken = u -> {
            throw new UnknownError("the JVM is broken");
        };
        UnknownError passed = assertThrows(UnknownError.class,
                () -> c4(7).progress(broken).build().evaluate(NET, Datasets.mnist().iterator(7, 0, 7)));
        assertEquals("the JVM is broken", passed.getMessage());
    }

    @Test
    void theSparkDriverReportsTheChunksItMergesEndingAtTheTotal() {
        List<EvaluationProgress.Update> updates = new ArrayList<>();
        InvarianceEvaluator evaluator = c4(40).progress(updates::add).build();
        ChunkedEvaluation driver = evaluator.chunked(NET, Datasets.mnist().slice(0, 16));
        List<ChunkSamples> chunks = new ArrayList<>();
        for (int i = 0; i * 7 < 40; i++) {
            chunks.add(driver.samples(Datasets.mnist().slice(i * 7, Math.min(7, 40 - i * 7)), i));
        }
        driver.report(chunks, 0, "the chunks");

        assertEquals(List.of(0, 7, 14, 21, 28, 35, 40), updates.stream().map(EvaluationProgress.Update::examplesDone).toList());
        assertTrue(updates.stream().allMatch(u -> u.examplesTotal() == 40 && "the chunks".equals(u.dataSet())));
    }

    @Test
    void namesAndEpochsAreAddedByTheWrappersAndTheCallbackIsNotSerialized() throws Exception {
        List<EvaluationProgress.Update> updates = new ArrayList<>();
        EvaluationProgress collect = updates::add;
        InvarianceEvaluator evaluator = c4(7).build().withProgress(collect.forDataSet("heldOut").forEpoch(3));
        evaluator.evaluate(NET, Datasets.mnist().iterator(7, 0, 7));
        assertEquals(List.of(new EvaluationProgress.Update("heldOut", OptionalInt.of(3), 0, 7),
                new EvaluationProgress.Update("heldOut", OptionalInt.of(3), 7, 7)), updates);

        assertSame(EvaluationProgress.NONE, roundTrip(evaluator).progress(), "Spark workers get no callback");
        assertSame(EvaluationProgress.NONE, c4(7).build().progress(), "none by default");
        assertSame(evaluator.progress(), evaluator.withoutLabelMetrics().progress(), "withoutLabelMetrics keeps the callback");
    }

    @Test
    void nullCallbacksAndImpossibleCountsAreRefusedWithAMessage() {
        IllegalArgumentException onBuilder = assertThrows(IllegalArgumentException.class, () -> c4(7).progress(null));
        assertTrue(onBuilder.getMessage().contains("EvaluationProgress.NONE"), onBuilder.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c4(7).build().withProgress(null));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> new EvaluationProgress.Update("x", OptionalInt.empty(), 8, 7));
        assertTrue(count.getMessage().contains("8 of 7"), count.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EvaluationProgress.NONE.forEpoch(-1));
    }

    private static void assertMonotone(List<EvaluationProgress.Update> updates) {
        assertFalse(updates.isEmpty());
        assertEquals(0, updates.get(0).examplesDone(), "the first call comes before any chunk");
        for (int i = 1; i < updates.size(); i++) {
            assertTrue(updates.get(i).examplesDone() >= updates.get(i - 1).examplesDone(), "monotone: " + updates);
        }
    }
}
