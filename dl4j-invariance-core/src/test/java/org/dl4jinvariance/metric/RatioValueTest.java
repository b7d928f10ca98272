package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link MetricValue#ofRatio}: mean values[x]/r̄, CI of mean(values*)/mean(references*). */
class RatioValueTest {

    private static final double[] VALUES = new Random(7).doubles(400, 0.2, 1.4).toArray();
    private static final int[] CLASSES = new Random(8).ints(400, 0, 3).toArray();

    @Test
    void meanAndPerClassMeansAreThoseOfTheNormalizedValues() {
        double[] references = {0.9, 1.1, 1.0, 1.2};
        double r = Arrays.stream(references).average().orElseThrow();
        MetricValue ratio = MetricValue.ofRatio(VALUES, references, CLASSES, 5);
        MetricValue plain = MetricValue.of(Arrays.stream(VALUES).map(v -> v / r).toArray(), CLASSES, 5);
        assertEquals(plain.mean(), ratio.mean(), 0.0);
        assertEquals(plain.perClass(), ratio.perClass());
        assertEquals(plain.perClassCount(), ratio.perClassCount());
        assertEquals(VALUES.length, ratio.n());
    }

    @Test
    void equalReferencesGiveTheValuesOwnIntervalAndSpreadReferencesWidenIt() {
        double[] equal = {1.05, 1.05, 1.05, 1.05};
        MetricValue fixed = MetricValue.ofRatio(VALUES, equal, null, 5);
        MetricValue plain = MetricValue.of(Arrays.stream(VALUES).map(v -> v / 1.05).toArray(), null, 5);
        // the same resample draws; only the order of the division differs
        assertEquals(plain.ciLow(), fixed.ciLow(), 1e-12);
        assertEquals(plain.ciHigh(), fixed.ciHigh(), 1e-12);

        double[] spread = {0.7, 1.4, 0.9, 1.2};
        MetricValue wide = MetricValue.ofRatio(VALUES, spread, null, 5);
        assertTrue(wide.ciHigh() - wide.ciLow() > 2 * (fixed.ciHigh() - fixed.ciLow()),
                "a baseline from 4 spread sets is itself uncertain: " + wide + " vs " + fixed);
        assertTrue(wide.ciLow() <= wide.mean() && wide.mean() <= wide.ciHigh());
    }

    @Test
    void theIntervalIsThePercentileOfRatiosOfMeansOverTheSeededDrawsBitForBit() {
        double[] references = {0.7, 1.4, 0.9, 1.2, 1.1};
        long seed = 11;
        int n = VALUES.length;
        int s = references.length;
        Random examples = new Random(seed);
        Random refs = new Random(seed ^ MetricValue.REFERENCE_DRAWS_SALT);
        double[] ratios = new double[MetricValue.BOOTSTRAP_RESAMPLES];
        for (int b = 0; b < ratios.length; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += VALUES[examples.nextInt(n)];
            }
            double refSum = 0;
            for (int j = 0; j < s; j++) {
                refSum += references[refs.nextInt(s)];
            }
            ratios[b] = (sum / n) / (refSum / s);
        }
        Arrays.sort(ratios);
        MetricValue ratio = MetricValue.ofRatio(VALUES, references, null, seed);
        assertEquals(Math.min(ratios[(int) Math.floor(0.025 * 999)], ratio.mean()), ratio.ciLow(), 0.0);
        assertEquals(Math.max(ratios[(int) Math.ceil(0.975 * 999)], ratio.mean()), ratio.ciHigh(), 0.0);
        // and again, from the kept draws
        assertEquals(ratio, MetricValue.ofRatio(VALUES, references, null, seed));
    }

    @Test
    void badReferencesAndValuesAreRefusedNamingThem() {
        assertThrows(IllegalArgumentException.class, () -> MetricValue.ofRatio(VALUES, new double[0], null, 1));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> MetricValue.ofRatio(VALUES, new double[] {1, -1}, null, 1));
        assertTrue(zero.getMessage().contains("mean other than 0"), zero.getMessage());
        IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
                () -> MetricValue.ofRatio(VALUES, new double[] {1}, new int[3], 1));
        assertTrue(classes.getMessage().contains("3 class labels"), classes.getMessage());
    }
}
