package org.dl4jinvariance.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.dl4jinvariance.listeners.report.CsvReporter;
import org.dl4jinvariance.listeners.report.HtmlReporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Existing results in --out: a run never appends to another; --overwrite replaces; a page compares the runs. */
class RunFoldersTest {

    @TempDir
    Path out;

    private static OodTransfer tiny(Path out, long seed, boolean overwrite) {
        OodTransfer experiment = new OodTransfer();
        experiment.options.epochs = 1;
        experiment.options.trainSize = 64;
        experiment.options.evalSize = 8;
        experiment.options.seed = seed;
        experiment.options.out = out;
        experiment.options.overwrite = overwrite;
        experiment.probabilities = new double[] {0};
        return experiment;
    }

    private static Set<String> runIds(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).collect(Collectors.toSet());
    }

    @Test
    void aSecondRunWritesItsOwnFolderAndThePageComparesBoth() throws IOException {
        OodTransfer first = tiny(out, 1, false);
        first.run();
        OodTransfer second = tiny(out, 2, false);
        second.run();

        Path a = first.options.resultsDir(OodTransfer.NAME);
        Path b = second.options.resultsDir(OodTransfer.NAME);
        assertNotEquals(a, b);
        assertEquals(out, a.getParent());
        assertEquals(List.of(a, b), RunFolders.runs(out));
        assertEquals(b.getFileName().toString(), Files.readString(out.resolve(RunFolders.LATEST)).strip());
        // Nothing was appended: each run's CSV holds the rows of one listener run only.
        assertEquals(1, runIds(a.resolve("p0").resolve(CsvReporter.FILE_NAME)).size());
        assertEquals(1, runIds(b.resolve("p0").resolve(CsvReporter.FILE_NAME)).size());
        assertNotEquals(runIds(a.resolve("p0").resolve(CsvReporter.FILE_NAME)),
                runIds(b.resolve("p0").resolve(CsvReporter.FILE_NAME)));

        String page = Files.readString(out.resolve("index.html"));
        assertTrue(page.contains("2 runs in"), "the comparison page lists both runs");
        for (Path run : List.of(a, b)) {
            assertTrue(page.contains("href=\"" + run.getFileName() + "/index.html\""), run.toString());
            assertTrue(page.contains("href=\"" + run.getFileName() + "/p0/" + HtmlReporter.FILE_NAME + "\""));
        }
        assertTrue(page.contains("seed 1") && page.contains("seed 2"), "each run's settings");
        assertTrue(page.contains("<img alt=\"runs compared\""), "the runs overlaid in charts");
        assertTrue(Files.readString(a.resolve("index.html")).contains("href=\"../index.html\""), "a run links up");
        // Every page of the folder (comparison, both summaries, both model pages): no dead link.
        assertEquals(5, ExperimentFiles.assertLinksResolve(out));
    }

    @Test
    void overwriteReplacesThePreviousResultsAndRefusesForeignFolders() throws IOException {
        // Earlier results as a run leaves them: a dated folder, latest.txt, the comparison page.
        Path earlier = out.resolve("2026-01-02T03-04-05");
        Files.createDirectories(earlier.resolve("p0"));
        Files.writeString(earlier.resolve("p0").resolve(CsvReporter.FILE_NAME), CsvReporter.HEADER + "\n");
        Files.writeString(earlier.resolve("summary.json"), "{}");
        Files.writeString(out.resolve(RunFolders.LATEST), earlier.getFileName() + "\n");
        RunComparison.write(out);
        OodTransfer replacing = tiny(out, 2, true);
        replacing.run();
        assertEquals(out, replacing.options.resultsDir(OodTransfer.NAME));
        assertTrue(RunFolders.runs(out).isEmpty(), "the earlier run folder is gone");
        assertFalse(Files.exists(out.resolve(RunFolders.LATEST)));
        assertEquals(1, runIds(out.resolve("p0").resolve(CsvReporter.FILE_NAME)).size());
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"seed\" : 2"));
        assertFalse(Files.readString(out.resolve("index.html")).contains("../index.html"), "no comparison page above");
        ExperimentFiles.assertLinksResolve(out);

        Path foreign = out.resolve("someone-else");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("thesis.tex"), "\\documentclass{article}");
        UsageException e = assertThrows(UsageException.class, () -> {
            ExperimentOptions o = new ExperimentOptions();
            o.out = foreign;
            o.overwrite = true;
            o.prepareRunDir("x");
        });
        assertTrue(e.getMessage().contains("holds files that are not results of this program"), e.getMessage());
        assertTrue(Files.exists(foreign.resolve("thesis.tex")), "nothing deleted");
    }

    @Test
    void comparisonLinesNameTheRunIdOnlyWhereOneCsvHoldsSeveralRuns() {
        RunComparison.Row a1 = new RunComparison.Row("run-a", 1, "mnist", "IN_DISTRIBUTION", "output", 5, "accuracy", 0.9, 0.8, 1);
        RunComparison.Row a2 = new RunComparison.Row("run-a", 2, "mnist", "IN_DISTRIBUTION", "output", 5, "accuracy", 0.9, 0.8, 1);
        RunComparison.Row b1 = new RunComparison.Row("run-b", 1, "mnist", "IN_DISTRIBUTION", "output", 5, "accuracy", 0.7, 0.6, 0.8);
        assertEquals(List.of("2026-11-29T15-45-35 · p0"),
                List.copyOf(RunComparison.lines("2026-11-29T15-45-35", "p0", List.of(a1, a2)).keySet()));
        assertEquals(List.of("f · p0 · run-a", "f · p0 · run-b"),
                List.copyOf(RunComparison.lines("f", "p0", List.of(a1, b1, a2)).keySet()));
        assertEquals(2, RunComparison.lines("f", "p0", List.of(a1, b1, a2)).get("f · p0 · run-a").size());
    }
}
