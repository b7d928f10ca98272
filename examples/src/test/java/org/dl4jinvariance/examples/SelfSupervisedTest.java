package org.dl4jinvariance.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.MetricValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;

class SelfSupervisedTest {

    private static final List<String> MODELS = List.of("untrained", "contrastive-c4", "contrastive-shift-noise",
            "rotation-prediction");

    @Test
    void tinyRunWritesEveryFileAndMeasuresOnlyTheEncodersLatentMetrics(@TempDir Path dir) throws IOException {
        SelfSupervised experiment = new SelfSupervised();
        experiment.options.epochs = 1;
        experiment.options.trainSize = 300;
        experiment.options.evalSize = 100;
        experiment.options.out = dir;
        experiment.options.overwrite = true; // write in dir itself, not a dated sub-folder
        experiment.probeEpochs = 2;
        Summary summary = experiment.run();

        ExperimentFiles.assertWritten(dir, List.of("summary.json", "index.html", "invariance-profile.png",
                "equivariance-profile.png"), MODELS.subList(1, MODELS.size()));
        JsonNode json = ExperimentFiles.summary(dir, "self-supervised", MODELS);
        for (JsonNode model : json.get("models")) {
            double probe = model.get("extra").get(SelfSupervised.PROBE).get("mean").asDouble();
            assertTrue(probe >= 0 && probe <= 1, model.get("id") + ": " + probe);
            assertEquals(100, model.get("extra").get(SelfSupervised.PROBE_ROTATED).get("n").asInt());
        }
        for (Summary.Entry e : summary.entries()) {
            InvarianceReport r = e.reports().get(Summary.MNIST);
            assertEquals(List.of(SelfSupervised.ENCODER_LAYERS), r.layers(), e.id() + ": the encoder's layers only");
            for (String metric : r.metrics()) {
                assertTrue(metric.startsWith(MetricKeys.INVARIANCE) || metric.startsWith(MetricKeys.EQUIVARIANCE),
                        e.id() + ": latent metrics only, got " + metric);
            }
            MetricValue conv = r.get("conv2", MetricKeys.EQUIVARIANCE_NORMALIZED);
            assertTrue(conv.isApplicable() && conv.mean() >= 0, e.id() + " conv2 equivariance: " + conv);
            // dense after global pooling carries the trivial field (FieldInference): equivariance
            // there is the distance of f(g·x) to f(x), measured like every known field.
            assertTrue(r.get("dense", MetricKeys.EQUIVARIANCE_NORMALIZED).isApplicable(),
                    "dense after a trivial field is trivial");
            assertTrue(r.get("dense", MetricKeys.INVARIANCE_NORMALIZED).isApplicable());
        }
        // The last epoch's curve point (listener, invariance only) and the final evaluation agree.
        JsonNode curve = json.get("curves").get(0).get("values").get("contrastive, views with C4 rotations")
                .get(Summary.MNIST).get("1");
        MetricValue last = summary.entries().get(1).reports().get(Summary.MNIST)
                .get(SelfSupervised.REPRESENTATION, MetricKeys.INVARIANCE_NORMALIZED);
        assertEquals(last.mean(), curve.get("mean").asDouble(), 1e-9);
        String table = summary.table();
        for (String expected : List.of("linear probe (rotated)", "rotation prediction (pretext)",
                "contrastive, views with C4 rotations", "equivariance")) {
            assertTrue(table.contains(expected), expected + " in\n" + table);
        }
    }
}
