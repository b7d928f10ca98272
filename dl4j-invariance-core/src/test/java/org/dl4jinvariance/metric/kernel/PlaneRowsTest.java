package org.dl4jinvariance.metric.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float kernels of {@link PlaneRows}: Gram entries are the plain left-to-right double sums
 * of the widened products, bit for bit (a fused multiply-add of two widened floats rounds like
 * a multiply and an add, since their product is exact in double); gathered dot products, summed
 * in four interleaved chains, agree with the plain loop to a relative 1e-13.
 */
class PlaneRowsTest {

    private static final int INNER = 103;   // not a multiple of 4: the tail loops run too

    @Test
    void gramOfFloatRowsIsTheSequentialDoubleSumBitForBit() {
        float[][] rows = randomRows(6, 1);
        PlaneRows plane = load(rows, 8);
        double[] gram = new double[6 * 6];
        plane.addGram(6, gram, 0, new double[16]);
        for (int j = 0; j < 6; j++) {
            for (int l = j; l < 6; l++) {
                double s = 0;
                for (int i = 0; i < INNER; i++) {
                    s += (double) rows[j][i] * (double) rows[l][i];
                }
                assertEquals(s, gram[j * 6 + l], 0.0, "gram[" + j + "][" + l + "]");
            }
        }
    }

    @Test
    void gatheredDotAgreesWithThePlainLoop() {
        float[][] rows = randomRows(2, 2);
        PlaneRows plane = load(rows, 2);
        int[] reversed = new int[INNER];
        for (int i = 0; i < INNER; i++) {
            reversed[i] = INNER - 1 - i;
        }
        for (int[] map : new int[][] {null, reversed}) {
            double s = 0;
            double scale = 0;
            for (int i = 0; i < INNER; i++) {
                double p = (double) rows[0][i] * rows[1][map == null ? i : map[i]];
                s += p;
                scale += Math.abs(p);
            }
            assertEquals(s, plane.dot(0, plane, 1, map), 1e-13 * scale, map == null ? "identity map" : "reversed map");
        }
    }

    private static float[][] randomRows(int count, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[count][INNER];
        for (float[] row : rows) {
            for (int i = 0; i < INNER; i++) {
                // magnitudes from 1e-3 to 1e3, both signs: sums that rounding can tell apart
                row[i] = (float) ((random.nextDouble() - 0.5) * Math.pow(10, 6 * random.nextDouble() - 3));
            }
        }
        return rows;
    }

    private static PlaneRows load(float[][] rows, int slots) {
        FloatBuffer buffer = FloatBuffer.allocate(rows.length * INNER);
        for (float[] row : rows) {
            buffer.put(row);
        }
        PlaneRows plane = PlaneRows.forBuffer(buffer, slots, INNER);
        for (int j = 0; j < rows.length; j++) {
            plane.load(buffer, null, j * INNER, j);
        }
        return plane;
    }
}
