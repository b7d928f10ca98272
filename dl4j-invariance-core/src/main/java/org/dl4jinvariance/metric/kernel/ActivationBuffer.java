package org.dl4jinvariance.metric.kernel;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
public final class ActivationBuffer {

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
     * The most bytes one buffer reads: a NIO view ({@code ByteBuffer}) addresses at most
     * 2^31 − 1 bytes. {@link MemoryBudget} sizes chunks so that every probed activation stays
     * below it.
     */
    public static final long MAX_VIEW_BYTES = Integer.MAX_VALUE;

    /**
     * A buffer for {@code act} [N, ...]: a view when its memory is c-order [N, F] or (rank 4)
     * [C, N, H, W] of floats or doubles, else over a c-order float copy (double stays double).
     * Never null.
     *
     * @throws IllegalStateException naming the shape, its size and the settings to lower, when
     *                               the activations (or their copy) take more than
     *                               {@link #MAX_VIEW_BYTES} bytes: checked before anything is copied
     */
    public static ActivationBuffer of(INDArray act) {
        // The NIO view reads host memory: on a GPU backend the device's values must be copied
        // there first (a no-op on the CPU backend). That copy is what ReductionPath.ND4J avoids.
        Nd4j.getAffinityManager().ensureLocation(act, AffinityManager.Location.HOST);
        ActivationBuffer b = view(act);
        if (b == null) {
            DataType copyType = copyType(act.dataType());
            checkViewable(act.shape(), act.dataType(), copyType);
            INDArray copy = act.castTo(copyType).dup('c');
            b = view(copy);
            if (b == null) {
                // Not expected: a fresh c-order float/double copy within MAX_VIEW_BYTES is always viewable.
                throw new IllegalStateException("Cannot read activations of shape " + Arrays.toString(act.shape())
                        + " through a NIO view, not even their c-order " + copyType + " copy (offset "
                        + copy.offset() + ", buffer length " + copy.data().length() + ")");
            }
            b.copy = true;
        }
        return b;
    }

    /** The type {@link #of} copies activations of {@code type} to when they cannot be viewed. */
    public static DataType copyType(DataType type) {
        return type == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
    }

    /**
     * Refuses activations of {@code shape} that {@link #of} could not read, by the size check
     * alone: their bytes as {@code type} or as their copy of {@code copyType} exceed
     * {@link #MAX_VIEW_BYTES}.
     *
     * @throws IllegalStateException naming the shape, the bytes and the settings to lower
     */
    public static void checkViewable(long[] shape, DataType type, DataType copyType) {
        long elements = 1;
        for (long d : shape) {
            // saturates instead of overflowing: only "more than MAX_VIEW_BYTES" matters
            elements = d == 0 ? 0 : elements > MAX_VIEW_BYTES / d ? MAX_VIEW_BYTES + 1 : elements * d;
        }
        int width = Math.max(type.width(), copyType.width());
        if (elements > MAX_VIEW_BYTES / width) {
            String bytes = elements > MAX_VIEW_BYTES ? "more than " + MAX_VIEW_BYTES : String.valueOf(elements * width);
            throw new IllegalStateException("Activations of shape " + Arrays.toString(shape) + " (" + type
                    + (copyType != type ? ", read as a " + copyType + " copy" : "") + ") take " + bytes
                    + " bytes, more than the " + MAX_VIEW_BYTES + " bytes (2^31 - 1) the metric engine reads through one "
                    + "NIO view; lower maxBatchBytes (or maxBatch) so that fewer orbit rows share one forward pass");
        }
    }

    /** True when this reads a copy (made in the current workspace), not the activations' own memory. */
    public boolean isCopy() {
        return copy;
    }

