package org.dl4jinvariance.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.examples.Evaluate;
import org.dl4jinvariance.group.Groups;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@code evaluate} command (issue 14) as users run it — a LeNet-sized model (431k
 * parameters, saved with {@code ModelSerializer}), C4, every layer, all default metrics, 1,000
 * embedded MNIST digits, every file written (the model's CSV, JSON lines, charts and page,
 * summary.json, the profile chart and index.html) — against the |G| = 4 plain forward passes it
 * needs: {@code output(x, false)} on the 4 × 1,000 rotated digits, prepared beforehand, in one
 * batch. Two rows from one measurement:
 * <ul>
 *   <li>the evaluation part of the command, {@link Evaluate#evaluate(Evaluate.Prepared)}, up to
 *       its reports in memory (the measuring), target ≤ 1.2;</li>
 *   <li>the same with every file written (the reporters redraw the charts, the page embeds them),
 *       no target: what a user waits for after the progress bar.</li>
 * </ul>
 * Neither counts the time spent inside the data iterator (reading and decoding images, given on
 * the detail line). The checks before ({@link Evaluate#prepare()}: reading the zip, the input
 * shape, opening the data) run once, untimed. Ours and the baseline alternate, two warm-up
 * rounds, then the median of five each, as the runner does for other rows.
 */
final class EvaluateCommandBenchmark implements Benchmark {

    /** Medians (ms) of one measurement both rows share: measuring, measuring + files, baseline. */
    private static double[] medians;

    private final boolean withFiles;

    private EvaluateCommandBenchmark(boolean withFiles) {
        this.withFiles = withFiles;
    }

    /** The measuring part against the forward passes; target 1.2. */
    static EvaluateCommandBenchmark measuring() {
        return new EvaluateCommandBenchmark(false);
    }

    /** Measuring and writing every file against the forward passes; no target. */
    static EvaluateCommandBenchmark withFiles() {
        return new EvaluateCommandBenchmark(true);
    }

    static final int N = 1000;
    static final int REPEATS = 5;

    private Evaluate command;
    private Evaluate.Prepared prepared;
    private MultiLayerNetwork net;
    private INDArray orbit;
    private Path dir;
    private double sink;

    @Override
    public String name() {
        return withFiles ? "evaluate command incl. writing files / output() on 4x1000"
                : "evaluate command (LeNet, C4, 1000 digits) / output() on 4x1000";
    }

    @Override
    public double target() {
        return withFiles ? Double.NaN : 1.2;
    }

    @Override
    public void setUp() {
        try {
            dir = Files.createTempDirectory("evaluate-benchmark");
            Path zip = dir.resolve("lenet.zip");
            ModelSerializer.writeModel(MetricPassBenchmark.lenet(), zip.toFile(), false);
            command = Evaluate.of("--model", zip.toString(), "--data", "digits=embedded:mnist:0:" + N,
                    "--max-examples", String.valueOf(N), "--out", dir.resolve("out").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        prepared = command.prepare();
        net = (MultiLayerNetwork) prepared.net();
        orbit = ImageActions.rotation(Groups.c4()).orbit(Datasets.mnist().slice(0, N).getFeatures());
    }

    @Override
    public void runOurs() {
        sink += command.evaluate(prepared).readSeconds();
    }

    @Override
    public void runBaseline() {
        sink += net.output(orbit, false).getDouble(0);
    }

    /** Alternating repeats timed from the command's own split of reading, measuring and writing. */
    @Override
    public double[] measureOnce() {
        if (medians == null) {
            medians = measure();
        }
        return new double[] {withFiles ? medians[1] : medians[0], medians[2]};
    }

    private double[] measure() {
        setUp();
        for (int i = 0; i < 2; i++) {
            runOurs();
            runBaseline();
        }
        double[] ours = new double[REPEATS];
        double[] files = new double[REPEATS];
        double[] read = new double[REPEATS];
        double[] write = new double[REPEATS];
        double[] base = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            Evaluate.Result r = command.evaluate(prepared);
            ours[i] = r.evaluateSeconds() * 1e3;
            files[i] = (r.evaluateSeconds() + r.writeSeconds()) * 1e3;
            read[i] = r.readSeconds() * 1e3;
            write[i] = r.writeSeconds() * 1e3;
            long t0 = System.nanoTime();
            runBaseline();
            base[i] = (System.nanoTime() - t0) / 1e6;
        }
        System.out.printf(Locale.ROOT, "  evaluate: reading the %d digits %.1f ms (in neither row), writing the files "
                + "%.1f ms; medians of %d%n", N, BenchmarkRunner.median(read), BenchmarkRunner.median(write), REPEATS);
        return new double[] {BenchmarkRunner.median(ours), BenchmarkRunner.median(files), BenchmarkRunner.median(base)};
    }
}
