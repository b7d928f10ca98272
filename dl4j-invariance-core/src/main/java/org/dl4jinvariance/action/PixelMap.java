package org.dl4jinvariance.action;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A linear map of an H×W pixel grid applied to every (example, channel) plane of an NCHW
 * batch: out[p] = Σ_k weight[p][k] · in[source[p][k]], with missing sources reading 0.
 *
 * <p>When every output pixel copies exactly one input pixel the map is a permutation and is
 * applied by index copy, so 90° rotations and mirrors are bit-exact.
 */
final class PixelMap implements java.io.Serializable {

    private final int height;
    private final int width;
    /** [pixels][taps] source pixel index or -1; a permutation has one tap. */
    private final int[][] sources;
    /** [pixels][taps] interpolation weights, null for a permutation. */
    private final double[][] weights;

    private PixelMap(int height, int width, int[][] sources, double[][] weights) {
        this.height = height;
        this.width = width;
        this.sources = sources;
        this.weights = weights;
    }

    /**
     * The map out(i, j) = in(source(i, j)) for a plane transform given as a function from
     * output pixel centre (x right, y up, origin at the grid centre) to source point.
     * Sources on grid points are copied; others are bilinearly interpolated.
     */
    static PixelMap fromInverseTransform(int height, int width, PointMap inverse) {
        double cy = (height - 1) / 2.0;
        double cx = (width - 1) / 2.0;
        int pixels = height * width;
        int[][] src = new int[pixels][];
        double[][] w = new double[pixels][];
        boolean permutation = true;
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < width; j++) {
                double[] s = inverse.map(j - cx, cy - i);
                double si = cy - s[1];
                double sj = cx + s[0];
                int p = i * width + j;
                long ri = Math.round(si);
                long rj = Math.round(sj);
                if (Math.abs(si - ri) < 1e-9 && Math.abs(sj - rj) < 1e-9) {
                    boolean inside = ri >= 0 && ri < height && rj >= 0 && rj < width;
                    src[p] = new int[] {inside ? (int) (ri * width + rj) : -1};
                    w[p] = new double[] {1.0};
                    permutation &= inside;
                } else {
                    permutation = false;
                    bilinear(height, width, si, sj, src, w, p);
                }
            }
        }
        return new PixelMap(height, width, src, permutation ? null : w);
    }

    /** The permutation out[p] = in[source[p]]; {@code source} must be a permutation of the pixels. */
    static PixelMap permutation(int height, int width, int[] source) {
        int[][] src = new int[source.length][];
        for (int p = 0; p < source.length; p++) {
            src[p] = new int[] {source[p]};
        }
        return new PixelMap(height, width, src, null);
    }

    private static void bilinear(int height, int width, double si, double sj,
                                 int[][] src, double[][] w, int p) {
        int i0 = (int) Math.floor(si);
        int j0 = (int) Math.floor(sj);
        double di = si - i0;
        double dj = sj - j0;
        int[] taps = new int[4];
        double[] tw = new double[4];
        int k = 0;
        for (int a = 0; a <= 1; a++) {
            for (int b = 0; b <= 1; b++) {
                int ii = i0 + a;
                int jj = j0 + b;
                double weight = (a == 0 ? 1 - di : di) * (b == 0 ? 1 - dj : dj);
                boolean inside = ii >= 0 && ii < height && jj >= 0 && jj < width;
                taps[k] = inside ? ii * width + jj : -1;
                tw[k] = inside ? weight : 0.0;
                k++;
            }
        }
        src[p] = taps;
        w[p] = tw;
    }

    boolean isPermutation() {
        return weights == null;
    }

    /** Applies the map to the last two axes of a rank-4 [N, C, H, W] array. */
    INDArray apply(INDArray x) {
        long[] shape = x.shape();
        if (shape.length != 4 || shape[2] != height || shape[3] != width) {
            throw new IllegalArgumentException("Pixel map for " + height + "x" + width
                    + " images cannot transform an array of shape " + java.util.Arrays.toString(shape));
        }
        DataType type = x.dataType();
        if (type == DataType.DOUBLE) {
            double[] in = x.dup('c').data().asDouble();
            return Nd4j.create(applyDouble(in), shape, 'c');
        }
        INDArray asFloat = type == DataType.FLOAT ? x : x.castTo(DataType.FLOAT);
        float[] in = asFloat.dup('c').data().asFloat();
        INDArray out = Nd4j.create(applyFloat(in), shape, 'c');
        return type == DataType.FLOAT ? out : out.castTo(type);
    }

    private float[] applyFloat(float[] in) {
        float[] out = new float[in.length];
        applyFloat(in, out, in.length);
        return out;
    }

    /** out[i] = this map applied to in[i], for the planes of the first {@code length} values of {@code in}. */
    void applyFloat(float[] in, float[] out, int length) {
        int pixels = height * width;
        for (int base = 0; base < length; base += pixels) {
            for (int p = 0; p < pixels; p++) {
                int[] s = sources[p];
                if (weights == null) {
                    out[base + p] = in[base + s[0]];
                } else {
                    double v = 0;
                    double[] w = weights[p];
                    for (int k = 0; k < s.length; k++) {
                        if (s[k] >= 0) {
                            v += w[k] * in[base + s[k]];
                        }
                    }
                    out[base + p] = (float) v;
                }
            }
        }
    }

    private double[] applyDouble(double[] in) {
        double[] out = new double[in.length];
        applyDouble(in, out, in.length);
        return out;
    }

    /** out[i] = this map applied to in[i], for the planes of the first {@code length} values of {@code in}. */
    void applyDouble(double[] in, double[] out, int length) {
        int pixels = height * width;
        for (int base = 0; base < length; base += pixels) {
            for (int p = 0; p < pixels; p++) {
                int[] s = sources[p];
                if (weights == null) {
                    out[base + p] = in[base + s[0]];
                } else {
                    double v = 0;
                    double[] w = weights[p];
                    for (int k = 0; k < s.length; k++) {
                        if (s[k] >= 0) {
                            v += w[k] * in[base + s[k]];
                        }
                    }
                    out[base + p] = v;
                }
            }
        }
    }

    /** A map of plane points (x right, y up, origin at the grid centre). */
    @FunctionalInterface
    interface PointMap {
        double[] map(double x, double y);
    }
}
