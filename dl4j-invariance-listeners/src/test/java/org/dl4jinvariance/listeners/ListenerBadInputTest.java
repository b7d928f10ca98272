package org.dl4jinvariance.listeners;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.function.Supplier;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.earlystopping.InvarianceScoreCalculator;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.listeners.report.CsvReporter;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.listeners.report.JsonLinesReporter;
import org.dl4jinvariance.listeners.report.MetricRow;
import org.dl4jinvariance.listeners.report.Reporter;
import org.dl4jinvariance.listeners.report.Reporters;
import org.dl4jinvariance.metric.MetricKey;
import org.dl4jinvariance.metric.OrbitMetric;
import org.dl4jinvariance.testing.TestData;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The bad-input catalogue of the listeners module (issue 13, "wrong answers must be
 * impossible"): each test is one bad input, and checks that it is refused with an
 * {@link IllegalArgumentException} whose message names the bad value and what was expected, or,
 * where the input arrives during training, that the listener records it and training goes on
 * with the right values.
 */
class ListenerBadInputTest {

    private static final int EXAMPLES = 24;

    @TempDir
    Path dir;

    private static InvarianceListener.Builder listener() {
        return InvarianceListener.builder()
                .inputAction(ImageActions.rotation(Groups.c4()))
                .evaluate("heldOut", TestData.mnistHeldOut())
                .maxExamples(EXAMPLES)
                .layers("dense", "output");
    }

    private static IllegalArgumentException rejects(Executable call, String... named) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : named) {
            assertTrue(e.getMessage().contains(part), "message lacks '" + part + "': " + e.getMessage());
        }
        return e;
    }

    /** Collects what the listener hands to its reporters. */
    private static final class Collecting implements Reporter {
        final List<EpochReport> records = new ArrayList<>();
        int epochEnds;

        @Override
        public void record(EpochReport record) {
            records.add(record);
        }

        @Override
        public void epochEnd(int epoch) {
            epochEnds++;
        }
    }

    /** A reporter that throws {@code error} from the given phase every time. */
    private static Reporter throwing(String phase, Supplier<Throwable> error) {
        return new Reporter() {
            @Override
            public void start(org.dl4jinvariance.listeners.report.RunSettings settings) throws Exception {
                if (phase.equals("start")) {
                    sneaky(error.get());
                }
            }

            @Override
            public void record(EpochReport record) throws Exception {
                if (phase.equals("record")) {
                    sneaky(error.get());
                }
            }

            @Override
            public void epochEnd(int epoch) throws Exception {
                if (phase.equals("epochEnd")) {
                    sneaky(error.get());
                }
            }

            @Override
            public String name() {
                return "throwing-" + phase;
            }
        };
    }

    private static void sneaky(Throwable t) throws Exception {
        if (t instanceof Exception e) {
            throw e;
        }
        throw (Error) t;
    }

    /** Trains 2 epochs with the listener and returns it; the network must reach epoch 2. */
    private static InvarianceListener fitTwoEpochs(InvarianceListener listener) {
        MultiLayerNetwork net = TestNetworks.tinyCnn(13, 1e-3, false);
        net.addListeners(listener);
        net.fit(TestData.mnistTraining128(), 2);
        assertEquals(2, net.getEpochCount(), "fit() must complete both epochs");
        return listener;
    }

    private static List<EpochReport> reporterFailures(InvarianceListener listener, String reporter) {
        return listener.history().stream().filter(r -> reporter.equals(r.reporter())).toList();
    }

    // ---------------------------------------------------------------- 1. errors from reporters

    /** A real stack overflow (unbounded recursion) in a reporter is recorded; fit() completes. */
    @Test
    void aReporterOverflowingItsStackIsRecordedAndFitCompletes() {
        Collecting other = new Collecting();
        Reporter recursive = new Reporter() {
            @Override
            public void record(EpochReport record) {
                depth(0);
            }

            private int depth(int n) {
                return depth(n + 1) + 1;
            }

            @Override
            public String name() {
                return "recursive";
            }
        };
        InvarianceListener listener = fitTwoEpochs(listener().reportTo(recursive, other).build());
        List<EpochReport> failures = reporterFailures(listener, "recursive");
        assertEquals(2, failures.size(), "one per record: " + listener.history());
        assertTrue(failures.get(0).failure().startsWith("java.lang.StackOverflowError"), failures.get(0).failure());
        assertEquals("heldOut", failures.get(0).dataSet());
        assertEquals(2, listener.history("heldOut").size(), "both epochs are measured all the same");
        assertEquals(2, other.epochEnds, "the other reporter goes on");
    }

    @Test
    void aReporterRunningOutOfMemoryIsRecordedAndFitCompletes() {
        Collecting other = new Collecting();
        InvarianceListener listener = fitTwoEpochs(listener()
                .reportTo(throwing("epochEnd", () -> new OutOfMemoryError("Java heap space")), other).build());
        List<EpochReport> failures = reporterFailures(listener, "throwing-epochEnd");
        assertEquals(2, failures.size(), listener.history().toString());
        assertEquals("java.lang.OutOfMemoryError: Java heap space", failures.get(1).failure());
        assertEquals(2, failures.get(1).epoch());
        assertEquals(2, listener.history("heldOut").size());
        assertEquals(2, other.epochEnds);
    }

    /**
     * The JDK's font code throws a plain {@code Error} ("Probable fatal error: No fonts found")
     * or an {@code InternalError} on a server without fonts, which a charts reporter meets; a
     * missing service provider is a {@code ServiceConfigurationError}. All are recorded.
     */
    @Test
    void aReporterThrowingInternalErrorPlainErrorOrServiceErrorIsRecordedAndFitCompletes() {
        InvarianceListener listener = fitTwoEpochs(listener().reportTo(
                throwing("start", () -> new InternalError("java.lang.reflect.InvocationTargetException")),
                throwing("record", () -> new Error("Probable fatal error:No fonts found.")),
                throwing("epochEnd", () -> new ServiceConfigurationError("javax.imageio.spi: provider missing")))
                .build());
        assertEquals("java.lang.InternalError: java.lang.reflect.InvocationTargetException",
                reporterFailures(listener, "throwing-start").get(0).failure());
        assertEquals(2, reporterFailures(listener, "throwing-record").size());
        assertEquals("java.lang.Error: Probable fatal error:No fonts found.",
                reporterFailures(listener, "throwing-record").get(0).failure());
        assertTrue(reporterFailures(listener, "throwing-epochEnd").get(1).failure()
                .startsWith("java.util.ServiceConfigurationError"));
        assertEquals(2, listener.history("heldOut").size());
    }

    /** An evaluation that throws an error (here from the data) is a failure record of that data set. */
    @Test
    void anEvaluationThrowingAnErrorIsRecordedAndTheOtherDataSetsAreMeasured() {
        DataSetIterator overflowing = new Delegating(TestData.mnistHeldOut(), true) {
            @Override
            public DataSet next() {
                throw new StackOverflowError("deep preprocessor");
            }
        };
        InvarianceListener listener = fitTwoEpochs(listener().evaluate("overflowing", overflowing).reportTo().build());
        List<EpochReport> failed = listener.history().stream().filter(EpochReport::failed).toList();
        assertEquals(2, failed.size(), listener.history().toString());
        assertEquals("overflowing", failed.get(0).dataSet());
        assertEquals("java.lang.StackOverflowError: deep preprocessor", failed.get(0).failure());
        assertEquals(2, listener.history("heldOut").size());
    }

    /**
     * ThreadDeath (a stop request) and the VirtualMachineErrors that say the JVM is broken pass
     * through; everything else is recorded.
     */
    @Test
    @SuppressWarnings("removal")
    void threadDeathAndUnknownErrorPassThroughEverythingElseIsRecorded() {
        MultiLayerNetwork net = TestNetworks.tinyCnn(13, 1e-3, false);
        assertThrows(ThreadDeath.class,
                () -> listener().reportTo(throwing("record", ThreadDeath::new)).build().evaluateNow(net));
        UnknownError unknown = assertThrows(UnknownError.class,
                () -> listener().reportTo(throwing("epochEnd", () -> new UnknownError("broken VM"))).build()
                        .evaluateNow(net));
        assertEquals("broken VM", unknown.getMessage());

        assertTrue(InvarianceListener.passesThrough(new ThreadDeath()));
        assertTrue(InvarianceListener.passesThrough(new UnknownError()));
        for (Throwable recorded : List.of(new StackOverflowError(), new OutOfMemoryError(), new InternalError(),
                new Error(), new NoClassDefFoundError(), new ExceptionInInitializerError(), new AssertionError(),
                new ServiceConfigurationError("x"), new RuntimeException(), new Exception())) {
            assertFalse(InvarianceListener.passesThrough(recorded), recorded.toString());
        }
    }

    /** An InterruptedException from a reporter is recorded, and the thread stays interrupted. */
    @Test
    void anInterruptedReporterIsRecordedAndTheInterruptIsKept() {
        InvarianceListener listener = listener()
                .reportTo(throwing("record", () -> new InterruptedException("waiting for the UI server"))).build();
        try {
            listener.evaluateNow(TestNetworks.tinyCnn(13, 1e-3, false));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt must reach the caller");
        } finally {
            Thread.interrupted(); // clear it for the next test
        }
        assertEquals("java.lang.InterruptedException: waiting for the UI server",
                reporterFailures(listener, "throwing-record").get(0).failure());
        assertEquals(1, listener.history("heldOut").size());
    }

    /** A reporter whose name() throws is recorded under its class name instead of breaking the listener. */
    @Test
    void aReporterWhoseNameThrowsIsRecordedUnderItsClassName() {
        Reporter nameless = new Reporter() {
            @Override
            public void record(EpochReport record) throws Exception {
                throw new java.io.IOException("disk full");
            }

            @Override
            public String name() {
                throw new IllegalStateException("no name");
            }
        };
        InvarianceListener listener = listener().reportTo(nameless).build();
        listener.evaluateNow(TestNetworks.tinyCnn(13, 1e-3, false));
        List<EpochReport> failures = reporterFailures(listener, nameless.getClass().getName());
        assertEquals(1, failures.size(), listener.history().toString());
        assertEquals("java.io.IOException: disk full", failures.get(0).failure());
    }

    // ---------------------------------------------------------------- 2. builder nulls

    @Test
    void reportToRejectsANullArray() {
        rejects(() -> InvarianceListener.builder().reportTo((Reporter[]) null), "reportTo", "null array",
                "reportTo() with no argument");
    }

    @Test
    void reportToRejectsANullReporterNamingItsPosition() {
        rejects(() -> InvarianceListener.builder().reportTo(Reporters.log(), null), "reportTo",
                "null as reporter 2 of 2", "non-null");
    }

    @Test
    void reportToRejectsTheSameReporterTwice() {
        Reporter csv = Reporters.csv(dir);
        rejects(() -> InvarianceListener.builder().reportTo(csv).reportTo(csv), "csv(" + dir + ")", "twice");
    }

    /** Two CSV reporters on one directory would append every row twice. */
    @Test
    void reportToRejectsTwoReportersWritingOneFile() {
        rejects(() -> InvarianceListener.builder().reportTo(Reporters.csv(dir), Reporters.csv(dir.resolve("."))),
                "csv(" + dir + ")", "both write", dir.resolve(CsvReporter.FILE_NAME).toString());
        rejects(() -> InvarianceListener.builder().reportTo(Reporters.charts(dir)).reportTo(Reporters.charts(dir)),
                "both write", "layer-profile.png");
        // Different files in one directory are fine.
        assertNotNull(listener().reportTo(Reporters.csv(dir), Reporters.jsonLines(dir), Reporters.charts(dir),
                Reporters.html(dir)).build());
    }

    @Test
    void layersRejectsANullArrayListOrLayerOnTheListener() {
        rejects(() -> InvarianceListener.builder().layers((String[]) null), "layers", "null array");
        rejects(() -> InvarianceListener.builder().layers((List<String>) null), "layers", "got null");
        rejects(() -> InvarianceListener.builder().layers("dense", null), "layers", "null as layer 2 of 2");
        rejects(() -> InvarianceListener.builder().layers(new ArrayList<>()), "layers", "at least one layer");
    }

    @Test
    void metricsRejectsANullArrayOnTheListener() {
        rejects(() -> InvarianceListener.builder().metrics((OrbitMetric[]) null), "metrics", "null array");
        rejects(() -> InvarianceListener.builder().metrics((OrbitMetric) null), "metrics", "non-null metric");
    }

    @Test
    void scoreCalculatorBuilderRejectsNullsNamingTheParameter() {
        rejects(() -> InvarianceScoreCalculator.builder().evaluator(null), "evaluator", "InvarianceEvaluator",
                "got null");
        rejects(() -> InvarianceScoreCalculator.builder().metric((MetricKey) null), "metric", "got null");
        rejects(() -> InvarianceScoreCalculator.builder().metric((String) null), "metric", "got 'null'");
        rejects(() -> InvarianceScoreCalculator.builder().data(null), "data", "got null");
        rejects(() -> InvarianceScoreCalculator.builder().layer(null), "layer", "got 'null'");
        rejects(() -> InvarianceScoreCalculator.builder().layers((String[]) null), "layers", "null array");
        rejects(() -> InvarianceScoreCalculator.builder().layers((List<String>) null), "layers", "got null");
        rejects(() -> InvarianceScoreCalculator.builder().layers("dense", null), "null as layer 2 of 2");
        rejects(() -> InvarianceScoreCalculator.builder().metrics((OrbitMetric[]) null), "metrics", "null array");
    }

    /**
     * A score calculator reads its data after every epoch, and twice per call with a loss term:
     * without reset() the loss over the used-up iterator is NaN, so such data is refused.
     */
    @Test
    void scoreCalculatorRejectsDataThatCannotBeReset() {
        DataSetIterator once = new Delegating(TestData.mnistHeldOut(), false);
        rejects(() -> InvarianceScoreCalculator.builder().data(once), "data", "supports reset()",
                once.getClass().getName());
    }

    @Test
    void reporterFactoriesRejectNullArgumentsNamingThem() {
        rejects(() -> Reporters.csv((Path) null), "csv(dir)", "directory", "got null");
        rejects(() -> Reporters.csv((File) null), "csv(dir)", "got null");
        rejects(() -> Reporters.jsonLines((Path) null), "jsonLines(dir)", "got null");
        rejects(() -> Reporters.jsonLines((File) null), "jsonLines(dir)", "got null");
        rejects(() -> Reporters.charts((Path) null), "charts(dir)", "got null");
        rejects(() -> Reporters.charts((File) null), "charts(dir)", "got null");
        rejects(() -> Reporters.html((Path) null), "html(dir)", "got null");
        rejects(() -> Reporters.html((File) null), "html(dir)", "got null");
        rejects(() -> Reporters.log(null), "log(sink)", "got null");
        rejects(() -> Reporters.statsStorage(null), "statsStorage(router)", "StatsStorageRouter", "got null");
        StatsStorageRouter router = new org.deeplearning4j.ui.model.storage.InMemoryStatsStorage();
        rejects(() -> Reporters.statsStorage(router, " "), "sessionId", "non-blank", "got ' '");
    }

    @Test
    void reporterFactoriesRejectAFileWhereADirectoryIsExpected() throws Exception {
        Path file = Files.writeString(dir.resolve("results.txt"), "not a directory\n");
        for (Executable make : List.<Executable>of(() -> Reporters.csv(file), () -> Reporters.jsonLines(file),
                () -> Reporters.charts(file), () -> Reporters.html(file))) {
            rejects(make, "needs a directory", file.toString(), "which is a file");
        }
    }

    // ---------------------------------------------------------------- 3. foreign files

    @Test
    void csvReporterRefusesAnotherProgramsCsvNamingTheFileAndTheHeader() throws Exception {
        Path foreign = dir.resolve(CsvReporter.FILE_NAME);
        Files.writeString(foreign, "step,loss,accuracy\n1,2.30,0.11\n2,1.90,0.35\n");
        byte[] before = Files.readAllBytes(foreign);
        rejects(() -> Reporters.csv(dir), foreign.toAbsolutePath().toString(), "'step,loss,accuracy'",
                "expected the header '" + CsvReporter.HEADER + "'", "move it away");
        assertArrayEquals(before, Files.readAllBytes(foreign), "the file is left as it was");
    }

    /** Our own CSV from a version with other columns is foreign too: rows would not line up. */
    @Test
    void csvReporterRefusesOurCsvWithOtherColumns() throws Exception {
        String older = "run,epoch,dataSet,layer,metric,mean,ciLow,ciHigh,n";
        Files.writeString(dir.resolve(CsvReporter.FILE_NAME), older + "\nr,1,heldOut,conv,invariance,0.5,0.4,0.6,24\n");
        rejects(() -> Reporters.csv(dir), "'" + older + "'", CsvReporter.HEADER);
        // Edited and saved with Windows line ends: refused as well, and the message shows why.
        Files.writeString(dir.resolve(CsvReporter.FILE_NAME), CsvReporter.HEADER + "\r\n");
        rejects(() -> Reporters.csv(dir), CsvReporter.HEADER + "\\r'");
    }

    /**
     * A foreign CSV that appears after the reporter was made (another job writing the same
     * directory) is refused at the first write: a failure record names the file, training goes
     * on, and the file keeps every byte, its unterminated last line included (the repair of a
     * torn last line must never cut a file that is not ours).
     */
    @Test
    void aForeignCsvAppearingDuringTrainingIsRecordedAndLeftByteForByte() throws Exception {
        Reporter csv = Reporters.csv(dir);
        Path foreign = dir.resolve(CsvReporter.FILE_NAME);
        Files.writeString(foreign, "id,name\n1,unterminated last line");
        byte[] before = Files.readAllBytes(foreign);
        InvarianceListener listener = fitTwoEpochs(listener().reportTo(csv).build());
        List<EpochReport> failures = reporterFailures(listener, csv.name());
        assertEquals(3, failures.size(), "start and both epoch ends: " + listener.history());
        assertTrue(failures.get(0).failure().contains(foreign.toAbsolutePath().toString())
                && failures.get(0).failure().contains(CsvReporter.HEADER), failures.get(0).failure());
        assertArrayEquals(before, Files.readAllBytes(foreign));
        assertEquals(2, listener.history("heldOut").size());
    }

    @Test
    void jsonLinesReporterRefusesAnotherProgramsJsonLines() throws Exception {
        Path foreign = dir.resolve(JsonLinesReporter.FILE_NAME);
        Files.writeString(foreign, "{\"step\":1,\"loss\":2.3}\n");
        byte[] before = Files.readAllBytes(foreign);
        rejects(() -> Reporters.jsonLines(dir), foreign.toAbsolutePath().toString(), "'{\"step\":1,\"loss\":2.3}'",
                "{\"type\":\"settings\",\"run\":");
        assertArrayEquals(before, Files.readAllBytes(foreign));
    }

    /** Appending a second run to our own CSV and JSON lines stays supported: one header, both runs. */
    @Test
    void ourOwnFilesAreStillAppendedToRunAfterRun() throws Exception {
        MultiLayerNetwork net = TestNetworks.tinyCnn(13, 1e-3, false);
        for (String run : List.of("first", "second")) {
            listener().runId(run).reportTo(Reporters.csv(dir), Reporters.jsonLines(dir)).build().evaluateNow(net);
        }
        List<String> csv = Files.readAllLines(dir.resolve(CsvReporter.FILE_NAME));
        assertEquals(1, csv.stream().filter(CsvReporter.HEADER::equals).count());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("first,")) && csv.stream().anyMatch(l -> l.startsWith("second,")));
        List<String> jsonl = Files.readAllLines(dir.resolve(JsonLinesReporter.FILE_NAME));
        assertEquals(2, jsonl.stream().filter(l -> l.startsWith("{\"type\":\"settings\"")).count());
    }

    /** A failure message with line breaks stays on its row's line: line-based readers see whole rows. */
    @Test
    void aCsvRowStaysOneLineWhenAMessageHasLineBreaks() throws Exception {
        InvarianceListener listener = listener().runId("r")
                .evaluate("broken", new Delegating(TestData.mnistHeldOut(), true) {
                    @Override
                    public DataSet next() {
                        throw new IllegalStateException("shape [24, 784]\nexpected [24, 1, 28, 28]\r\nat batch 1");
                    }
                })
                .reportTo(Reporters.csv(dir)).build();
        listener.evaluateNow(TestNetworks.tinyCnn(13, 1e-3, false));
        List<String> lines = Files.readAllLines(dir.resolve(CsvReporter.FILE_NAME), StandardCharsets.UTF_8);
        String failure = lines.stream().filter(l -> l.contains(",broken,")).findFirst().orElseThrow();
        assertTrue(failure.endsWith("java.lang.IllegalStateException: shape [24, 784]\\nexpected [24, 1, 28, 28]\\r\\nat "
                + "batch 1\",IN_DISTRIBUTION"), failure);
        // Header, the measured data set's rows, one failure row: no row was split over lines.
        int rows = MetricRow.of(listener.history().get(0)).size();
        assertEquals(1 + rows + 1, lines.size(), String.join("\n", lines));
    }

    // ---------------------------------------------------------------- 4. iterators without reset

    /**
     * An iterator without reset() is measured once; the next evaluation is a failure record
     * that names the data set (not the iterator's blank anonymous class name) and says the
     * iterator does not support reset(), and the iterator is not read again.
     */
    @Test
    void anIteratorWithoutResetFailsItsSecondEpochNamingTheDataSet() {
        int[] batchesRead = {0};
        DataSetIterator once = new Delegating(TestData.mnistHeldOut(), false) {
            @Override
            public DataSet next() {
                batchesRead[0]++;
                return super.next();
            }
        };
        assertEquals("", once.getClass().getSimpleName(), "the evaluator's own message would name ''");
        InvarianceListener listener = fitTwoEpochs(listener().evaluate("stream", once).reportTo().build());
        assertTrue(listener.history("stream").containsKey(1), "the first epoch is measured");
        int afterFirst = batchesRead[0];
        EpochReport second = listener.history().stream().filter(r -> r.failed() && r.epoch() == 2).findFirst()
                .orElseThrow(() -> new AssertionError(listener.history().toString()));
        assertEquals("stream", second.dataSet());
        assertTrue(second.failure().contains("Data set 'stream'") && second.failure().contains("does not support reset()")
                && second.failure().contains("after epoch 1") && second.failure().contains("resettable iterator"),
                second.failure());
        assertEquals(afterFirst, batchesRead[0], "the used-up iterator is not read again");
        assertEquals(2, listener.history("heldOut").size());
    }

    // ---------------------------------------------------------------- 5. other settings

    @Test
    void dataSetNamesMustBeNonBlankTrimmedAndWithoutControlCharacters() {
        DataSetIterator data = TestData.mnistHeldOut();
        rejects(() -> InvarianceListener.builder().evaluate(null, data), "data set name", "got null");
        rejects(() -> InvarianceListener.builder().evaluate("", data), "non-blank", "got ''");
        rejects(() -> InvarianceListener.builder().evaluate("  ", data), "non-blank", "got '  '");
        // Would print exactly like "heldOut" in every table and chart legend.
        rejects(() -> InvarianceListener.builder().evaluate("heldOut", data).evaluate("heldOut ", data),
                "leading or trailing blanks", "got 'heldOut '");
        // Would split the data set's CSV rows and log-table lines.
        rejects(() -> InvarianceListener.builder().evaluate("held\nout", data), "control characters",
                "got 'held\\nout'");
        rejects(() -> InvarianceListener.builder().evaluate("heldOut", null), "'heldOut'", "DataSetIterator",
                "got null");
    }

    @Test
    void dataSetNamesMustBeUnique() {
        rejects(() -> InvarianceListener.builder().evaluate("a", TestData.mnistHeldOut())
                .evaluate("a", TestData.fashionMnistOod()), "'a'", "used twice", "unique");
    }

    @Test
    void runIdMustBeNonBlankTextWithoutLineBreaks() {
        rejects(() -> InvarianceListener.builder().runId(null), "runId", "got null");
        rejects(() -> InvarianceListener.builder().runId(" "), "runId", "non-blank", "got ' '");
        rejects(() -> InvarianceListener.builder().runId("run\r\n2"), "runId", "control characters", "'run\\r\\n2'");
    }

    @Test
    void everyEpochsMustBeAtLeastOne() {
        rejects(() -> InvarianceListener.builder().everyEpochs(0), "everyEpochs", ">= 1", "got 0");
        rejects(() -> InvarianceListener.builder().everyEpochs(-3), "everyEpochs", ">= 1", "got -3");
    }

    @Test
    void exampleAndBatchCountsMustBePositive() {
        rejects(() -> InvarianceListener.builder().maxExamples(0), "maxExamples", ">= 1", "got 0");
        rejects(() -> InvarianceListener.builder().maxExamples(-1), "maxExamples", "got -1");
        rejects(() -> InvarianceListener.builder().maxBatch(0), "maxBatch", ">= 1", "got 0");
    }

    /** build() used to add the default log reporter to the builder, so a second build had two. */
    @Test
    void buildingTwiceGivesEachListenerOneDefaultLogReporter() {
        InvarianceListener.Builder builder = InvarianceListener.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).evaluate("heldOut", TestData.mnistHeldOut());
        builder.build();
        InvarianceListener second = builder.build();
        assertEquals("log", second.settings(null).values().get("reporters"));
    }

    @Test
    void evaluateNowAndHistoryNameWhatTheyGot() {
        InvarianceListener listener = listener().reportTo().build();
        rejects(() -> listener.evaluateNow(null), "MultiLayerNetwork or a ComputationGraph", "got null");
        rejects(() -> listener.history("ood"), "'ood'", "[heldOut]");
        assertNull(InvarianceListener.epochCount(null));
        assertSame(listener.evaluator(), listener.evaluator());
    }

    // ---------------------------------------------------------------- helpers

    /** Delegates to another iterator; {@code resettable} false hides its reset(). */
    private static class Delegating implements DataSetIterator {
        private static final long serialVersionUID = 1L;
        private final DataSetIterator inner;
        private final boolean resettable;

        Delegating(DataSetIterator inner, boolean resettable) {
            this.inner = inner;
            this.resettable = resettable;
        }

        @Override
        public DataSet next(int num) {
            return next();
        }

        @Override
        public DataSet next() {
            return inner.next();
        }

        @Override
        public boolean hasNext() {
            return inner.hasNext();
        }

        @Override
        public int inputColumns() {
            return inner.inputColumns();
        }

        @Override
        public int totalOutcomes() {
            return inner.totalOutcomes();
        }

        @Override
        public boolean resetSupported() {
            return resettable;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            if (!resettable) {
                throw new UnsupportedOperationException("reset");
            }
            inner.reset();
        }

        @Override
        public int batch() {
            return inner.batch();
        }

        @Override
        public void setPreProcessor(DataSetPreProcessor preProcessor) {
            inner.setPreProcessor(preProcessor);
        }

        @Override
        public DataSetPreProcessor getPreProcessor() {
            return inner.getPreProcessor();
        }

        @Override
        public List<String> getLabels() {
            return inner.getLabels();
        }
    }
}
