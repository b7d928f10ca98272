package org.dl4jinvariance.metric.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float kernels of {@link PlaneRows}: Gram entries are the plain left-to-right double sums
 * of the widened products, bit for bit (a fused multiply-add of two widened floats rounds like
 * a multiply and an add, since their product is exact in double); gathered dot products, summed
 * in four interleaved chains, agree with the plain loop to a relative 1e-13, and so do the
 * equivariance products of the fused four-row pass, whose Gram entries equal the tile's.
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

    /**
     * The fused pass over four rows gives the same Gram entries as the separate tile, bit for
     * bit (the same products summed in the same order), and equivariance products
     * Σ_i row j[i]·row 0[map j[i]] that agree with the plain loop to a relative 1e-13.
     */
    @Test
    void fusedGramAndCrossMatchTheSeparatePasses() {
        float[][] rows = randomRows(4, 3);
        PlaneRows plane = load(rows, 4);
        double[] separate = new double[16];
        plane.addGram(4, separate, 0, new double[16]);
        int[][] maps = new int[4][];
        Random random = new Random(4);
        for (int j = 1; j < 4; j++) {
            maps[j] = permutation(random);
        }
        double[] tile = new double[16];
        double[] cross = new double[4];
        plane.gramAndCross(maps, tile, cross);
        for (int j = 0; j < 4; j++) {
            for (int l = j; l < 4; l++) {
                assertEquals(separate[j * 4 + l], tile[j * 4 + l], 0.0, "gram[" + j + "][" + l + "]");
            }
        }
        for (int j = 1; j < 4; j++) {
            double s = 0;
            double scale = 0;
            for (int i = 0; i < INNER; i++) {
                double p = (double) rows[j][i] * rows[0][maps[j][i]];
                s += p;
                scale += Math.abs(p);
            }
            assertEquals(s, cross[j], 1e-13 * scale, "cross[" + j + "]");
        }
    }

    private static int[] permutation(Random random) {
        int[] map = new int[INNER];
        for (int i = 0; i < INNER; i++) {
            map[i] = i;
        }
        for (int i = INNER - 1; i > 0; i--) {
            int k = random.nextInt(i + 1);
            int t = map[i];
            map[i] = map[k];
            map[k] = t;
        }
        return map;
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
