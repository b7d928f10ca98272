package org.dl4jinvariance.metric.kernel;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.dl4jinvariance.field.FieldType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ρ(g) for one field type and one feature shape [C, H, W], [C] or any other (e.g. sequence
 * feature maps [C, T]), as an index map (ρ(g)c)[f] = c[σ_g(f)] wherever ρ(g) only moves entries
 * (multiples of 90°, mirrors, regular-field channel permutations, time shifts and reversal).
 *
 * <p>σ_g is found once per element by applying {@link FieldType#apply} to a small probe array
 * with distinct entries and recognizing "permute channels, transpose or not, reverse rows
 * and/or columns" — so it cannot disagree with the field's definition — and is then built for
 * the actual H×W. It factors into a channel map and a pixel map, so it also works on DL4J's
 * [C, N, H, W] memory layout ({@link ActivationBuffer}). For other shapes (sequence feature maps
 * [C, T]) the probe has the actual shape and σ_g is read off it whole. Other fields (bilinear
 * rotations) are not permutations: {@link #isPermutation} is false and callers apply the field
 * itself.
 */
public final class FieldTransform {

    private final FieldType field;
    private final long[] shape;
    private final Plan[] plans;

    /**
     * ρ(g)c = reverse rows/columns(transpose?(c with channel k ← channel channels[k])); or, when
     * {@code whole} is given (shapes other than [C] and [C, H, W]), (ρ(g)c)[f] = c[whole[f]].
     */
    private record Plan(boolean exact, boolean transpose, boolean flipH, boolean flipW, int[] channels, int[] whole) {
        Plan(boolean exact, boolean transpose, boolean flipH, boolean flipW, int[] channels) {
            this(exact, transpose, flipH, flipW, channels, null);
        }
    }

    /** The largest example (features) whose whole index map is read off a probe. */
    private static final long MAX_WHOLE_PROBE = 1 << 22;

    /**
     * @param exampleShape one example's feature shape: [C, H, W], [C] or any other
     * @throws IllegalArgumentException when the field cannot act on this shape (for shapes other
     *                                  than [C] and [C, H, W], found by applying it to a probe)
     */
    public FieldTransform(FieldType field, int order, long[] exampleShape) {
        this.field = field;
        this.shape = exampleShape.clone();
        this.plans = new Plan[order];
        for (int g = 0; g < order; g++) {
            plans[g] = field.isTrivial() ? new Plan(true, false, false, false, null) : discover(g, exampleShape);
        }
    }

    /** True when ρ(g) permutes entries (so ‖ρ(g)c‖ = ‖c‖ and the index maps exist). */
    public boolean isPermutation(int g) {
        return plans[g].exact();
    }

    /** ρ(g) applied by the field itself, for a batch [n, ...]. */
    public INDArray apply(int g, INDArray batch) {
        return field.apply(g, batch.dup('c'));
    }

    /**
     * The map of the outer index o of a [O, N, I] layout (O = C with I = H·W, or O = 1 with
     * I = all features): (ρ(g)c)(o, i) = c(outer[o], inner[i]); null = identity.
     */
    public int[] outerMap(int g, int outer) {
        Plan p = requireExact(g);
        return outer == 1 || p.channels() == null ? null : p.channels();
    }

    /** The map of the inner index i (see {@link #outerMap}); null = identity. */
    public int[] innerMap(int g, int outer) {
        Plan p = requireExact(g);
        if (p.whole() != null) {
            if (outer != 1) {
                throw new IllegalStateException("A whole-example index map needs the [1, N, F] layout, got " + outer
                        + " outer blocks");
            }
            return p.whole();
        }
        int[] pixels = shape.length == 3 ? pixelMap(p, (int) shape[1], (int) shape[2]) : null;
        if (outer != 1) {
            return pixels;
        }
        int channels = (int) shape[0];
        int plane = shape.length == 3 ? (int) (shape[1] * shape[2]) : 1;
        if (pixels == null && p.channels() == null) {
            return null;
        }
        int[] full = new int[channels * plane];
        for (int c = 0; c < channels; c++) {
            int from = (p.channels() == null ? c : p.channels()[c]) * plane;
            for (int i = 0; i < plane; i++) {
                full[c * plane + i] = from + (pixels == null ? i : pixels[i]);
            }
        }
        return full;
    }

    private Plan requireExact(int g) {
        if (!plans[g].exact()) {
            throw new IllegalStateException(field.describe() + " element " + g + " is not a permutation");
        }
        return plans[g];
    }

    /** Source pixel of every output pixel of an H×W plane, or null for the identity. */
    private static int[] pixelMap(Plan p, int h, int w) {
        if (!p.transpose() && !p.flipH() && !p.flipW()) {
            return null;
        }
        int[] map = new int[h * w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                map[i * w + j] = source(p, h, w, i, j);
            }
        }
        return map;
    }

    /** Source pixel of output (i, j): reverse the flipped axes, then undo the transpose (square when transposed). */
    private static int source(Plan p, int h, int w, int i, int j) {
        int a = p.flipH() ? h - 1 - i : i;
        int b = p.flipW() ? w - 1 - j : j;
        return p.transpose() ? b * w + a : a * w + b;
    }

    private Plan discover(int g, long[] exampleShape) {
        int channels = (int) exampleShape[0];
        boolean spatial = exampleShape.length == 3;
        if (exampleShape.length != 1 && !spatial) {
            return discoverWhole(g, exampleShape);
        }
        int h = spatial ? 3 : 1;
        int w = spatial ? (exampleShape[1] == exampleShape[2] ? 3 : 5) : 1;
        long[] probeShape = spatial ? new long[] {1, channels, h, w} : new long[] {1, channels};
        double[] values = new double[channels * h * w];
        for (int i = 0; i < values.length; i++) {
            values[i] = i + 1;
        }
        double[] out = field.apply(g, Nd4j.create(values, probeShape, 'c')).dup('c').data().asDouble();
        for (int t = 0; t <= (spatial && h == w ? 1 : 0); t++) {
            for (int fh = 0; fh <= (spatial ? 1 : 0); fh++) {
                for (int fw = 0; fw <= (spatial ? 1 : 0); fw++) {
                    Plan candidate = new Plan(true, t == 1, fh == 1, fw == 1, null);
                    int[] perm = match(out, channels, h, w, candidate);
                    if (perm != null) {
                        boolean identity = Arrays.equals(perm, IntStream.range(0, channels).toArray());
                        return new Plan(true, t == 1, fh == 1, fw == 1, identity ? null : perm);
                    }
                }
            }
        }
        return new Plan(false, false, false, false, null);
    }

    /**
     * σ_g of a shape other than [C] and [C, H, W] (sequence feature maps [C, T]), read off ρ(g)
     * applied to one probe example of that very shape with entries 1..F. The field's own
     * {@link IllegalArgumentException} (e.g. a time shift that is no action on this length)
     * propagates: ρ does not act on such features.
     */
    private Plan discoverWhole(int g, long[] exampleShape) {
        long size = 1;
        for (long d : exampleShape) {
            size *= d;
        }
        long[] probeShape = new long[exampleShape.length + 1];
        probeShape[0] = 1;
        System.arraycopy(exampleShape, 0, probeShape, 1, exampleShape.length);
        if (size > MAX_WHOLE_PROBE) {
            field.apply(g, Nd4j.zeros(DataType.DOUBLE, probeShape));
            return new Plan(false, false, false, false, null);
        }
        int f = (int) size;
        double[] values = new double[f];
        for (int i = 0; i < f; i++) {
            values[i] = i + 1;
        }
        INDArray moved = field.apply(g, Nd4j.create(values, probeShape, 'c'));
        if (!Arrays.equals(moved.shape(), probeShape)) {
            return new Plan(false, false, false, false, null);
        }
        double[] out = moved.dup('c').data().asDouble();
        int[] whole = new int[f];
        boolean[] seen = new boolean[f];
        boolean identity = true;
        for (int i = 0; i < f; i++) {
            long src = Math.round(out[i]) - 1;
            if (out[i] != src + 1 || src < 0 || src >= f || seen[(int) src]) {
                return new Plan(false, false, false, false, null);
            }
            seen[(int) src] = true;
            whole[i] = (int) src;
            identity &= src == i;
        }
        return new Plan(true, false, false, false, null, identity ? null : whole);
    }

    /** The channel permutation making {@code out} equal the candidate's pixel map of the probe, or null. */
    private static int[] match(double[] out, int channels, int h, int w, Plan candidate) {
        int plane = h * w;
        int[] perm = new int[channels];
        for (int c = 0; c < channels; c++) {
            perm[c] = -1;
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double v = out[c * plane + i * w + j];
                    long src = Math.round(v) - 1;
                    if (v != src + 1 || src < 0 || src >= (long) channels * plane) {
                        return null;
                    }
                    int sc = (int) (src / plane);
                    if ((int) (src % plane) != source(candidate, h, w, i, j) || (perm[c] >= 0 && perm[c] != sc)) {
                        return null;
                    }
                    perm[c] = sc;
                }
            }
        }
        return perm;
    }

    /** ⟨a_b, c_b⟩ for every row b of two equally shaped batches (any strides). */
    public static double[] dot(INDArray a, INDArray c) {
        int[] dims = IntStream.range(1, a.rank()).toArray();
        // Not ND4J's Dot op with dimensions: it reads the second array with the first one's strides.
        return a.mul(c).sum(dims).toDoubleVector();
    }
}
