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
        return b != null ? b : view(act.castTo(act.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT).dup('c'));
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
            double[][] rowsOf = new double[order][inner];
            double[] moved = new double[inner];
            float[] scratch = floats == null ? null : new float[inner];
            int end = Math.min(count, (task + 1) * ITEMS_PER_TASK);
            for (int k = task * ITEMS_PER_TASK; k < end; k++) {
                int base = first + k * setStep;
                for (int o = 0; o < outer; o++) {
                    for (int j = 0; j < order; j++) {
                        load(o, base + j * memberStride, rowsOf[j], scratch);
                    }
                    int at = k * order * order;
                    for (int j = 0; j < order; j++) {
                        for (int l = j; l < order; l++) {
                            gram[at + j * order + l] += dot(rowsOf[j], rowsOf[l]);
                        }
                    }
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
