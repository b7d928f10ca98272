package org.dl4jinvariance.examples;

import java.nio.file.Path;
import org.dl4jinvariance.group.FiniteGroup;
import picocli.CommandLine.Option;

/**
 * The options every experiment subcommand shares (a picocli mixin). The experiments train on the
 * embedded MNIST digits only; the one that can read data from a folder ({@code pretrained
 * --data-dir}) declares that option itself, so no other experiment accepts and ignores it.
 */
public final class ExperimentOptions {

    @Option(names = "--epochs", description = "Training epochs per model, at least 1 (default: ${DEFAULT-VALUE}).")
    public int epochs = 3;

    @Option(names = "--train-size", description = "Training examples, taken from the start of the 10,000 embedded "
            + "MNIST digits; at most 10,000 minus --eval-size (default: ${DEFAULT-VALUE}).")
    public int trainSize = 8_000;

    @Option(names = "--eval-size", description = "Examples per evaluation data set: held-out MNIST (taken from "
            + "the end of the 10,000 digits, never trained on) and each out-of-distribution set; at least the order "
            + "of the group measured (4 for C4) (default: ${DEFAULT-VALUE}).")
    public int evalSize = 1_000;

    @Option(names = "--seed", description = "Seed for weights, augmentation and bootstrap (default: ${DEFAULT-VALUE}).")
    public long seed = 42;

    @Option(names = "--out", description = "Output folder, created if missing and checked to be writable before "
            + "training (default: results/<experiment>). Each run writes a dated sub-folder of it "
            + "(e.g. 2026-11-29T12-30-05/) and rewrites its index.html, a page comparing every run; see --overwrite.")
    public Path out;

    @Option(names = "--overwrite", description = "Write into --out itself, replacing its previous results, instead "
            + "of a new dated sub-folder. Refused for a non-empty folder that holds no results of this program.")
    public boolean overwrite;

    @Option(names = "--per-channel", description = "Also measure invariance per channel (a layer × channel heatmap on "
            + "each model page; off by default: it adds work to every evaluation, no forward pass).")
    public boolean perChannel;

    /** Where this run writes, once {@link #prepareRunDir} has decided. */
    private RunFolder runFolder;

    /** The output directory for {@code experiment}: --out, or results/&lt;experiment&gt;. */
    public Path outputDir(String experiment) {
        return out != null ? out : Path.of("results", experiment);
    }

    /**
     * Checks epochs and sizes against the {@code available} embedded MNIST digits, before any
     * training. The rules: {@code --epochs >= 1}; {@code --eval-size} from |G| (the order of the
     * group {@code measured} under: the normalized metrics compare each orbit of |G| images with
     * |G| different inputs, so with fewer examples they are n/a) to {@code available - 1};
     * {@code --train-size} from 1 to {@code available - --eval-size}, since training digits come
     * from the start and held-out digits from the end and must not overlap.
     *
     * @throws UsageException naming the option, its value and the allowed range
     */
    public void validate(int available, FiniteGroup measured) {
        CliChecks.atLeast("--epochs", epochs, 1, "training epochs per model");
        int minEval = measured.order();
        if (evalSize < minEval) {
            throw new UsageException("--eval-size " + evalSize + ": expected at least " + minEval + " (the order of "
                    + measured.name() + ": the normalized metrics compare each orbit with " + minEval
                    + " different held-out images)");
        }
        // Compare in long arithmetic: trainSize + evalSize can overflow int (2147483647 + 1000 < 0).
        if (evalSize > available - 1L) {
            throw new UsageException("--eval-size " + evalSize + ": expected at most " + CliChecks.count(available - 1L)
                    + " (the " + CliChecks.count(available) + " embedded MNIST digits, at least 1 left for training)");
        }
        if (trainSize < 1 || (long) trainSize + evalSize > available) {
            throw new UsageException("--train-size " + trainSize + ": expected 1 to "
                    + CliChecks.count(available - (long) evalSize) + " (the " + CliChecks.count(available)
                    + " embedded MNIST digits minus the " + CliChecks.count(evalSize)
                    + " held out by --eval-size; training and held-out digits never overlap)");
        }
    }

    /**
     * The folder this run writes in: {@link #prepareRunDir}. Experiments call it last among their
     * checks, so that a refused option leaves nothing behind.
     */
    public Path prepareOutputDir(String experiment) {
        return prepareRunDir(experiment);
    }

    /**
     * Decides where the run writes ({@link RunFolder#create}): the output folder ({@code --out},
     * or results/&lt;experiment&gt;) is created and checked to be writable; then by default the run
     * gets a new dated sub-folder of it, whose comparison page {@link #finishRun()} rewrites, or,
     * with {@code --overwrite}, the output folder itself, cleared.
     *
     * @return the folder the run writes in
     * @throws UsageException for an --out that is a file, cannot be written, or (with --overwrite)
     *                        holds files that are not results of this program
     */
    public Path prepareRunDir(String experiment) {
        runFolder = RunFolder.create(outputDir(experiment), overwrite);
        return runFolder.dir();
    }

    /**
     * The run's folder, as {@link #prepareRunDir} made it, for the summary pages.
     *
     * @throws IllegalStateException before {@link #prepareRunDir}
     */
    RunFolder runFolder() {
        if (runFolder == null) {
            throw new IllegalStateException("The run folder is made by prepareRunDir, which has not been called");
        }
        return runFolder;
    }

    /** The folder this run writes in: its run folder once prepared, else the output folder. */
    public Path resultsDir(String experiment) {
        return runFolder != null ? runFolder.dir() : outputDir(experiment);
    }

    /** True once the run has a dated sub-folder: {@link #finishRun()} then writes the comparison page. */
    public boolean writesComparison() {
        return runFolder != null && runFolder.comparisonAbove();
    }

    /**
     * After a run in a dated sub-folder has written its files: rewrites the output folder's
     * comparison page over every run folder in it ({@link RunFolder#finish()}). Nothing with
     * {@code --overwrite}.
     */
    public void finishRun() {
        if (runFolder != null) {
            runFolder.finish();
        }
    }
}
