package org.dl4jinvariance.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.listeners.InvarianceListener;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.listeners.report.Reporters;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A soak: {@value #EPOCHS} epochs of a small CNN (conv 3×3×8, max-pool, dense 32, softmax; 512
 * MNIST digits, batch 64, Adam) watched by an {@link InvarianceListener} with every file reporter
 * (CSV, JSON lines, charts, HTML page) in a temporary directory, C4, every layer, default
 * metrics, 100 held-out MNIST + 100 Fashion-MNIST examples. It asks whether watching a long run
 * leaks memory or slows down as the history grows (the charts and the page are redrawn from the
 * whole history every epoch).
 *
 * <p>The same training runs twice, each in a fresh child JVM (so neither inherits the other's
 * native heap): once watched, once not. DL4J training alone grows the resident memory in this
 * window (by about a quarter in trials here, levelling off after about 30 epochs: the native
 * allocator's arenas filling, not kept arrays), so the unwatched run is the baseline the
 * listener's growth is compared with. Two rows:
 * <ul>
 *   <li>RSS growth (VmRSS of /proc/self/status): the lowest reading over epochs 46–50 over the
 *       lowest over epochs 6–10, each read after a {@code System.gc()} and a pause for ND4J to
 *       free the buffers of collected arrays (single readings swing by up to ±100 MB); the
 *       watched run's growth against the unwatched run's; target ≤ 1.05 (the listener adds at
 *       most 5% to what training grows by itself). The detail line gives both growths and the
 *       megabytes;</li>
 *   <li>the listener's time at the end of an epoch (evaluation and every reporter): the CPU time
 *       of the process during the listener's call (ms; ND4J's worker threads included), the
 *       median over epochs 46–50 against the median over epochs 3–7, after a three-epoch JIT
 *       warm-up on a throwaway network. CPU time rather than wall time, and windows rather than
 *       single epochs, because on a shared machine the wall time of one epoch moves with the
 *       other jobs' load by far more than the 10% measured (the detail line gives the wall-time
 *       medians too); target ≤ 1.10.</li>
 * </ul>
 * The two runs take four to five minutes on two busy cores; the runner's repeat count does not
 * apply.
 */
final class ListenerSoakBenchmark implements Benchmark {

    static final int EPOCHS = 50;
    static final int TRAIN = 512;
    static final int EVAL = 100;
    /** Epochs per window: RSS and time are read over epochs 6–10 and 46–50, times also 3–7. */
    static final int WINDOW = 5;
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Marks the one line a child run prints its readings on. */
    private static final String RESULT = "SOAK-RESULT";

    /** Listener CPU ms per epoch (watched run) and the RSS growths of both runs, shared by the two rows. */
    private static double[] listenerMillis;
    private static double rssGrowthWatched;
    private static double rssGrowthUnwatched;

    private final boolean memory;

    private ListenerSoakBenchmark(boolean memory) {
        this.memory = memory;
    }

    /** RSS growth from epoch 10 to 50 with the listener against without it. */
    static ListenerSoakBenchmark memory() {
        return new ListenerSoakBenchmark(true);
    }

    /** The listener's time at epochs 46–50 against at epochs 3–7. */
    static ListenerSoakBenchmark time() {
        return new ListenerSoakBenchmark(false);
    }

    @Override
    public String name() {
        return memory ? "soak: RSS growth epochs 6-10 -> 46-50, watched / unwatched training (every file reporter)"
                : "soak: listener CPU ms per epoch, epochs 46-50 / 3-7 (medians)";
    }

    @Override
    public double target() {
        return memory ? 1.05 : 1.10;
    }

    @Override
    public double[] measureOnce() {
        if (listenerMillis == null) {
            soak();
        }
        if (memory) {
            return new double[] {rssGrowthWatched, rssGrowthUnwatched};
        }
        return new double[] {BenchmarkRunner.median(Arrays.copyOfRange(listenerMillis, EPOCHS - WINDOW + 1, EPOCHS + 1)),
                BenchmarkRunner.median(Arrays.copyOfRange(listenerMillis, 3, 3 + WINDOW))};
    }

