package org.dl4jinvariance.examples;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every experiment subcommand shares (a picocli mixin). */
public final class ExperimentOptions {

    @Option(names = "--epochs", description = "Training epochs per model (default: ${DEFAULT-VALUE}).")
    public int epochs = 3;

    @Option(names = "--train-size", description = "Training examples, taken from the start of the data "
            + "(default: ${DEFAULT-VALUE}).")
    public int trainSize = 8_000;

    @Option(names = "--eval-size", description = "Examples per evaluation data set: held-out MNIST (taken from "
            + "the end of the 10,000 digits, never trained on) and each out-of-distribution set "
            + "(default: ${DEFAULT-VALUE}).")
    public int evalSize = 1_000;

    @Option(names = "--seed", description = "Seed for weights, augmentation and bootstrap (default: ${DEFAULT-VALUE}).")
    public long seed = 42;

    @Option(names = "--out", description = "Output directory (default: results/<experiment>).")
    public Path out;

    @Option(names = "--data-dir", description = "Directory with full IDX data sets (e.g. the 60,000-image "
            + "Fashion-MNIST training set, fashion-mnist-train-*-ubyte[.gz]); the embedded data is used otherwise.")
    public Path dataDir;

    /** The output directory for {@code experiment}: --out, or results/&lt;experiment&gt;. */
    public Path outputDir(String experiment) {
        return out != null ? out : Path.of("results", experiment);
    }

    /** Checks the sizes against the 10,000 embedded digits; names the bad value. */
    public void validate(int available) {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (trainSize < 1 || evalSize < 1) {
            throw new IllegalArgumentException("--train-size and --eval-size must be >= 1, got "
                    + trainSize + " and " + evalSize);
        }
        if (trainSize + evalSize > available) {
            throw new IllegalArgumentException("--train-size " + trainSize + " + --eval-size " + evalSize
                    + " exceeds the " + available + " MNIST digits available; training and held-out data must not overlap");
        }
    }
}
