package org.dl4jinvariance.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.MetricValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.shade.jackson.databind.JsonNode;

class SequencesTest {

    @Test
    void tinyRunTrainsBothModelsMeasuresBothActionsAndWritesTheFiles(@TempDir Path dir) throws IOException {
        Sequences experiment = new Sequences();
        assertEquals(2, experiment.options.epochs);
        experiment.options.epochs = 1;
        experiment.options.trainSize = 128;
        experiment.options.evalSize = 64;
        experiment.options.out = dir;
        experiment.options.overwrite = true; // write in dir itself, not a dated sub-folder
        experiment.hidden = 8;
        experiment.channels = 6;
        Summary summary = experiment.run();

        ExperimentFiles.assertWritten(dir, List.of("summary.json", "index.html", "invariance-profile.png",
                "sequences.csv"), List.of());
        ExperimentFiles.assertLinksResolve(dir);
        JsonNode json = ExperimentFiles.summary(dir, "sequences", List.of(Sequences.CONV, Sequences.LSTM_ID));
        assertTrue(json.get("rows").size() > 20, "long-format rows in summary.json");
        List<String> csv = Files.readAllLines(dir.resolve("sequences.csv"));
        assertEquals("model,action,layer,metric,mean,ciLow,ciHigh,n", csv.get(0));
        assertTrue(csv.stream().anyMatch(l -> l.contains(",time-reversal,conv1,equivariance.normalized,")), csv.toString());

        Summary.Entry conv = summary.entries().get(0);
        Summary.Entry lstm = summary.entries().get(1);
        assertEquals(List.of(Sequences.SHIFT, Sequences.REVERSAL), List.copyOf(conv.reports().keySet()));
        assertEquals(List.of(Sequences.CONV_LAYERS), conv.reports().get(Sequences.SHIFT).layers());
        // circular padding + time pooling: invariant to the shifts by construction, trained or not
        for (String layer : List.of("gap", "dense", "output")) {
            MetricValue v = Summary.value(conv, Sequences.SHIFT, layer, MetricKeys.INVARIANCE);
            assertTrue(v.mean() <= 1e-5 && v.n() == 64, layer + ": " + v);
        }
        for (String layer : List.of("conv1", "conv2", "conv3")) {
            assertTrue(Summary.value(conv, Sequences.SHIFT, layer, MetricKeys.EQUIVARIANCE).mean() <= 1e-5, layer);
            assertTrue(Summary.value(conv, Sequences.SHIFT, layer, MetricKeys.INVARIANCE_NORMALIZED).mean() > 0.1, layer);
        }
        assertTrue(Summary.output(conv, Sequences.SHIFT, MetricKeys.PREDICTION_KL).mean() <= 1e-5);
        // but not to reversal (the kernels are not symmetric in time), and the LSTM to neither
        assertTrue(Summary.value(conv, Sequences.REVERSAL, "gap", MetricKeys.INVARIANCE).mean() > 1e-5);
        for (String action : List.of(Sequences.SHIFT, Sequences.REVERSAL)) {
            MetricValue v = Summary.value(lstm, action, "lstm", MetricKeys.INVARIANCE_NORMALIZED);
            assertTrue(v.isApplicable() && Double.isFinite(v.mean()) && v.mean() > 1e-3, action + ": " + v);
            assertFalse(Summary.value(lstm, action, "lstm", MetricKeys.EQUIVARIANCE).isApplicable(), action);
        }
        MetricValue accuracy = Summary.accuracyAsGiven(conv, Sequences.SHIFT);
        assertTrue(accuracy.mean() >= 0 && accuracy.mean() <= 1, accuracy.toString());

        String table = summary.table();
        for (String expected : List.of("Conv1D, circular pad + time pool", "LSTM 8, last time step", "invariance (reversal)",
                "equivariance (shift)", "prediction KL (shift)", "cyclicTimeShift(7;4)", "conv2", "gap")) {
            assertTrue(table.contains(expected), expected + " in\n" + table);
        }
    }

    @Test
    void digitsAreReadRowByRow() {
        DataSet images = Datasets.mnist().slice(0, 3);
        INDArray seq = Sequences.asSequences(images).getFeatures();
        assertEquals(List.of(3L, 28L, 28L), List.of(seq.size(0), seq.size(1), seq.size(2)));
        INDArray image = images.getFeatures();
        for (int[] at : new int[][] {{0, 5, 14}, {1, 20, 9}, {2, 13, 13}, {2, 27, 0}}) {
            // channel = column, time step = row
            assertEquals(image.getFloat(at[0], 0, at[1], at[2]), seq.getFloat(at[0], at[2], at[1]));
        }
    }

    @Test
    void aShiftStepThatDoesNotDivideTheRowsIsRefused() {
        Sequences experiment = new Sequences();
        experiment.shiftStep = 5;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, experiment::run);
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("28"), e.getMessage());
        assertEquals(2, Main.run("sequences", "--shift-step", "x"), "a usage error exits with picocli's code");
    }
}
