package org.dl4jinvariance.metric;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The bootstrap's resample sums: for B = {@value MetricValue#BOOTSTRAP_RESAMPLES} resamples of n
 * indices drawn from {@code new Random(seed).nextInt(n)} in order (resample b takes draws
 * b·n … b·n + n − 1), sums[b] = Σ_{i&lt;n} x[draw(b, i)], each summed in order i = 0, 1, …, n − 1.
 * A report's keys all resample the same n examples with the same seed, so {@link #of(Collection, long)}
 * sums every key of one length in a single pass over the draws; each sum is still formed in
 * the same order, so it is the same bit for bit as {@link #of(double[], long)} gives alone.
 */
final class ResampleSums {

    private static final int B = MetricValue.BOOTSTRAP_RESAMPLES;

    private ResampleSums() {
    }

    /** sums[b] of one array. */
    static double[] of(double[] x, long seed) {
        int n = x.length;
        int[] draws = Draws.of(n, seed);
        double[] sums = new double[B];
        // Four resamples side by side: four independent chains of additions instead of one,
        // each in the same order as alone.
        int b = 0;
        for (; b + 3 < B; b += 4) {
            int o0 = b * n;
            int o1 = o0 + n;
            int o2 = o1 + n;
            int o3 = o2 + n;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int i = 0; i < n; i++) {
                s0 += x[draws[o0 + i]];
                s1 += x[draws[o1 + i]];
                s2 += x[draws[o2 + i]];
                s3 += x[draws[o3 + i]];
            }
            sums[b] = s0;
            sums[b + 1] = s1;
            sums[b + 2] = s2;
            sums[b + 3] = s3;
        }
        for (; b < B; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += x[draws[b * n + i]];
            }
            sums[b] = sum;
        }
        return sums;
    }

    /**
     * sums[b] of every array (by identity), arrays of the same length in one pass over their
     * draws: each draw adds one row of a [n, K] copy of the K arrays to K running sums. Arrays
     * of length 1 have no resamples to sum and are left out.
     */
    static Map<double[], double[]> of(Collection<double[]> arrays, long seed) {
        Map<Integer, List<double[]>> byLength = new LinkedHashMap<>();
        for (double[] x : arrays) {
            if (x.length > 1) {
                byLength.computeIfAbsent(x.length, n -> new ArrayList<>()).add(x);
            }
        }
        Map<double[], double[]> out = new IdentityHashMap<>();
        byLength.forEach((n, columns) -> sumTogether(n, columns, seed, out));
        return out;
    }

    private static void sumTogether(int n, List<double[]> columns, long seed, Map<double[], double[]> out) {
        int k = columns.size();
        double[] rows = new double[n * k];
        for (int c = 0; c < k; c++) {
            double[] x = columns.get(c);
            for (int i = 0; i < n; i++) {
                rows[i * k + c] = x[i];
            }
        }
        double[] sums = new double[B * k];
        // Too many draws to keep (Draws.MAX_CACHED) are drawn as they are used, in the same order.
        int[] draws = Draws.cacheable(n) ? Draws.of(n, seed) : null;
        Random random = draws == null ? new Random(seed) : null;
        for (int b = 0; b < B; b++) {
            int at = b * k;
            for (int i = 0; i < n; i++) {
                int row = (draws != null ? draws[b * n + i] : random.nextInt(n)) * k;
                for (int c = 0; c < k; c++) {
                    sums[at + c] += rows[row + c];
                }
            }
        }
        for (int c = 0; c < k; c++) {
            double[] s = new double[B];
            for (int b = 0; b < B; b++) {
                s[b] = sums[b * k + c];
            }
            out.put(columns.get(c), s);
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
