package org.dl4jinvariance.layers;

import java.util.Arrays;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.PlanarGroup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The filter-expansion core shared by {@link LiftingConvolution} and {@link GroupConvolution}: a
 * fixed linear map from the layer's base filters ψ to the filters W of one plain convolution.
 *
 * <p>With G the group, T_g the spatial transform of a k×k filter by g (the image action of
 * {@link ImageActions#rotation}: an index permutation for multiples of 90° and mirrors, bilinear
 * interpolation otherwise) and H the group acting on the input channels (H = G for a group
 * convolution, H = {e} for a lifting convolution):
 * <pre>
 *   W[(f, g), (c, h)] = T_g ψ[f, c, g⁻¹·h]        output channel f·|G| + g, input channel c·|H| + h
 * </pre>
 * For groups that are not multiples of 90° (C8, D8, …) the filters live on a disk: taps farther
 * than (k − 1)/2 + ½ from the centre (the corners, which a rotation by 45° would move off the
 * k×k grid and so lose part of their weight) are zero in every expanded filter; those base
 * weights are unused (they get no gradient).
 *
 * <p>For every pair (f, c) this is one row vector times a constant matrix S of shape
 * [|H|·k², |G|·|H|·k²], S[(h', a), (g, h, b)] = [h' = g⁻¹·h] · (T_g)[b, a], so the forward pass is
 * one matrix product ψ₂ S (ψ₂ = ψ reshaped to [nOut·nIn, |H|·k²]) and the backward pass is its
 * adjoint: ∂L/∂ψ₂ = (∂L/∂W)₂ Sᵀ. A bias b[f] is shared by the |G| channels of its field.
 *
 * <p>Instances hold scratch buffers for one layer shape and are not thread-safe (like DL4J layers).
 */
public final class FilterExpansion {

    private final PlanarGroup group;
    private final int kernel;
    private final int inputOrder;
    private final long nOut;
    private final long nIn;
    /** S, cast to the layer's data type, outside any workspace. */
    private final INDArray selection;
    /** [nOut·nIn, |G|·|H|·k²] product buffer, outside any workspace. */
    private final INDArray scratch;

    /**
     * @param group      G, the group of the output fields
     * @param kernel     k, the (square) kernel size
     * @param inputOrder |H|: 1 for a lifting convolution (plain input), |G| for a group convolution
     * @param nOut       output fields
     * @param nIn        input fields (group convolution) or channels (lifting convolution)
     * @param dataType   the network's data type
     */
    public FilterExpansion(PlanarGroup group, int kernel, int inputOrder, long nOut, long nIn, DataType dataType) {
        if (inputOrder != 1 && inputOrder != group.order()) {
            throw new IllegalArgumentException("Input group order must be 1 (lifting) or |" + group.name() + "| = "
                    + group.order() + ", got " + inputOrder);
        }
        this.group = group;
        this.kernel = kernel;
        this.inputOrder = inputOrder;
        this.nOut = nOut;
        this.nIn = nIn;
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            this.selection = selectionMatrix(group, kernel, inputOrder).castTo(dataType);
            this.scratch = Nd4j.createUninitialized(dataType, new long[] {nOut * nIn, (long) group.order() * baseBlock()}, 'c');
        }
    }

    /** |H|·k², the base parameters per (output field, input field) pair. */
    private long baseBlock() {
        return (long) inputOrder * kernel * kernel;
    }

    /** Shape of the base filters ψ: [nOut, nIn, k, k] (lifting) or [nOut, nIn, |G|, k, k]. */
    public long[] baseShape() {
        return inputOrder == 1 ? new long[] {nOut, nIn, kernel, kernel}
                : new long[] {nOut, nIn, inputOrder, kernel, kernel};
    }

    /** Shape of the expanded filters W: [nOut·|G|, nIn·|H|, k, k], DL4J's ConvolutionLayer layout. */
    public long[] expandedShape() {
        return new long[] {nOut * group.order(), nIn * inputOrder, kernel, kernel};
    }

    /** W = expand(ψ), written into {@code expanded} (a c-order array of {@link #expandedShape()}). */
    public void expand(INDArray base, INDArray expanded) {
        INDArray base2d = view(base, nOut * nIn, baseBlock());
        Nd4j.gemm(base2d.castTo(scratch.dataType()), selection, scratch, false, false, 1.0, 0.0);
        // scratch is [f, c, g, (h, a)]; W is [f, g, c, (h, a)].
        INDArray target = view(expanded, nOut, group.order(), nIn, baseBlock());
        target.assign(scratch.reshape('c', nOut, nIn, group.order(), baseBlock()).permute(0, 2, 1, 3));
    }

    /** ∂L/∂ψ = fold(∂L/∂W), written into {@code baseGradient} (c-order, {@link #baseShape()}). */
    public void fold(INDArray expandedGradient, INDArray baseGradient) {
        INDArray source = view(expandedGradient, nOut, group.order(), nIn, baseBlock()).permute(0, 2, 1, 3);
        scratch.reshape('c', nOut, nIn, group.order(), baseBlock()).assign(source);
        Nd4j.gemm(scratch, selection, view(baseGradient, nOut * nIn, baseBlock()), false, true, 1.0, 0.0);
    }

    /** Expanded bias: channel f·|G| + g gets b[f]. */
    public void expandBias(INDArray base, INDArray expanded) {
        view(expanded, nOut, group.order()).assign(base.reshape(nOut, 1).broadcast(nOut, group.order()));
    }

    /** ∂L/∂b[f] = Σ_g ∂L/∂b_expanded[f·|G| + g]. */
    public void foldBias(INDArray expandedGradient, INDArray baseGradient) {
        baseGradient.assign(view(expandedGradient, nOut, group.order()).sum(1).reshape(baseGradient.shape()));
    }

    /** A new array holding expand(ψ), e.g. for exporting to a plain ConvolutionLayer. */
    public INDArray expanded(INDArray base) {
        INDArray out = Nd4j.create(scratch.dataType(), expandedShape(), 'c');
        expand(base, out);
        return out;
    }

    /** A new [nOut·|G|] array holding the expanded bias. */
    public INDArray expandedBias(INDArray base) {
        INDArray out = Nd4j.create(scratch.dataType(), new long[] {nOut * group.order()}, 'c');
        expandBias(base, out);
        return out;
    }

    /** True when S is a 0/1 matrix (every expanded weight copies one base weight). */
    public boolean isPermutation() {
        INDArray s = selection.castTo(DataType.DOUBLE);
        return s.eq(0.0).castTo(DataType.INT32).sumNumber().longValue()
                + s.eq(1.0).castTo(DataType.INT32).sumNumber().longValue() == s.length();
    }

    /** A no-copy view of a contiguous c-order array with another shape. */
    private static INDArray view(INDArray array, long... shape) {
        INDArray v = Shape.newShapeNoCopy(array, shape, false);
        if (v == null) {
            throw new IllegalStateException("Expected a contiguous c-order array of " + Arrays.toString(shape)
                    + " elements, got shape " + Arrays.toString(array.shape()) + " order " + array.ordering());
        }
        return v;
    }

    /**
     * S[(h', a), (g, h, b)] = [h' = g⁻¹·h] · (T_g)[b, a] · D[a] · D[b] in double precision; T_g is
     * read off the image action by transforming the k² one-hot filters; D is the disk support
     * (all ones for grid-exact groups).
     */
    static INDArray selectionMatrix(PlanarGroup group, int kernel, int inputOrder) {
        int kk = kernel * kernel;
        int order = group.order();
        GroupAction action = ImageActions.rotation(group);
        INDArray oneHot = Nd4j.eye(kk).castTo(DataType.DOUBLE).reshape('c', kk, 1, kernel, kernel);
        double[][] s = new double[inputOrder * kk][order * inputOrder * kk];
        boolean[] disk = support(group, kernel);
        for (int g = 0; g < order; g++) {
            // row a of moved = T_g e_a, i.e. moved[a, b] = (T_g)[b, a]
            double[][] moved = action.apply(g, oneHot).reshape('c', kk, kk).toDoubleMatrix();
            for (int h = 0; h < inputOrder; h++) {
                int hPrime = inputOrder == 1 ? 0 : group.compose(group.inverse(g), h);
                for (int a = 0; a < kk; a++) {
                    for (int b = 0; b < kk; b++) {
                        s[hPrime * kk + a][(g * inputOrder + h) * kk + b] = disk[a] && disk[b] ? moved[a][b] : 0.0;
                    }
                }
            }
        }
        return Nd4j.createFromArray(s);
    }

    /** The taps a filter may use: all for grid-exact groups, else those within (k − 1)/2 + ½ of the centre. */
    static boolean[] support(PlanarGroup group, int kernel) {
        boolean[] in = new boolean[kernel * kernel];
        double c = (kernel - 1) / 2.0;
        double r2 = (c + 0.5) * (c + 0.5);
        for (int i = 0; i < kernel; i++) {
            for (int j = 0; j < kernel; j++) {
                in[i * kernel + j] = group.isGridExact() || (i - c) * (i - c) + (j - c) * (j - c) <= r2;
            }
        }
        return in;
    }
}
