package org.dl4jinvariance.metric;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The bootstrap's resample sums: for B = {@value MetricValue#BOOTSTRAP_RESAMPLES} resamples of n
 * indices drawn from {@code new Random(seed).nextInt(n)} in order (resample b takes draws
 * b·n … b·n + n − 1), sums[b] = Σ_{i&lt;n} x[draw(b, i)], each summed in order i = 0, 1, …, n − 1.
 * A report's keys all resample the same n examples with the same seed, so {@link #of(Collection, long)}
 * sums every key of one length over each block of draws while it is in cache; each sum is still
 * formed in the same order, so it is the same bit for bit whichever arrays are summed together.
 */
final class ResampleSums {

    private static final int B = MetricValue.BOOTSTRAP_RESAMPLES;

    private ResampleSums() {
    }

    /** sums[b] of one array. */
    static double[] of(double[] x, long seed) {
        return of(java.util.List.of(x), seed).get(x);
    }

    /**
     * sums[b] of every array (by identity), arrays of the same length together: four resamples'
     * draws at a time are read once for all arrays (they stay in cache), and each array's four
     * sums run side by side as four independent chains of additions, each in the same order as
     * alone. Empty arrays are left out. Resamples are summed
     * on the common pool when their draws are kept, in order on the calling thread when they are
     * drawn as they are used.
     */
    static Map<double[], double[]> of(Collection<double[]> arrays, long seed) {
        Map<Integer, List<double[]>> byLength = new LinkedHashMap<>();
        for (double[] x : arrays) {
            if (x.length > 0) {
                byLength.computeIfAbsent(x.length, n -> new ArrayList<>()).add(x);
            }
        }
        Map<double[], double[]> out = new IdentityHashMap<>();
        byLength.forEach((n, columns) -> sumTogether(n, columns, seed, out));
        return out;
    }

    /** Resamples summed side by side; B is a multiple of it. */
    private static final int BLOCK = 4;

    static {
        if (B % BLOCK != 0) {
            throw new IllegalStateException("BOOTSTRAP_RESAMPLES = " + B + " is not a multiple of " + BLOCK);
        }
    }

    private static void sumTogether(int n, List<double[]> columns, long seed, Map<double[], double[]> out) {
        double[][] x = columns.toArray(new double[0][]);
        double[][] sums = new double[x.length][B];
        if (Draws.cacheable(n)) {
            int[] draws = Draws.of(n, seed);
            IntStream.range(0, B / BLOCK).parallel().forEach(block -> sumBlock(x, draws, block * BLOCK * n, n, block * BLOCK, sums));
        } else {
            // Too many draws to keep: drawn as used, four resamples at a time, in the stream's order.
            Random random = new Random(seed);
            int[] draws = new int[BLOCK * n];
            for (int b = 0; b < B; b += BLOCK) {
                for (int i = 0; i < draws.length; i++) {
                    draws[i] = random.nextInt(n);
                }
                sumBlock(x, draws, 0, n, b, sums);
            }
        }
        for (int c = 0; c < x.length; c++) {
            out.put(columns.get(c), sums[c]);
        }
    }

    /** sums[c][b + j] for j &lt; 4 from the draws of resamples b … b + 3, which start at {@code at}. */
    private static void sumBlock(double[][] x, int[] draws, int at, int n, int b, double[][] sums) {
        int o0 = at;
        int o1 = o0 + n;
        int o2 = o1 + n;
        int o3 = o2 + n;
        for (int c = 0; c < x.length; c++) {
            double[] v = x[c];
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int i = 0; i < n; i++) {
                s0 += v[draws[o0 + i]];
                s1 += v[draws[o1 + i]];
                s2 += v[draws[o2 + i]];
                s3 += v[draws[o3 + i]];
            }
            sums[c][b] = s0;
            sums[c][b + 1] = s1;
            sums[c][b + 2] = s2;
            sums[c][b + 3] = s3;
        }
    }

    /**
     * The resample indices, B rows of n draws from {@code new Random(seed).nextInt(n)}, in order.
     * The last two kinds are kept (a report's examples' and its references'): drawing them, not
     * summing, is what costs when keys are summed one at a time.
     */
    static final class Draws {
        private static final int MAX_CACHED = 4_000_000;
        private static final int KEPT = 2;
        private static final Map<List<Long>, int[]> RECENT = Collections.synchronizedMap(
                new LinkedHashMap<>(2 * KEPT, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<List<Long>, int[]> eldest) {
                        return size() > KEPT;
                    }
                });

        private Draws() {
        }

        /** True when B·n draws are few enough to keep (at most 16 MB). */
        static boolean cacheable(int n) {
            return (long) n * B <= MAX_CACHED;
        }

        static int[] of(int n, long seed) {
            List<Long> key = List.of((long) n, seed);
            int[] draws = RECENT.get(key);
            if (draws != null) {
                return draws;
            }
            Random random = new Random(seed);
            draws = new int[B * n];
            for (int i = 0; i < draws.length; i++) {
                draws[i] = random.nextInt(n);
            }
            if (cacheable(n)) {
                RECENT.put(key, draws);
            }
            return draws;
        }
    }
}
