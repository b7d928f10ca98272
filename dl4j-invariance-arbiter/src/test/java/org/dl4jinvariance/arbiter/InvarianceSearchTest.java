package org.dl4jinvariance.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.listeners.InvarianceListener;
import org.dl4jinvariance.listeners.report.CsvReporter;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvarianceSearchTest {

    /** 300 training digits, 100 test digits, batches of 50. */
    private static final Properties SOURCE = EmbeddedDataSource.properties("mnist", 300, 100, 50);

    /** accuracy − 0.1 · prediction KL on 100 Fashion-MNIST images under C4. */
    private static InvarianceScoreFunction score() {
        return InvarianceScoreFunction.builder().group("C4").metric(MetricKeys.PREDICTION_KL)
                .data(ScoreData.embedded("fashion-mnist", 0, 100)).maxExamples(100).seed(3)
                .accuracyWeight(1).metricWeight(0.1).build();
    }

    @Test
    void threeCandidatesCompleteWithNoFailuresEachWithItsScoreFiguresAndCurves(@TempDir Path dir) throws Exception {
        InvarianceTaskListener perCandidate = InvarianceTaskListener.of(candidate -> InvarianceListener.builder()
                .inputAction(ImageActions.rotation(Groups.c4()))
                .evaluate("mnist", Datasets.mnist().iterator(50, 9_900, 100))
                .evaluate("fashion-mnist", Datasets.fashionMnist().iterator(50, 0, 100))
                .layers("conv1", "conv2", "gpool").maxExamples(50), dir);
        InvarianceScoreFunction score = score();
        SearchResult result = InvarianceSearch.builder()
                .space(TinySpaces.network(GroupSpace.of("plain", "C4", "D4"), new FixedValue<>(4), new FixedValue<>(4),
                        new int[] {3}, 1))
                .dataSource(EmbeddedDataSource.class, SOURCE)
                .scoreFunction(score)
                .perCandidate(perCandidate)
                .candidates(3).seed(7)
                .build().run();

        assertEquals(3, result.completed());
        assertEquals(0, result.failed());
        assertEquals(0, result.runner().numCandidatesFailed());
        assertEquals(3, result.runner().numCandidatesCompleted());
        assertFalse(result.minimize());
        List<CandidateResult> ranked = result.ranked();
        assertEquals(3, ranked.size());
        boolean equivariant = false;
        for (int i = 0; i < ranked.size(); i++) {
            CandidateResult c = ranked.get(i);
            if (i > 0) {
                assertTrue(ranked.get(i - 1).score() >= c.score(), "ranked best first");
            }
            ScoreBreakdown b = c.breakdown();
            assertNotNull(b, c.id());
            assertEquals(c.score(), b.score(), 0.0);
            assertEquals(b.accuracy() - 0.1 * b.metricValue(), c.score(), 1e-12);
            assertTrue(b.accuracy() >= 0 && b.accuracy() <= 1);
            assertTrue(c.parameters() > 0 && c.seconds() > 0);
            if (!c.group().equals(GroupSpace.PLAIN)) {
                equivariant = true;
                // group pooling + global average pooling: predictions exactly invariant under C4
                assertTrue(b.metricValue() < 1e-6, c.id() + " " + c.group() + " KL " + b.metricValue());
                assertTrue(c.architecture().startsWith(c.group() + " lift"), c.architecture());
            } else {
                assertTrue(c.architecture().startsWith("conv 4 3×3"), c.architecture());
            }
            // the candidate's own InvarianceListener: one epoch, both data sets, files under candidate-i/
            assertEquals(List.of("mnist", "fashion-mnist"), c.history().stream().map(EpochReport::dataSet).toList());
            assertTrue(c.history().stream().allMatch(r -> !r.failed() && r.epoch() == 1), c.history().toString());
            assertEquals(c.id(), perCandidate.listener(c.index()).runId());
            Path csv = dir.resolve(c.id()).resolve(CsvReporter.FILE_NAME);
            List<String> lines = Files.readAllLines(csv);
            assertTrue(lines.size() > 1 && lines.subList(1, lines.size()).stream().allMatch(l -> l.startsWith(c.id() + ",")),
                    csv + ": " + lines.subList(0, Math.min(3, lines.size())));
        }
        assertTrue(equivariant, "seed 7 draws an equivariant candidate: " + ranked.stream().map(CandidateResult::group).toList());

        Path file = dir.resolve("ranking.csv");
        result.writeCsv(file);
        List<String> rows = Files.readAllLines(file);
        assertEquals(SearchResult.CSV_HEADER, rows.get(0));
        assertEquals(4, rows.size());
        assertTrue(rows.get(1).startsWith("1," + ranked.get(0).id() + ",completed,"), rows.get(1));
    }

    @Test
    void aCandidateThatFailsToBuildIsReportedAndTheSearchGoesOn() {
        // C4 with a 4×4 kernel is rejected by GroupConvolution's builder while Arbiter generates the candidate
        SearchResult result = InvarianceSearch.builder()
                .space(TinySpaces.network(GroupSpace.of("C4"), new FixedValue<>(4), new FixedValue<>(4), new int[] {3, 4}, 1))
                .dataSource(EmbeddedDataSource.class, SOURCE)
                .scoreFunction(score())
                .candidates(4).seed(2)
                .build().run();

        assertEquals(4, result.ranked().size(), "failures count towards the 4 candidates");
        assertTrue(result.failed() >= 1 && result.completed() >= 1,
                result.completed() + " completed, " + result.failed() + " failed");
        for (CandidateResult c : result.ranked()) {
            if (c.completed()) {
                assertNotNull(c.score());
                assertTrue(c.architecture().contains("C4 gconv 2 3×3"), c.architecture());
            } else {
                assertNull(c.score());
                assertTrue(c.failure().startsWith("IllegalArgumentException: ") && c.failure().contains("kernelSize 4"),
                        c.failure());
            }
        }
        assertTrue(result.ranked().get(0).completed(), "failures rank last");
        assertFalse(result.ranked().get(result.ranked().size() - 1).completed());
    }

    @Test
    void aCandidateThatFailsWhileTrainingIsReportedToo() {
        SearchResult result = InvarianceSearch.builder()
                .space(TinySpaces.network(GroupSpace.of("plain"), new FixedValue<>(2), new FixedValue<>(2), new int[] {3}, 1))
                .dataSource(EmbeddedDataSource.class, SOURCE)
                .scoreFunction(score())
                .perCandidate(InvarianceTaskListener.of(candidate -> {
                    throw new IllegalStateException("no listener for " + InvarianceTaskListener.candidateId(candidate.getIndex()));
                }))
                .candidates(2).seed(1)
                .build().run();
        assertEquals(2, result.failed());
        assertNull(result.best());
        assertEquals("IllegalStateException: no listener for candidate-0", result.ranked().get(0).failure());
    }
}
