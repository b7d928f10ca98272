package org.dl4jinvariance.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.arbiter.MultiLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.serde.jackson.JsonMapper;
import org.dl4jinvariance.arbiter.CandidateResult;
import org.dl4jinvariance.arbiter.SearchResult;
import org.dl4jinvariance.listeners.report.CsvReporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SearchTest {

    @Test
    void tinySearchRanksPlainAndC4CandidatesAndWritesEveryFile(@TempDir Path dir) throws Exception {
        Search search = new Search();
        search.options.epochs = 1;
        search.options.trainSize = 300;
        search.options.evalSize = 100;
        search.options.out = dir;
        search.options.overwrite = true; // write in dir itself, not a dated sub-folder
        search.candidates = 3;
        search.groups = List.of("plain", "C4");
        search.widths = List.of(4);
        PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SearchResult result;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            result = search.run();
        } finally {
            System.setErr(stderr);
        }
        // Progress on standard error: each candidate announced, its training epochs, per-epoch invariance and scoring.
        String progress = err.toString(StandardCharsets.UTF_8);
        for (int i = 1; i <= 3; i++) {
            assertTrue(progress.contains("search: candidate " + i + " of 3 ("), progress);
        }
        assertTrue(progress.contains("train candidate-0 1/1"), progress);
        assertTrue(ProgressOutputTest.barLine(progress, "measure candidate-0 · mnist · epoch 1").contains("100/100"), progress);
        assertTrue(ProgressOutputTest.barLine(progress, "measure score candidate-0 · fashion-mnist").contains("100/100"),
                progress);

        assertEquals(3, result.completed());
        assertEquals(0, result.failed());
        for (CandidateResult c : result.ranked()) {
            double kl = c.breakdown().metricValue();
            if (c.group().equals("C4")) {
                assertTrue(kl < 1e-6, "C4 group pooling + global pooling: invariant predictions, KL " + kl);
            } else {
                assertTrue(kl > 1e-4, "a plain CNN is not rotation invariant on Fashion-MNIST, KL " + kl);
            }
            assertTrue(Files.size(dir.resolve(c.id()).resolve(CsvReporter.FILE_NAME)) > 100, c.id());
        }
        List<String> csv = Files.readAllLines(dir.resolve("ranking.csv"));
        assertEquals(4, csv.size());
        byte[] png = Files.readAllBytes(dir.resolve("accuracy-vs-invariance.png"));
        assertEquals('P', png[1]);
        String space = Files.readString(dir.resolve("search-space.json"));
        assertEquals(space, MultiLayerSpace.fromJson(space).toJson());
        ScoreFunction score = JsonMapper.getMapper().readValue(dir.resolve("score-function.json").toFile(), ScoreFunction.class);
        assertEquals(search.scoreFunction(), score);

        String table = search.table(result);
        assertTrue(table.contains("prediction KL (Fashion)") && table.contains("3 completed, 0 failed"), table);
        for (CandidateResult c : result.ranked()) {
            assertTrue(table.contains(c.id()), table);
        }
    }

    @Test
    void isASubcommandOfTheExamplesJar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new java.io.PrintWriter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true));
        assertEquals(0, cli.execute("search", "--help"));
        String help = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--candidates") && help.contains("default: 6") && help.contains("default: 3000"), help);
    }
}
