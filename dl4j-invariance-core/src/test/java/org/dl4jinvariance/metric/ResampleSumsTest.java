package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap's resample sums of many arrays in one pass are those of each array alone, bit
 * for bit, and those of the plain definition (draws from {@code new Random(seed).nextInt(n)},
 * B rows of n, each summed left to right) — also when there are too many draws to keep and they
 * are drawn as they are used.
 */
class ResampleSumsTest {

    @Test
    void manyArraysInOnePassSumLikeEachAloneAndLikeThePlainDefinition() {
        for (int n : new int[] {7, 4_001}) {     // B·n = 7,000 draws are kept; 4,001,000 are not
            Random random = new Random(n);
            double[] a = values(random, n);
            double[] b = values(random, n);
            double[] nan = values(random, n);
            nan[3] = Double.NaN;
            double[] other = values(random, n + 1);
            double[] single = {2.5};
            double[] empty = {};
            Map<double[], double[]> together = ResampleSums.of(List.of(a, b, nan, other, single, empty), 42);
            for (double[] x : List.of(a, b, nan, other)) {
                assertArrayEquals(plain(x, 42), together.get(x), "n = " + x.length);
                assertArrayEquals(plain(x, 42), ResampleSums.of(x, 42), "n = " + x.length + " alone");
            }
            assertEquals(MetricValue.BOOTSTRAP_RESAMPLES, together.get(nan).length);
            assertArrayEquals(plain(single, 42), together.get(single), "one value: every resample sums to it");
            assertFalse(together.containsKey(empty), "an empty array has nothing to resample");
        }
    }

    private static double[] plain(double[] x, long seed) {
        Random random = new Random(seed);
        double[] sums = new double[MetricValue.BOOTSTRAP_RESAMPLES];
        for (int b = 0; b < sums.length; b++) {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                s += x[random.nextInt(x.length)];
            }
            sums[b] = s;
        }
        return sums;
    }

    private static double[] values(Random random, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (random.nextDouble() - 0.5) * Math.pow(10, 4 * random.nextDouble() - 2);
        }
        return x;
    }
}