    /** A view of {@code act}'s own memory, or null when its type, layout or size does not allow one. */
    private static ActivationBuffer view(INDArray act) {
        if (act.dataType() != DataType.FLOAT && act.dataType() != DataType.DOUBLE) {
            return null;
        }
        // The NIO view covers the whole data buffer, which may be larger than this array.
        if (act.data().length() > MAX_VIEW_BYTES / act.dataType().width()) {
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
    public int outer() {
        return outer;
    }

    /** Gram matrices and equivariance products of {@code count} sets of |G| rows. */
    public record SetProducts(double[] gram, double[] cross) {
    }

    /**
     * For sets k = 0..count−1 of rows row(k, j) = first + k·setStep + j·memberStride
     * (j = 0..order−1): gram[k][j][l] = ⟨row j, row l⟩ and, for every g whose {@code innerMaps[g]}
     * or {@code outerMaps[g]} is given (or whose {@code permute[g]} is true),
     * cross[k][g] = ⟨row g, ρ(g)·row ref⟩ with (ρ(g)c)(o, i) = c(outerMaps[g][o], innerMaps[g][i])
     * (null map = identity). cross[k][ref] = gram[k][ref][ref]. Runs on the common pool.
     */
    public SetProducts sets(int count, int first, int setStep, int memberStride, int order, int ref,
                     boolean[] permute, int[][] outerMaps, int[][] innerMaps) {
        return sets(count, first, setStep, memberStride, order, ref, permute, outerMaps, innerMaps, null);
    }

    /**
     * {@link #sets(int, int, int, int, int, int, boolean[], int[][], int[][])} for sets whose
     * member j is not element j: member j of set k acts as group element
     * {@code elements[k·order + j]} (its {@code permute}, {@code outerMaps} and {@code innerMaps}
     * entries, which stay indexed by element); cross[k][j] = ⟨row j, ρ(elements[k·order + j])·row ref⟩.
     * {@code elements} null: member j is element j.
     */
    public SetProducts sets(int count, int first, int setStep, int memberStride, int order, int ref,
                     boolean[] permute, int[][] outerMaps, int[][] innerMaps, int[] elements) {
        SetJob job = job(count, first, setStep, memberStride, order, ref, permute, outerMaps, innerMaps, elements);
        IntStream.range(0, job.tasks()).parallel().forEach(job::run);
        return job.products();
    }

    /**
     * The work of {@link #sets}, split into {@link SetJob#tasks()} independent tasks of
     * {@value #ITEMS_PER_TASK} sets that any threads may run, each exactly once, in any order.
     */
    public SetJob job(int count, int first, int setStep, int memberStride, int order, int ref,
                      boolean[] permute, int[][] outerMaps, int[][] innerMaps) {
        return job(count, first, setStep, memberStride, order, ref, permute, outerMaps, innerMaps, null);
    }

    /**
     * {@link #job(int, int, int, int, int, int, boolean[], int[][], int[][])} with member j of set k
     * acting as element {@code elements[k·order + j]} (null: element j), as in
     * {@link #sets(int, int, int, int, int, int, boolean[], int[][], int[][], int[])}.
     */
    public SetJob job(int count, int first, int setStep, int memberStride, int order, int ref,
                      boolean[] permute, int[][] outerMaps, int[][] innerMaps, int[] elements) {
        return new SetJob(count, first, setStep, memberStride, order, ref, permute, outerMaps, innerMaps, elements);
    }

    /** {@link #sets} as tasks; {@link #products()} is complete once every task has run. */
    public final class SetJob {
        private final int count;
        private final int first;
        private final int setStep;
        private final int memberStride;
        private final int order;
        private final int ref;
        private final boolean[] permute;
        private final int[][] outerMaps;
        private final int[][] innerMaps;
        private final int[] elements;
        private final double[] gram;
        private final double[] cross;

        private SetJob(int count, int first, int setStep, int memberStride, int order, int ref,
                       boolean[] permute, int[][] outerMaps, int[][] innerMaps, int[] elements) {
            this.count = count;
            this.first = first;
            this.setStep = setStep;
            this.memberStride = memberStride;
            this.order = order;
            this.ref = ref;
            this.permute = permute;
            this.outerMaps = outerMaps;
            this.innerMaps = innerMaps;
            this.elements = elements;
            this.gram = new double[count * order * order];
            this.cross = permute == null ? null : new double[count * order];
        }

        /** The number of tasks. */
        public int tasks() {
            return (count + ITEMS_PER_TASK - 1) / ITEMS_PER_TASK;
        }

        /** Runs task {@code task} (sets task·{@value #ITEMS_PER_TASK} onwards). */
        public void run(int task) {
            // padded to a multiple of 4 rows (extra rows stay zero) for the 4×4 register tiles
            PlaneRows rowsOf = PlaneRows.forBuffer(floats, (order + 3) / 4 * 4, inner);
            PlaneRows moved = PlaneRows.forBuffer(floats, 1, inner);
            double[] tile = new double[16];
            int[][] fusedMaps = new int[4][];
            double[] fusedCross = new double[4];
            int end = Math.min(count, (task + 1) * ITEMS_PER_TASK);
            // Channel by channel: for a [C, N, H·W] layout, the sets' rows of one channel are
            // consecutive in memory, so each member is read as one sequential stream.
            for (int o = 0; o < outer; o++) {
                for (int k = task * ITEMS_PER_TASK; k < end; k++) {
                    int base = first + k * setStep;
                    for (int j = 0; j < order; j++) {
                        rowsOf.load(floats, doubles, index(o, base + j * memberStride), j);
                    }
                    if (fusedMaps(o, k, rowsOf, fusedMaps)) {
                        rowsOf.gramAndCross(fusedMaps, tile, fusedCross);
                        addFused(k, tile, fusedCross);
                        continue;
                    }
                    rowsOf.addGram(order, gram, k * order * order, tile);
                    if (cross != null) {
                        for (int j = 0; j < order; j++) {
                            int g = elements == null ? j : elements[k * order + j];
                            if (j == ref || !permute[g]) {
                                continue;
                            }
                            if (outerMaps[g] != null && outerMaps[g][o] != o) {
                                moved.load(floats, doubles, index(outerMaps[g][o], base + ref * memberStride), 0);
                                cross[k * order + j] += rowsOf.dot(j, moved, 0, innerMaps[g]);
                            } else {
                                cross[k * order + j] += rowsOf.dot(j, rowsOf, ref, innerMaps[g]);
                            }
                        }
                    }
                }
            }
            for (int k = task * ITEMS_PER_TASK; k < end; k++) {
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
        }

        /**
         * Fills {@code maps} (entries 1–3) with ρ(g) of members 1–3 of set k in channel o and
         * returns true when the fused pass ({@link PlaneRows#gramAndCross}) computes this set's
         * products: float rows, four members, the reference first, and every other member wanting
         * its equivariance product through an index map within the same channel.
         */
        private boolean fusedMaps(int o, int k, PlaneRows rowsOf, int[][] maps) {
            if (order != 4 || ref != 0 || cross == null || !rowsOf.fusesCross()) {
                return false;
            }
            for (int j = 1; j < 4; j++) {
                int g = elements == null ? j : elements[k * order + j];
                if (!permute[g] || innerMaps[g] == null || (outerMaps[g] != null && outerMaps[g][o] != o)) {
                    return false;
                }
                maps[j] = innerMaps[g];
            }
            return true;
        }

        /** Adds one channel's fused products of set k (four members): the Gram tile's upper triangle, cross 1–3. */
        private void addFused(int k, double[] tile, double[] crossParts) {
            int at = k * 16;
            for (int j = 0; j < 4; j++) {
                for (int l = j; l < 4; l++) {
                    gram[at + j * 4 + l] += tile[j * 4 + l];
                }
            }
            for (int j = 1; j < 4; j++) {
                cross[k * 4 + j] += crossParts[j];
            }
        }

        /** The products; complete once every task has run. */
        public SetProducts products() {
            return new SetProducts(gram, cross);
        }
    }

    /** Absolute buffer index of element (o, row, 0). */
    private int index(int o, int row) {
        return (int) (offset + ((long) o * rows + row) * inner);
    }

    public static boolean isCContiguous(INDArray a) {
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
