package org.dl4jinvariance.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.MetricValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;

class OodTransferTest {

    static final List<String> SETS = List.of(Summary.MNIST, Summary.FASHION, OodTransfer.INVERTED,
            OodTransfer.STROKES, OodTransfer.NOISE);

    @Test
    void tinyRunWritesEveryFileAndMeasuresEverySetForEveryProbability(@TempDir Path dir) throws IOException {
        OodTransfer experiment = new OodTransfer();
        assertArrayEquals(new double[] {0, 0.25, 0.5, 1}, experiment.probabilities);
        experiment.options.epochs = 1;
        experiment.options.trainSize = 300;
        experiment.options.evalSize = 100;
        experiment.options.out = dir;
        experiment.options.overwrite = true; // write in dir itself, not a dated sub-folder
        experiment.probabilities = new double[] {0, 1};
        Summary summary = experiment.run();

        ExperimentFiles.assertWritten(dir, List.of("summary.json", "index.html", "invariance-profile.png",
                "invariance-vs-p.png"), List.of("p0", "p1"));
        ExperimentFiles.assertLinksResolve(dir);
        JsonNode json = ExperimentFiles.summary(dir, "ood-transfer", List.of("p0", "p1"));
        assertEquals(1.0, json.get("models").get(1).get("extra").get("augmentationProbability").asDouble());
        assertEquals(2, json.get("probabilities").size());
        for (Summary.Entry e : summary.entries()) {
            assertEquals(SETS, List.copyOf(e.reports().keySet()), e.title());
            assertEquals(List.of("conv1", "conv2", "conv3", "gap", "dense", "output"),
                    e.reports().get(Summary.MNIST).layers(), "the full depth profile");
            for (String set : SETS) {
                MetricValue v = Summary.value(e, set, OodTransfer.LATENT_LAYER, MetricKeys.INVARIANCE_NORMALIZED);
                assertTrue(v != null && v.isApplicable() && v.n() == 100, set + ": " + v);
                MetricValue kl = Summary.output(e, set, MetricKeys.PREDICTION_KL);
                assertTrue(kl != null && kl.mean() >= 0, set + ": " + kl);
            }
        }
        String table = summary.table();
        for (String expected : List.of("C4 augmentation p = 1", "Share of the MNIST gain", "smooth-noise",
                "mnist-inverted", "Prediction KL by data set")) {
            assertTrue(table.contains(expected), expected + " in\n" + table);
        }
    }

    @Test
    void inputsAreDifferentImagesOfTheSameSize() {
        OodTransfer experiment = new OodTransfer();
        experiment.options.evalSize = 50;
        List<EvalSet> sets = experiment.evaluationSets(org.dl4jinvariance.data.Datasets.mnist());
        assertEquals(SETS, sets.stream().map(EvalSet::name).toList());
        for (EvalSet s : sets) {
            assertEquals(50, s.size(), s.name());
        }
        // Inverted MNIST is 1 − x of the held-out digits.
        assertEquals(sets.get(0).data().getFeatures().rsub(1.0), sets.get(2).data().getFeatures());
    }

    @Test
    void aProbabilityOutsideTheUnitIntervalIsNamed() {
        OodTransfer experiment = new OodTransfer();
        experiment.options.trainSize = 300;
        experiment.options.evalSize = 100;
        experiment.probabilities = new double[] {0, 1.5};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, experiment::run);
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    }
}
