package org.dl4jinvariance.metric.kernel;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.factory.ops.NDBase;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link OrbitReduction} from ND4J operations, so it runs on whatever backend is active (on CUDA
 * the activations never leave the device; only the per-set numbers are copied back). For a
 * slice of n sets:
 * <ol>
 *   <li>X = the sets' rows as [n, |G|, F] in double (one {@code assign} per group element for
 *       the orbits, whose members are |G| row blocks of the batch; one for the baseline sets,
 *       which are consecutive rows) — the cast to double before any product keeps the figures
 *       within rounding of the Java path, which widens every float to double;</li>
 *   <li>Gram matrices K = X·Xᵀ, one batched {@code matmul} [n, |G|, F] × [n, F, |G|];</li>
 *   <li>equivariance products: Y = X flattened to [n, |G|·F] and gathered along axis 1 with
 *       the index map i(g·F + f) = e·F + σ_g(f), so that Y[k, g, f] = (ρ(g)x_e)[f]; then
 *       cross[k, g] = Σ_f X[k, g, f]·Y[k, g, f] ({@code muli}, {@code sum} over the last axis).</li>
 * </ol>
 * Slices keep X below {@link #SLICE_BYTES}, and every slice's arrays live in one reused
 * workspace of this class: the extra memory is bounded whatever the chunk, and allocating it
 * stays cheap (fresh off-heap memory per slice costs more than the products here).
 */
public final class Nd4jReduction implements OrbitReduction {

    /** The most bytes of one slice's double copy X (its gathered copy Y takes as much again). */
    public static final long SLICE_BYTES = 64L << 20;

    /** ND4J's generated op namespace (M2.1 has no {@code Nd4j.base()} accessor). */
    private static final NDBase BASE = new NDBase();

    private static final String WORKSPACE = "WS_INVARIANCE_ND4J_REDUCTION";
    private static final WorkspaceConfiguration WORKSPACE_CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.05)
            .policyLearning(LearningPolicy.OVER_TIME)
            .cyclesBeforeInitialization(2)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .build();

    @Override
    public Pass start(INDArray act, int examples, int order, int identity, FieldTransform rho, boolean[] permute) {
        long[] exampleShape = Arrays.copyOfRange(act.shape(), 1, act.rank());
        long features = 1;
        for (long d : exampleShape) {
            features *= d;
        }
        int[] gather = rho == null ? null : gatherIndex(rho, permute, order, identity, Math.toIntExact(features));
        int perSlice = (int) Math.max(1, Math.min(Integer.MAX_VALUE, SLICE_BYTES / (8L * order * Math.max(1, features))));
        int sets = examples / order;
        Layout layout = new Layout(act, exampleShape, features, examples, order, identity);
        Products products = new Products(
                reduce(layout, examples, perSlice, true, gather, permute),
                reduce(layout, sets, perSlice, false, gather, permute));
        return new Pass() {
            @Override
            public Products finish() {
                return products;
            }

            @Override
            public boolean readsActivations() {
                return false;
            }
        };
    }

    /** The batch and the chunk's dimensions. */
    private record Layout(INDArray act, long[] exampleShape, long features, int examples, int order, int identity) {
    }

    /** The products of {@code count} orbit (or baseline) sets, slice by slice. */
    private static ActivationBuffer.SetProducts reduce(Layout l, int count, int perSlice, boolean orbits, int[] gather,
            boolean[] permute) {
        int order = l.order();
        double[] gram = new double[count * order * order];
        double[] cross = gather == null ? null : new double[count * order];
        for (int from = 0; from < count; from += perSlice) {
            int n = Math.min(perSlice, count - from);
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE_CONFIG, WORKSPACE)) {
                INDArray x = orbits ? orbitRows(l, from, n) : baselineRows(l, from, n);
                INDArray sets = x.reshape('c', new long[] {n, order, l.features()});
                INDArray k = Nd4j.matmul(sets, sets, false, true, false);
                System.arraycopy(k.reshape('c', new long[] {(long) n * order * order}).toDoubleVector(), 0, gram, from * order * order,
                        n * order * order);
                if (cross != null) {
                    INDArray flat = sets.reshape('c', new long[] {n, order * l.features()});
                    INDArray moved = BASE.gather(flat, gather, 1).muli(flat);
                    INDArray dots = moved.reshape('c', new long[] {n, order, l.features()}).sum(2);
                    System.arraycopy(dots.reshape('c', new long[] {(long) n * order}).toDoubleVector(), 0, cross, from * order, n * order);
                }
            }
        }
        if (cross != null) {
            for (int k = 0; k < count; k++) {
                for (int g = 0; g < order; g++) {
                    if (!permute[g]) {
                        cross[k * order + g] = 0;   // not a permutation: the caller computes it through the field
                    }
                }
                // as the Java path: ⟨x_e, ρ(e)x_e⟩ = ‖x_e‖², the Gram diagonal
                cross[k * order + l.identity()] = gram[(k * order + l.identity()) * order + l.identity()];
            }
        }
        return new ActivationBuffer.SetProducts(gram, cross);
    }

    /** Orbits b = from..from+n−1 as a double [n, |G|, ...]: member g of orbit b is row g·B + b. */
    private static INDArray orbitRows(Layout l, int from, int n) {
        INDArray x = Nd4j.createUninitialized(DataType.DOUBLE, shape(new long[] {n, l.order()}, l.exampleShape()), 'c');
        for (int g = 0; g < l.order(); g++) {
            INDArrayIndex[] member = all(x.rank());
            member[1] = NDArrayIndex.point(g);
            long first = (long) g * l.examples() + from;
            x.get(member).assign(rows(l.act(), first, first + n));
        }
        return x;
    }

    /** Baseline sets s = from..from+n−1 as a double [n·|G|, ...]: consecutive rows from e·B + s·|G|. */
    private static INDArray baselineRows(Layout l, int from, int n) {
        long count = (long) n * l.order();
        INDArray x = Nd4j.createUninitialized(DataType.DOUBLE, shape(new long[] {count}, l.exampleShape()), 'c');
        long first = (long) l.identity() * l.examples() + (long) from * l.order();
        return x.assign(rows(l.act(), first, first + count));
    }

    /**
     * i(g·F + f) = e·F + σ_g(f) for every g whose ρ(g) is a permutation ((ρ(g)c)[f] = c[σ_g(f)]
     * on c-order features, {@link FieldTransform#innerMap} with one outer block), and g·F + f
     * (any index: the value is discarded) for the others.
     */
    static int[] gatherIndex(FieldTransform rho, boolean[] permute, int order, int identity, int features) {
        int[] index = new int[Math.multiplyExact(order, features)];
        for (int g = 0; g < order; g++) {
            int[] sigma = permute[g] ? rho.innerMap(g, 1) : null;
            int source = permute[g] ? identity * features : g * features;
            for (int f = 0; f < features; f++) {
                index[g * features + f] = source + (sigma == null ? f : sigma[f]);
            }
        }
        return index;
    }

    /** Rows [from, to) of an array of any rank (a view; contiguous intervals only). */
    private static INDArray rows(INDArray a, long from, long to) {
        INDArrayIndex[] idx = all(a.rank());
        idx[0] = NDArrayIndex.interval(from, to);
        return a.get(idx);
    }

    private static INDArrayIndex[] all(int rank) {
        INDArrayIndex[] idx = new INDArrayIndex[rank];
        Arrays.fill(idx, NDArrayIndex.all());
        return idx;
    }

    private static long[] shape(long[] head, long[] tail) {
        long[] s = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, s, head.length, tail.length);
        return s;
    }

    @Override
    public String toString() {
        return "ND4J";
    }
}
