package org.dl4jinvariance.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every long step of a short CLI run shows progress on standard error: the listener's
 * evaluations after each epoch (per model, data set and epoch) and the evaluations after
 * training. Without a terminal each bar is drawn when it closes, so every bar leaves a line.
 */
class ProgressOutputTest {

    @Test
    void anExperimentShowsABarForEveryEvaluationOfEveryDataSetAfterEachEpoch(@TempDir Path dir) {
        CliRun run = CliRun.of("ood-transfer", "--epochs", "1", "--train-size", "64", "--eval-size", "16",
                "--probabilities", "0", "--out", dir.toString(), "--overwrite");
        assertEquals(0, run.code(), run.context());
        for (String set : OodTransferTest.SETS) {
            String bar = barLine(run.err(), "measure C4 augmentation p = 0 · " + set + " · epoch 1");
            assertTrue(bar.contains("100%") && bar.contains("16/16"), bar);
        }
        assertTrue(run.err().contains("C4 augmentation p = 0 1/1"), "the training bar too:\n" + run.err());
        assertFalse(run.err().contains("\r"), "without a terminal every bar line is a line of its own");
    }

    @Test
    void measurementsAfterTrainingShowABarPerModelAndAction(@TempDir Path dir) {
        CliRun run = CliRun.of("sequences", "--epochs", "1", "--train-size", "64", "--eval-size", "16", "--hidden", "4",
                "--channels", "4", "--out", dir.toString(), "--overwrite");
        assertEquals(0, run.code(), run.context());
        for (String action : List.of(Sequences.SHIFT, Sequences.REVERSAL)) {
            String bar = barLine(run.err(), "(" + action + ") · held-out sequential MNIST");
            assertTrue(bar.startsWith("measure ") && bar.contains("100%") && bar.contains("16/16"), bar);
        }
    }

    /** The last line of standard error that shows the bar named {@code task} (in a terminal a bar redraws in place with \r; without one, each redraw is its own line). */
    static String barLine(String err, String task) {
        String found = null;
        for (String line : err.split("[\r\n]+")) {
            if (line.contains(task)) {
                found = line.strip();
            }
        }
        assertTrue(found != null, "no progress bar '" + task + "' on standard error:\n" + err);
        return found;
    }
}
