package org.dl4jinvariance.listeners.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

class JsonLinesReporterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyLineIsOneJsonObjectWithTheReportedNumbers() throws Exception {
        JsonLinesReporter jsonl = new JsonLinesReporter(dir);
        RunSettings settings = Fixtures.settings("run-j");
        Fixtures.drive(jsonl, settings, 1, 2);

        List<String> lines = Files.readAllLines(jsonl.file());
        assertEquals(1 + 2 * Fixtures.rowsPerEpoch(settings), lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals("settings", first.get("type").asText());
        assertEquals("heldOut", first.get("dataSets").get(0).asText());
        assertEquals("a, \"quoted\" <value>", first.get("settings").get("note").asText());

        MetricValue expected = Fixtures.report(2, "heldOut", 1).get("pool1", "invariance.normalized");
        int matches = 0;
        for (String line : lines.subList(1, lines.size())) {
            JsonNode n = JSON.readTree(line);
            assertEquals("metric", n.get("type").asText());
            assertEquals("run-j", n.get("run").asText());
            if (n.get("epoch").asInt() == 2 && n.get("dataSet").asText().equals("heldOut")
                    && n.get("layer").asText().equals("pool1") && n.get("metric").asText().equals("invariance.normalized")) {
                matches++;
                assertEquals(1, n.get("depth").asInt());
                assertEquals(expected.mean(), n.get("mean").asDouble());
                assertEquals(expected.ciLow(), n.get("ciLow").asDouble());
                assertEquals(expected.ciHigh(), n.get("ciHigh").asDouble());
                assertEquals(expected.perClass().get(3), n.get("perClass").get("3").asDouble());
            }
            if (n.get("layer").asText().equals("output") && n.get("metric").asText().equals("equivariance")) {
                assertTrue(n.get("notApplicable").asText().contains("no field type"));
                assertFalse(n.has("mean"));
            }
        }
        assertEquals(1, matches);
    }

    @Test
    void nonFiniteValuesAndFailuresStayValidJson() throws Exception {
        Map<String, Map<String, MetricValue>> values = new LinkedHashMap<>();
        values.put("out", Map.of("invariance", MetricValue.of(new double[] {Double.NaN, 1}, null, 1)));
        JsonLinesReporter jsonl = new JsonLinesReporter(dir);
        jsonl.start(Fixtures.settings("nan"));
        jsonl.record(EpochReport.of(1, "heldOut", new InvarianceReport(values, Map.of()), 1));
        jsonl.record(EpochReport.evaluationFailed(1, "oodFashion", new RuntimeException("line1\nline2"), 1));
        jsonl.epochEnd(1);

        List<String> lines = Files.readAllLines(jsonl.file());
        assertEquals(3, lines.size(), "a message with a line break must not split its record");
        JsonNode metric = JSON.readTree(lines.get(1));
        assertEquals("NaN", metric.get("mean").asText());
        JsonNode failure = JSON.readTree(lines.get(2));
        assertEquals("failure", failure.get("type").asText());
        assertEquals("java.lang.RuntimeException: line1\nline2", failure.get("failure").asText());
    }
}
