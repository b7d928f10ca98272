package org.dl4jinvariance.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.MetricValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

class AugmentationVsEquivarianceTest {

    @Test
    void tinyRunWritesEveryFileAndTheEquivariantModelIsInvariantAfterPooling(@TempDir Path dir) throws IOException {
        AugmentationVsEquivariance experiment = new AugmentationVsEquivariance();
        experiment.options.epochs = 1;
        experiment.options.trainSize = 500;
        experiment.options.evalSize = 100;
        experiment.options.out = dir;
        experiment.options.overwrite = true; // write in dir itself, not a dated sub-folder
        Summary summary = experiment.run();

        for (String file : List.of("summary.json", "index.html", "invariance-profile.png")) {
            assertTrue(Files.size(dir.resolve(file)) > 100, file);
        }
        for (String model : List.of("plain", "plain-augmented", "c4-equivariant")) {
            Path modelDir = dir.resolve(model);
            try (var files = Files.list(modelDir)) {
                List<String> names = files.map(p -> p.getFileName().toString()).toList();
                assertTrue(names.stream().anyMatch(n -> n.endsWith(".csv")), model + " CSV: " + names);
                assertTrue(names.stream().anyMatch(n -> n.endsWith(".jsonl")), model + " JSONL: " + names);
                assertTrue(names.stream().anyMatch(n -> n.endsWith(".png")), model + " PNG: " + names);
                assertTrue(names.stream().anyMatch(n -> n.endsWith(".html")), model + " HTML: " + names);
            }
        }
        byte[] png = Files.readAllBytes(dir.resolve("invariance-profile.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);

        JsonNode json = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals("augmentation-vs-equivariance", json.get("experiment").asText());
        assertEquals(3, json.get("models").size());

        Summary.Entry equivariant = summary.entries().get(2);
        assertEquals("c4-equivariant", equivariant.id());
        for (String dataSet : List.of(Summary.MNIST, Summary.FASHION)) {
            MetricValue v = Summary.value(equivariant, dataSet, "gap", MetricKeys.INVARIANCE_NORMALIZED);
            assertTrue(v != null && v.mean() <= 1e-5, dataSet + ": normalized invariance after group pooling " + v);
            assertEquals(100, v.n());
        }
        MetricValue plainConv = Summary.value(summary.entries().get(0), Summary.MNIST, "conv1", MetricKeys.INVARIANCE_NORMALIZED);
        assertTrue(plainConv.mean() > 0.05, "a plain CNN's first conv layer is far from invariant: " + plainConv);
        String table = summary.table();
        assertTrue(table.contains("C4-equivariant CNN") && table.contains("accuracy (rotated)"), table);
        Map<String, ?> reports = equivariant.reports();
        assertEquals(3, reports.size(), "upright, rotated and OOD reports");
    }
}
