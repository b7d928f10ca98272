package org.dl4jinvariance.listeners.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Kills (SIGKILL) a child JVM that appends CSV and JSON lines as fast as it can, and checks that
 * every line left behind is whole and that the files hold whole epochs only.
 */
class KillMidRunTest {

    @TempDir
    Path dir;

    /**
     * The kill lands a fixed delay after the child reported epoch 5, so that across the delays it
     * falls into different phases of the epochs that follow (computing, appending, forcing).
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 9, 23, 41})
    void aKilledRunLeavesOnlyWholeLinesAndWholeEpochs(int killDelayMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AppendingChild.class.getName(), dir.toString()).redirectErrorStream(true).start();
        int reported = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("epoch ")) {
                    reported = Integer.parseInt(line.substring(6).trim());
                    if (reported >= 5) {
                        break;
                    }
                }
            }
            Thread.sleep(killDelayMillis);
            child.destroyForcibly(); // SIGKILL, while the child is in the middle of later epochs
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
        } finally {
            child.destroyForcibly();
        }
        assertTrue(reported >= 5, "child stopped early after epoch " + reported);
        RunSettings settings = Fixtures.settings("child");
        int perEpoch = Fixtures.rowsPerEpoch(settings);

        byte[] csvBytes = Files.readAllBytes(dir.resolve(CsvReporter.FILE_NAME));
        assertEquals('\n', csvBytes[csvBytes.length - 1], "CSV must end with a whole line");
        List<String> csv = Files.readAllLines(dir.resolve(CsvReporter.FILE_NAME));
        assertEquals(CsvReporter.HEADER, csv.get(0));
        for (String line : csv) {
            assertEquals(CsvReporterTest.parse(CsvReporter.HEADER).size(), CsvReporterTest.parse(line).size(),
                    "torn CSV line: " + line);
        }
        int csvRows = csv.size() - 1;
        assertEquals(0, csvRows % perEpoch, "CSV holds a partial epoch: " + csvRows + " rows");
        assertTrue(csvRows / perEpoch >= reported, csvRows / perEpoch + " epochs in CSV, child reported " + reported);

        byte[] jsonBytes = Files.readAllBytes(dir.resolve(JsonLinesReporter.FILE_NAME));
        assertEquals('\n', jsonBytes[jsonBytes.length - 1], "JSON lines must end with a whole line");
        List<String> jsonl = Files.readAllLines(dir.resolve(JsonLinesReporter.FILE_NAME));
        ObjectMapper json = new ObjectMapper();
        for (String line : jsonl) {
            JsonNode node = json.readTree(line); // throws on a torn line
            assertTrue(node.has("type"), line);
        }
        int jsonRows = jsonl.size() - 1;
        assertEquals(0, jsonRows % perEpoch, "JSON lines hold a partial epoch: " + jsonRows + " rows");
        assertTrue(jsonRows / perEpoch >= reported);
    }
}
