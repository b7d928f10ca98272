package org.dl4jinvariance.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs every {@link Benchmark} and prints {@code name  ours  baseline  ratio  target}. Ours and
 * baseline alternate, after warm-up rounds (2, or what the row asks for), and each is the median of the repeats, because these
 * machines are shared and noisy; only the ratio is meant to be compared across machines.
 *
 * <p>A row that {@linkplain Benchmark#measureOnce() measures itself once} (a soak) prints its own
 * two figures instead; the repeats do not apply to it.
 *
 * <p>Usage: {@code java -jar benchmarks/target/benchmarks.jar [repeats] [name-filter]}; the filter
 * is a case-insensitive part of the row name (e.g. {@code soak}).
 */
public final class BenchmarkRunner {

    private BenchmarkRunner() {
    }

    /** Every benchmark of the project; each issue with a performance target adds its rows. */
    static List<Benchmark> all() {
        List<Benchmark> rows = new ArrayList<>();
        // issue 3: metric engine (issue 16: while HotSpot still compiles it, so first in the
        // JVM, then in steady state)
        rows.add(MetricPassBenchmark.firstEvaluations());
        rows.add(MetricPassBenchmark.steadyState());
        // issue 16: the metric pass reduced by ND4J operations (the GPU path) against the Java path
        rows.add(new ReductionPathBenchmark());
        // issue 4: equivariant layers
        rows.add(ConvolutionLayerBenchmark.groupC4());
        rows.add(ConvolutionLayerBenchmark.groupD4());
        rows.add(ConvolutionLayerBenchmark.liftingC4());
        rows.add(ExportedInferenceBenchmark.exportedVsHandBuilt());
        rows.add(ExportedInferenceBenchmark.equivariantVsExported());
        // issue 5: listener
        rows.add(ListenerOverheadBenchmark.listener());
        rows.add(ListenerOverheadBenchmark.forwardFloor());
        // issue 16: measure only as much as needed
        rows.add(ListenerOverheadBenchmark.targetPrecision(0.01));
        // issue 13: a long run with every file reporter neither leaks nor slows down
        rows.add(ListenerSoakBenchmark.memory());
        rows.add(ListenerSoakBenchmark.time());
        // issue 14: the evaluate command on a user's model
        rows.add(EvaluateCommandBenchmark.measuring());
        rows.add(EvaluateCommandBenchmark.withFiles());
        // issue 16: evaluation on Spark scales with the task slots (a time ratio: lower is better)
        rows.add(new SparkScalingBenchmark(3));
        return rows;
    }

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String filter = args.length > 1 ? args[1].toLowerCase(Locale.ROOT) : "";
        System.out.printf(Locale.ROOT, "%-70s %10s %10s %7s %7s%n", "name", "ours(ms)", "base(ms)", "ratio", "target");
        for (Benchmark b : all()) {
            if (!b.name().toLowerCase(Locale.ROOT).contains(filter)) {
                continue;
            }
            double[] once = b.measureOnce();
            double[] r = once != null ? once : measure(b, repeats);
            System.out.printf(Locale.ROOT, "%-70s %10.1f %10.1f %7.3f %7s%s%n", b.name(), r[0], r[1], r[0] / r[1],
                    Double.isNaN(b.target()) ? "-" : String.format(Locale.ROOT, "%.2f", b.target()),
                    b.note().isEmpty() ? "" : "  " + b.note());
        }
    }

    /** Median milliseconds of ours and of the baseline, alternating, after the row's warm-up rounds. */
    static double[] measure(Benchmark b, int repeats) {
        b.setUp();
        for (int i = 0; i < b.warmUpRounds(); i++) {
            b.runOurs();
            b.runBaseline();
        }
        double[] ours = new double[repeats];
        double[] base = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            b.runOurs();
            long t1 = System.nanoTime();
            b.runBaseline();
            long t2 = System.nanoTime();
            ours[i] = (t1 - t0) / 1e6;
            base[i] = (t2 - t1) / 1e6;
        }
        return new double[] {median(ours), median(base)};
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
