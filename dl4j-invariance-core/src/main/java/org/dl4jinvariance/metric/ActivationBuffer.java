package org.dl4jinvariance.metric;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Direct read access to a batch of activations in their physical memory order, viewed as
 * [O, N, I] (element (o, n, i) at offset + (o·N + n)·I + i), through a NIO view of ND4J's native
 * buffer: nothing is copied. DL4J's convolution outputs, logically [N, C, H, W], are stored
 * [C, N, H, W] (O = C, I = H·W); c-order activations [N, F] are O = 1, I = F. One example's
 * feature index is f = o·I + i, its c-order index.
 *
 * <p>{@link #sets} computes, in one pass over memory, for sets of |G| rows each, their Gram
 * matrix and the equivariance products ⟨row g, ρ(g)·row e⟩ with ρ(g) an index map. Per (set,
 * block) the |G| rows sit in L1 cache, so the pass is bound by reading the activations once —
 * a batched ND4J matmul over thousands of tiny [|G|, H·W] blocks, or ND4J gathers for ρ(g),
 * cost several times more here. Products are formed and summed in double.
 */
final class ActivationBuffer {

    private static final int ITEMS_PER_TASK = 16;

    private final FloatBuffer floats;
    private final DoubleBuffer doubles;
    private final long offset;
    private final int outer;
    private final int rows;
    private final int inner;
    private boolean copy;

    private ActivationBuffer(INDArray physical, int outer, int rows, int inner) {
        this.outer = outer;
        this.rows = rows;
        this.inner = inner;
        this.offset = physical.offset();
        java.nio.ByteBuffer bytes = physical.data().asNio().order(ByteOrder.nativeOrder());
        this.floats = physical.dataType() == DataType.FLOAT ? bytes.asFloatBuffer() : null;
        this.doubles = physical.dataType() == DataType.DOUBLE ? bytes.asDoubleBuffer() : null;
    }

    /**
     * A buffer for {@code act} [N, ...]: a view when its memory is c-order [N, F] or (rank 4)
     * [C, N, H, W] of floats or doubles, else over a c-order float copy.
     */
    static ActivationBuffer of(INDArray act) {
        ActivationBuffer b = view(act);
        if (b == null) {
            b = view(act.castTo(act.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT).dup('c'));
            b.copy = true;
        }
        return b;
    }

    /** True when this reads a copy (made in the current workspace), not the activations' own memory. */
    boolean isCopy() {
        return copy;
    }

    private static ActivationBuffer view(INDArray act) {
        if (act.dataType() != DataType.FLOAT && act.dataType() != DataType.DOUBLE || act.length() > Integer.MAX_VALUE) {
            return null;
        }
        long n = act.size(0);
        ActivationBuffer b = null;
        if (isCContiguous(act)) {
            b = new ActivationBuffer(act, 1, (int) n, (int) (act.length() / n));
        } else if (act.rank() == 4 && isCContiguous(act.permute(1, 0, 2, 3))) {
            b = new ActivationBuffer(act, (int) act.size(1), (int) n, (int) (act.size(2) * act.size(3)));
        }
        long capacity = b == null ? 0 : b.floats != null ? b.floats.capacity() : b.doubles.capacity();
        return b != null && b.offset + act.length() <= capacity ? b : null;
    }

    /** O, the number of outer blocks (channels of a [C, N, H, W] layout, else 1). */
    int outer() {
        return outer;
    }

    /** Gram matrices and equivariance products of {@code count} sets of |G| rows. */
    record SetProducts(double[] gram, double[] cross) {
    }

    /**
     * For sets k = 0..count−1 of rows row(k, j) = first + k·setStep + j·memberStride
     * (j = 0..order−1): gram[k][j][l] = ⟨row j, row l⟩ and, for every g whose {@code innerMaps[g]}
     * or {@code outerMaps[g]} is given (or whose {@code permute[g]} is true),
     * cross[k][g] = ⟨row g, ρ(g)·row ref⟩ with (ρ(g)c)(o, i) = c(outerMaps[g][o], innerMaps[g][i])
     * (null map = identity). cross[k][ref] = gram[k][ref][ref].
     */
    SetProducts sets(int count, int first, int setStep, int memberStride, int order, int ref,
                     boolean[] permute, int[][] outerMaps, int[][] innerMaps) {
        double[] gram = new double[count * order * order];
        double[] cross = permute == null ? null : new double[count * order];
        IntStream.range(0, (count + ITEMS_PER_TASK - 1) / ITEMS_PER_TASK).parallel().forEach(task -> {
            // padded to a multiple of 4 rows (extra rows stay zero) for the 4×4 register tiles
            double[][] rowsOf = new double[(order + 3) / 4 * 4][inner];
            double[] tile = new double[16];
            double[] moved = new double[inner];
            float[] scratch = floats == null ? null : new float[inner];
            int end = Math.min(count, (task + 1) * ITEMS_PER_TASK);
            for (int k = task * ITEMS_PER_TASK; k < end; k++) {
                int base = first + k * setStep;
                for (int o = 0; o < outer; o++) {
                    for (int j = 0; j < order; j++) {
                        load(o, base + j * memberStride, rowsOf[j], scratch);   // j < order
                    }
                    addGram(rowsOf, order, gram, k * order * order, tile);
                    if (cross != null) {
                        for (int g = 0; g < order; g++) {
                            if (g == ref || !permute[g]) {
                                continue;
                            }
                            double[] source = rowsOf[ref];
                            if (outerMaps[g] != null && outerMaps[g][o] != o) {
                                load(outerMaps[g][o], base + ref * memberStride, moved, scratch);
                                source = moved;
                            }
                            cross[k * order + g] += innerMaps[g] == null ? dot(rowsOf[g], source)
                                    : gatherDot(rowsOf[g], source, innerMaps[g]);
                        }
                    }
                }
                int at = k * order * order;
                for (int j = 0; j < order; j++) {
                    for (int l = 0; l < j; l++) {
                        gram[at + j * order + l] = gram[at + l * order + j];
                    }
                }
                if (cross != null) {
                    cross[k * order + ref] = gram[at + ref * order + ref];
                }
            }
        });
        return new SetProducts(gram, cross);
    }

    private void load(int o, int row, double[] into, float[] scratch) {
        int at = (int) (offset + ((long) o * rows + row) * inner);
        if (floats != null) {
            floats.get(at, scratch, 0, inner);
            for (int i = 0; i < inner; i++) {
                into[i] = scratch[i];
            }
        } else {
            doubles.get(at, into, 0, inner);
        }
    }

    /**
     * gram[at + j·order + l] += ⟨rows[j], rows[l]⟩ for j ≤ l, in 4×4 tiles: each tile is one pass
     * over the features with 16 (10 on the diagonal) independent accumulators, so each loaded
     * value feeds four products (about twice as fast as separate dot products here).
     */
    private static void addGram(double[][] rows, int order, double[] gram, int at, double[] tile) {
        for (int jb = 0; jb < order; jb += 4) {
            for (int lb = jb; lb < order; lb += 4) {
                if (jb == lb) {
                    diagonalTile(rows[jb], rows[jb + 1], rows[jb + 2], rows[jb + 3], tile);
                } else {
                    tile(rows[jb], rows[jb + 1], rows[jb + 2], rows[jb + 3],
                            rows[lb], rows[lb + 1], rows[lb + 2], rows[lb + 3], tile);
                }
                for (int j = jb; j < Math.min(order, jb + 4); j++) {
                    for (int l = Math.max(lb, j); l < Math.min(order, lb + 4); l++) {
                        gram[at + j * order + l] += tile[(j - jb) * 4 + (l - lb)];
                    }
                }
            }
        }
    }

    /** out[4j + l] = ⟨a_j, a_l⟩ for j ≤ l < 4. */
    private static void diagonalTile(double[] a0, double[] a1, double[] a2, double[] a3, double[] out) {
        double s00 = 0;
        double s01 = 0;
        double s02 = 0;
        double s03 = 0;
        double s11 = 0;
        double s12 = 0;
        double s13 = 0;
        double s22 = 0;
        double s23 = 0;
        double s33 = 0;
        for (int i = 0; i < a0.length; i++) {
            double v0 = a0[i];
            double v1 = a1[i];
            double v2 = a2[i];
            double v3 = a3[i];
            s00 += v0 * v0;
            s01 += v0 * v1;
            s02 += v0 * v2;
            s03 += v0 * v3;
            s11 += v1 * v1;
            s12 += v1 * v2;
            s13 += v1 * v3;
            s22 += v2 * v2;
            s23 += v2 * v3;
            s33 += v3 * v3;
        }
        out[0] = s00;
        out[1] = s01;
        out[2] = s02;
        out[3] = s03;
        out[5] = s11;
        out[6] = s12;
        out[7] = s13;
        out[10] = s22;
        out[11] = s23;
        out[15] = s33;
    }

    /** out[4j + l] = ⟨a_j, b_l⟩ for j, l < 4. */
    private static void tile(double[] a0, double[] a1, double[] a2, double[] a3,
                             double[] b0, double[] b1, double[] b2, double[] b3, double[] out) {
        double s00 = 0;
        double s01 = 0;
        double s02 = 0;
        double s03 = 0;
        double s10 = 0;
        double s11 = 0;
        double s12 = 0;
        double s13 = 0;
        double s20 = 0;
        double s21 = 0;
        double s22 = 0;
        double s23 = 0;
        double s30 = 0;
        double s31 = 0;
        double s32 = 0;
        double s33 = 0;
        for (int i = 0; i < a0.length; i++) {
            double x0 = a0[i];
            double x1 = a1[i];
            double x2 = a2[i];
            double x3 = a3[i];
            double y0 = b0[i];
            double y1 = b1[i];
            double y2 = b2[i];
            double y3 = b3[i];
            s00 += x0 * y0;
            s01 += x0 * y1;
            s02 += x0 * y2;
            s03 += x0 * y3;
            s10 += x1 * y0;
            s11 += x1 * y1;
            s12 += x1 * y2;
            s13 += x1 * y3;
            s20 += x2 * y0;
            s21 += x2 * y1;
            s22 += x2 * y2;
            s23 += x2 * y3;
            s30 += x3 * y0;
            s31 += x3 * y1;
            s32 += x3 * y2;
            s33 += x3 * y3;
        }
        double[] v = {s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33};
        System.arraycopy(v, 0, out, 0, 16);
    }

    private static double dot(double[] a, double[] b) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int n = a.length;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double gatherDot(double[] a, double[] b, int[] map) {
        double s0 = 0;
        double s1 = 0;
        int n = a.length;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            s0 += a[i] * b[map[i]];
            s1 += a[i + 1] * b[map[i + 1]];
        }
        for (; i < n; i++) {
            s0 += a[i] * b[map[i]];
        }
        return s0 + s1;
    }

    static boolean isCContiguous(INDArray a) {
        long expected = 1;
        for (int i = a.rank() - 1; i >= 0; i--) {
            if (a.size(i) != 1 && a.stride(i) != expected) {
                return false;
            }
            expected *= a.size(i);
        }
        return true;
    }
}
