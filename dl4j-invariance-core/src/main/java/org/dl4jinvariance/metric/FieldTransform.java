package org.dl4jinvariance.metric;

import java.util.Arrays;
import org.dl4jinvariance.field.FieldType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Reverse;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ρ(g) for one field type and one feature shape, applied with native ND4J ops where possible.
 *
 * <p>For the exact cases (multiples of 90°, mirrors, regular-field channel permutations) ρ(g)
 * is "transpose the spatial axes or not, reverse some of them, then permute channels". Which
 * combination is found once per element by applying {@link FieldType#apply} to a small probe
 * array with distinct entries, so this class can never disagree with the field's definition;
 * the transform itself then runs as a permuted view plus one native {@code reverse}, instead of
 * a copy through Java arrays. Anything else (bilinear rotations) falls back to
 * {@link FieldType#apply}.
 */
final class FieldTransform {

    private final FieldType field;
    private final Plan[] plans;

    /** transpose H↔W, then reverse H / W, then out channel c ← channel channels[c] (null = same). */
    private record Plan(boolean exact, boolean transpose, boolean flipH, boolean flipW, int[] channels) {
    }

    /**
     * @param exampleShape one example's feature shape: [C, H, W] or [C]
     * @throws IllegalArgumentException when the field cannot act on this shape
     */
    FieldTransform(FieldType field, int order, long[] exampleShape) {
        this.field = field;
        this.plans = new Plan[order];
        for (int g = 0; g < order; g++) {
            plans[g] = field.isTrivial() ? new Plan(true, false, false, false, null) : discover(g, exampleShape);
        }
    }

    /** True when ρ(g) permutes entries, so ‖ρ(g)f‖ = ‖f‖. */
    boolean preservesNorm(int g) {
        return plans[g].exact();
    }

    /** ρ(g)·x for a batch x [B, ...]; a new c-order array (in the current workspace). */
    INDArray apply(int g, INDArray x) {
        Plan p = plans[g];
        if (!p.exact()) {
            return field.apply(g, x).dup('c');
        }
        INDArray y = x;
        if (p.transpose()) {
            y = y.permute(0, 1, 3, 2);
        }
        if (p.flipH() || p.flipW()) {
            int[] dims = p.flipH() && p.flipW() ? new int[] {2, 3} : new int[] {p.flipH() ? 2 : 3};
            y = Nd4j.exec(new Reverse(y, dims))[0];
        } else {
            y = y.dup('c');
        }
        if (p.channels() == null) {
            return y;
        }
        INDArray out = Nd4j.createUninitialized(y.dataType(), y.shape(), 'c');
        for (int c = 0; c < p.channels().length; c++) {
            out.get(NDArrayIndex.all(), NDArrayIndex.point(c)).assign(y.get(NDArrayIndex.all(), NDArrayIndex.point(p.channels()[c])));
        }
        return out;
    }

    private Plan discover(int g, long[] shape) {
        int channels = (int) shape[0];
        boolean spatial = shape.length == 3;
        if (shape.length != 1 && !spatial) {
            return new Plan(false, false, false, false, null);
        }
        int h = spatial ? 3 : 1;
        int w = spatial ? (shape[1] == shape[2] ? 3 : 5) : 1;
        int plane = h * w;
        long[] probeShape = spatial ? new long[] {1, channels, h, w} : new long[] {1, channels};
        double[] values = new double[channels * plane];
        for (int i = 0; i < values.length; i++) {
            values[i] = i + 1;
        }
        INDArray probe = Nd4j.create(values, probeShape, 'c');
        double[] out = field.apply(g, probe).dup('c').data().asDouble();
        for (int t = 0; t <= (spatial && h == w ? 1 : 0); t++) {
            for (int fh = 0; fh <= (spatial ? 1 : 0); fh++) {
                for (int fw = 0; fw <= (spatial ? 1 : 0); fw++) {
                    int[] perm = match(out, channels, h, w, t == 1, fh == 1, fw == 1);
                    if (perm != null) {
                        boolean identity = Arrays.equals(perm, java.util.stream.IntStream.range(0, channels).toArray());
                        return new Plan(true, t == 1, fh == 1, fw == 1, identity ? null : perm);
                    }
                }
            }
        }
        return new Plan(false, false, false, false, null);
    }

    /** The channel permutation making {@code out} equal the candidate spatial op of the probe, or null. */
    private static int[] match(double[] out, int channels, int h, int w, boolean transpose, boolean flipH, boolean flipW) {
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
                    int sp = (int) (src % plane);
                    // after the optional transpose the array is h×w again (square when transposed)
                    int a = flipH ? h - 1 - i : i;
                    int b = flipW ? w - 1 - j : j;
                    int expected = transpose ? b * w + a : a * w + b;
                    if (sp != expected || (perm[c] >= 0 && perm[c] != sc)) {
                        return null;
                    }
                    perm[c] = sc;
                }
            }
        }
        return perm;
    }
}