    @Override
    public void setUp() {
    }

    @Override
    public void runOurs() {
        throw new UnsupportedOperationException("a soak is measured once, by measureOnce()");
    }

    @Override
    public void runBaseline() {
        throw new UnsupportedOperationException("a soak is measured once, by measureOnce()");
    }

    private static void soak() {
        Readings watched = Readings.parse(runChild(true));
        Readings unwatched = Readings.parse(runChild(false));
        listenerMillis = watched.listenerCpuMillis;
        rssGrowthWatched = watched.rss50 / watched.rss10;
        rssGrowthUnwatched = unwatched.rss50 / unwatched.rss10;
        System.out.printf(Locale.ROOT, "  # soak detail: RSS floors watched %.1f -> %.1f MB (x%.3f), unwatched %.1f -> %.1f "
                + "MB (x%.3f); Java heap in use after GC, watched, %.1f -> %.1f MB (the kept history); listener wall "
                + "time, medians, %.0f ms at epochs 3-7, %.0f at 46-50%n", watched.rss10, watched.rss50, rssGrowthWatched,
                unwatched.rss10, unwatched.rss50, rssGrowthUnwatched, watched.heap10, watched.heap50,
                watched.wallEarly, watched.wallLate);
    }

    /** Runs {@link #main} in a child JVM with this JVM's class path and returns its result line. */
    private static String runChild(boolean watch) {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                ListenerSoakBenchmark.class.getName(), watch ? "watched" : "unwatched").redirectErrorStream(true);
        try {
            Process p = pb.start();
            String result = null;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith(RESULT)) {
                        result = line;
                    }
                }
            }
            int exit = p.waitFor();
            if (exit != 0 || result == null) {
                throw new IllegalStateException("The " + (watch ? "watched" : "unwatched") + " soak run failed (exit "
                        + exit + ", result line " + (result == null ? "missing" : "present") + ")");
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the soak's child JVM " + javaBin, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the soak run", e);
        }
    }

    /** Child JVM entry: {@code watched} or {@code unwatched}; prints one {@value #RESULT} line. */
    public static void main(String[] args) {
        boolean watch = args.length == 1 && args[0].equals("watched");
        if (!watch && !(args.length == 1 && args[0].equals("unwatched"))) {
            throw new IllegalArgumentException("Expected one argument, watched or unwatched; got " + Arrays.toString(args));
        }
        System.out.println(run(watch));
    }

    private static String run(boolean watch) {
        Path dir;
        Path warmDir;
        try {
            dir = Files.createTempDirectory("listener-soak");
            warmDir = Files.createTempDirectory("listener-soak-warm-up");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            // JIT warm-up on a throwaway network, listener and directory: without it the "early"
            // window times the compiler (epoch 1 took three times epoch 10 in a trial), not the
            // listener, and the ratio would flatter a listener that slows down. The unwatched run
            // warms up the same way, so both runs start from the same state.
            MultiLayerNetwork warm = smallCnn();
            warm.addListeners(watch(warmDir));
            warm.fit(Datasets.mnist().iterator(64, 0, TRAIN), 3);

            InvarianceListener listener = watch(dir);
            double[] millis = new double[EPOCHS + 1];
            double[] cpuMillis = new double[EPOCHS + 1];
            double[] rss = new double[EPOCHS + 1];
            double[] heap = new double[EPOCHS + 1];
            MultiLayerNetwork net = smallCnn();
            net.addListeners(new BaseTrainingListener() {
                private int epoch;

                @Override
                public void onEpochEnd(Model model) {
                    epoch++;
                    long t0 = System.nanoTime();
                    long c0 = CPU.getProcessCpuTime();
                    if (watch) {
                        listener.onEpochEnd(model);
                    }
                    cpuMillis[epoch] = (CPU.getProcessCpuTime() - c0) / 1e6;
                    millis[epoch] = (System.nanoTime() - t0) / 1e6;
                    if ((epoch > 10 - WINDOW && epoch <= 10) || epoch > EPOCHS - WINDOW) {
                        settle();
                        rss[epoch] = residentMegabytes();
                        heap[epoch] = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
                    }
                }
            });
            net.fit(Datasets.mnist().iterator(64, 0, TRAIN), EPOCHS);
            for (EpochReport r : listener.history()) {
                if (r.failed()) {
                    throw new IllegalStateException("The listener failed during the soak: " + r);
                }
            }
            StringBuilder line = new StringBuilder(RESULT);
            line.append(String.format(Locale.ROOT, " %.3f %.3f %.3f %.3f %.3f %.3f", min(rss, 10 - WINDOW + 1, 10),
                    min(rss, EPOCHS - WINDOW + 1, EPOCHS), heap[10], heap[EPOCHS],
                    BenchmarkRunner.median(Arrays.copyOfRange(millis, 3, 3 + WINDOW)),
                    BenchmarkRunner.median(Arrays.copyOfRange(millis, EPOCHS - WINDOW + 1, EPOCHS + 1))));
            for (double ms : cpuMillis) {
                line.append(String.format(Locale.ROOT, " %.3f", ms));
            }
            return line.toString();
        } finally {
            delete(dir);
            delete(warmDir);
        }
    }

    /** What one child run measured, parsed back from its result line. */
    private static final class Readings {
        double rss10;
        double rss50;
        double heap10;
        double heap50;
        double wallEarly;
        double wallLate;
        double[] listenerCpuMillis;

        static Readings parse(String line) {
            String[] f = line.substring(RESULT.length()).trim().split(" ");
            Readings r = new Readings();
            r.rss10 = Double.parseDouble(f[0]);
            r.rss50 = Double.parseDouble(f[1]);
            r.heap10 = Double.parseDouble(f[2]);
            r.heap50 = Double.parseDouble(f[3]);
            r.wallEarly = Double.parseDouble(f[4]);
            r.wallLate = Double.parseDouble(f[5]);
            r.listenerCpuMillis = new double[f.length - 6];
            for (int i = 6; i < f.length; i++) {
                r.listenerCpuMillis[i - 6] = Double.parseDouble(f[i]);
            }
            return r;
        }
    }

    private static InvarianceListener watch(Path dir) {
        return InvarianceListener.builder()
                .inputAction(ImageActions.rotation(Groups.c4()))
                .evaluate("heldOut", Datasets.mnist().iterator(50, 8_000, EVAL))
                .evaluate("ood-fashion", Datasets.fashionMnist().iterator(50, 0, EVAL))
                .maxExamples(EVAL)
                .reportTo(Reporters.csv(dir), Reporters.jsonLines(dir), Reporters.charts(dir), Reporters.html(dir))
                .build();
    }

    /**
     * Collects garbage and gives ND4J's deallocator thread a moment to free the native buffers
     * of collected arrays, so that RSS counts what is kept, not what is waiting to be freed.
     */
    private static void settle() {
        System.gc();
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double min(double[] xs, int from, int to) {
        double m = Double.POSITIVE_INFINITY;
        for (int i = from; i <= to; i++) {
            m = Math.min(m, xs[i]);
        }
        return m;
    }

    /** VmRSS of this process, in MB (Linux). */
    static double residentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0; // the line is in kB
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The soak reads RSS from /proc/self/status (Linux only)", e);
        }
        throw new IllegalStateException("No VmRSS line in /proc/self/status");
    }

    /** conv 3×3×8 (relu), max-pool 2×2, dense 32 (relu), softmax 10. */
    private static MultiLayerNetwork smallCnn() {
        MultiLayerNetwork n = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(42).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(8).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("dense").nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build());
        n.init();
        return n;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e);
        }
    }
}
