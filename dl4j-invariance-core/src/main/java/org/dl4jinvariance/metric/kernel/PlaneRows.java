package org.dl4jinvariance.metric.kernel;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * A few rows of I features copied out of a native buffer into Java arrays small enough for L1
 * cache, with the two reductions {@link ActivationBuffer} needs: Gram entries in 4×4 register
 * tiles and (gathered) dot products. Float rows stay float in memory and are widened in
 * registers, so products and sums are exact-to-double without a converted copy.
 */
abstract class PlaneRows {

    /**
     * True when {@link Math#fma} is one instruction here (HotSpot's {@code UseFMA}); without it,
     * {@code Math.fma} is a slow software routine and {@link #madd} multiplies and adds instead.
     */
    private static final boolean HARDWARE_FMA = hardwareFma();

    private static boolean hardwareFma() {
        try {
            return Boolean.parseBoolean(java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {
            return false;   // not HotSpot, or no such flag on this platform
        }
    }

    /**
     * s + x·y with x, y widened floats: their product is exact in double, so a fused
     * multiply-add and a multiply followed by an add round the same way (one rounding, of the
     * sum); the fused form is one instruction instead of two.
     */
    static double madd(double x, double y, double s) {
        return HARDWARE_FMA ? Math.fma(x, y, s) : s + x * y;
    }

    /** Rows for {@code count} slots of {@code inner} features of the buffer's type. */
    static PlaneRows forBuffer(FloatBuffer floats, int count, int inner) {
        return floats != null ? new Floats(count, inner) : new Doubles(count, inner);
    }

    /** Copies {@code inner} values starting at absolute index {@code at} into slot {@code slot}. */
    abstract void load(FloatBuffer floats, DoubleBuffer doubles, int at, int slot);

    /** gram[at + j·order + l] += ⟨row j, row l⟩ for j ≤ l < order (slots ≥ order are zero). */
    abstract void addGram(int order, double[] gram, int at, double[] tile);

    /** ⟨row slot, row' (otherSlot of other) gathered by map⟩: Σ_i a[i]·b[map[i]] (null map: identity). */
    abstract double dot(int slot, PlaneRows other, int otherSlot, int[] map);

    /** Tiles of 4 rows: one pass over the features feeds 16 (diagonal: 10) accumulators. */
    static void tiles(PlaneRows rows, int order, double[] gram, int at, double[] tile) {
        for (int jb = 0; jb < order; jb += 4) {
            for (int lb = jb; lb < order; lb += 4) {
                rows.tile(jb, lb, tile);
                for (int j = jb; j < Math.min(order, jb + 4); j++) {
                    for (int l = Math.max(lb, j); l < Math.min(order, lb + 4); l++) {
                        gram[at + j * order + l] += tile[(j - jb) * 4 + (l - lb)];
                    }
                }
            }
        }
    }

    /** out[4j + l] = ⟨row jb+j, row lb+l⟩ for j, l &lt; 4. */
    abstract void tile(int jb, int lb, double[] out);

    /**
     * True when {@link #gramAndCross} is implemented here (float rows); otherwise the Gram tile
     * and the cross products are computed in separate passes.
     */
    abstract boolean fusesCross();

    /**
     * Of rows 0–3, in one pass over the features: the Gram tile as {@code tile(0, 0, out)} and
     * cross[j] = Σ_i row j[i]·row 0[maps[j][i]] for j = 1, 2, 3 (row 0 is the reference x, row j
     * is g·x, maps[j] is ρ(g) as an index map): each feature of the four rows is read once for
     * the ten Gram entries and the three equivariance products, instead of once per dot product.
     */
    void gramAndCross(int[][] maps, double[] out, double[] cross) {
        throw new UnsupportedOperationException("no fused pass for " + getClass().getSimpleName());
    }

    private static final class Floats extends PlaneRows {
        private final float[][] r;

        Floats(int count, int inner) {
            r = new float[count][inner];
        }

        @Override
        void load(FloatBuffer floats, DoubleBuffer doubles, int at, int slot) {
            floats.get(at, r[slot], 0, r[slot].length);
        }

        @Override
        void addGram(int order, double[] gram, int at, double[] tile) {
            tiles(this, order, gram, at, tile);
        }

        @Override
        double dot(int slot, PlaneRows other, int otherSlot, int[] map) {
            float[] a = r[slot];
            float[] b = ((Floats) other).r[otherSlot];
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = 0;
            int n = a.length;
            if (map == null) {
                for (; i + 3 < n; i += 4) {
                    s0 = madd(a[i], (double) b[i], s0);
                    s1 = madd(a[i + 1], (double) b[i + 1], s1);
                    s2 = madd(a[i + 2], (double) b[i + 2], s2);
                    s3 = madd(a[i + 3], (double) b[i + 3], s3);
                }
                for (; i < n; i++) {
                    s0 = madd(a[i], (double) b[i], s0);
                }
            } else {
                for (; i + 3 < n; i += 4) {
                    s0 = madd(a[i], (double) b[map[i]], s0);
                    s1 = madd(a[i + 1], (double) b[map[i + 1]], s1);
                    s2 = madd(a[i + 2], (double) b[map[i + 2]], s2);
                    s3 = madd(a[i + 3], (double) b[map[i + 3]], s3);
                }
                for (; i < n; i++) {
                    s0 = madd(a[i], (double) b[map[i]], s0);
                }
            }
            return (s0 + s1) + (s2 + s3);
        }

        @Override
        void tile(int jb, int lb, double[] out) {
            float[] a0 = r[jb];
            float[] a1 = r[jb + 1];
            float[] a2 = r[jb + 2];
            float[] a3 = r[jb + 3];
            float[] b0 = r[lb];
            float[] b1 = r[lb + 1];
            float[] b2 = r[lb + 2];
            float[] b3 = r[lb + 3];
            if (jb == lb) {
                diagonalTile(a0, a1, a2, a3, out);
                return;
            }
            double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
            double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
            for (int i = 0; i < a0.length; i++) {
                double x0 = a0[i], x1 = a1[i], x2 = a2[i], x3 = a3[i];
                double y0 = b0[i], y1 = b1[i], y2 = b2[i], y3 = b3[i];
                s00 = madd(x0, y0, s00); s01 = madd(x0, y1, s01); s02 = madd(x0, y2, s02); s03 = madd(x0, y3, s03);
                s10 = madd(x1, y0, s10); s11 = madd(x1, y1, s11); s12 = madd(x1, y2, s12); s13 = madd(x1, y3, s13);
                s20 = madd(x2, y0, s20); s21 = madd(x2, y1, s21); s22 = madd(x2, y2, s22); s23 = madd(x2, y3, s23);
                s30 = madd(x3, y0, s30); s31 = madd(x3, y1, s31); s32 = madd(x3, y2, s32); s33 = madd(x3, y3, s33);
            }
            store(out, s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33);
        }

        /**
         * The upper triangle of a diagonal tile (ten accumulators), in a method of its own: in
         * one method with the off-diagonal loop's sixteen, the JIT kept fewer of them in registers.
         */
        private static void diagonalTile(float[] a0, float[] a1, float[] a2, float[] a3, double[] out) {
            double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s11 = 0, s12 = 0, s13 = 0, s22 = 0, s23 = 0, s33 = 0;
            for (int i = 0; i < a0.length; i++) {
                double x0 = a0[i], x1 = a1[i], x2 = a2[i], x3 = a3[i];
                s00 = madd(x0, x0, s00); s01 = madd(x0, x1, s01); s02 = madd(x0, x2, s02); s03 = madd(x0, x3, s03);
                s11 = madd(x1, x1, s11); s12 = madd(x1, x2, s12); s13 = madd(x1, x3, s13);
                s22 = madd(x2, x2, s22); s23 = madd(x2, x3, s23);
                s33 = madd(x3, x3, s33);
            }
            store(out, s00, s01, s02, s03, 0, s11, s12, s13, 0, 0, s22, s23, 0, 0, 0, s33);
        }

        @Override
        boolean fusesCross() {
            return true;
        }

        @Override
        void gramAndCross(int[][] maps, double[] out, double[] cross) {
            float[] a0 = r[0];
            float[] a1 = r[1];
            float[] a2 = r[2];
            float[] a3 = r[3];
            int[] q1 = maps[1];
            int[] q2 = maps[2];
            int[] q3 = maps[3];
            double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s11 = 0, s12 = 0, s13 = 0, s22 = 0, s23 = 0, s33 = 0;
            double c1 = 0, c2 = 0, c3 = 0;
            for (int i = 0; i < a0.length; i++) {
                double x0 = a0[i], x1 = a1[i], x2 = a2[i], x3 = a3[i];
                s00 = madd(x0, x0, s00); s01 = madd(x0, x1, s01); s02 = madd(x0, x2, s02); s03 = madd(x0, x3, s03);
                s11 = madd(x1, x1, s11); s12 = madd(x1, x2, s12); s13 = madd(x1, x3, s13);
                s22 = madd(x2, x2, s22); s23 = madd(x2, x3, s23);
                s33 = madd(x3, x3, s33);
                c1 = madd(x1, a0[q1[i]], c1);
                c2 = madd(x2, a0[q2[i]], c2);
                c3 = madd(x3, a0[q3[i]], c3);
            }
            store(out, s00, s01, s02, s03, 0, s11, s12, s13, 0, 0, s22, s23, 0, 0, 0, s33);
            cross[1] = c1;
            cross[2] = c2;
            cross[3] = c3;
        }
    }

    private static final class Doubles extends PlaneRows {
        @Override
        boolean fusesCross() {
            return false;
        }

        private final double[][] r;

        Doubles(int count, int inner) {
            r = new double[count][inner];
        }

        @Override
        void load(FloatBuffer floats, DoubleBuffer doubles, int at, int slot) {
            doubles.get(at, r[slot], 0, r[slot].length);
        }

        @Override
        void addGram(int order, double[] gram, int at, double[] tile) {
            tiles(this, order, gram, at, tile);
        }

        @Override
        double dot(int slot, PlaneRows other, int otherSlot, int[] map) {
            double[] a = r[slot];
            double[] b = ((Doubles) other).r[otherSlot];
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                s += a[i] * b[map == null ? i : map[i]];
            }
            return s;
        }

        @Override
        void tile(int jb, int lb, double[] out) {
            double[] a0 = r[jb];
            double[] a1 = r[jb + 1];
            double[] a2 = r[jb + 2];
            double[] a3 = r[jb + 3];
            double[] b0 = r[lb];
            double[] b1 = r[lb + 1];
            double[] b2 = r[lb + 2];
            double[] b3 = r[lb + 3];
            double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
            double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
            for (int i = 0; i < a0.length; i++) {
                double x0 = a0[i], x1 = a1[i], x2 = a2[i], x3 = a3[i];
                double y0 = b0[i], y1 = b1[i], y2 = b2[i], y3 = b3[i];
                s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
                s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
                s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
                s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
            }
            store(out, s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33);
        }
    }

    private static void store(double[] out, double... s) {
        System.arraycopy(s, 0, out, 0, 16);
    }
}
