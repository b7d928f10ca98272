package org.dl4jinvariance.metric;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.SpecifiedIndex;

/**
 * Reduces one layer's activations for a probe batch — rows [g·B, (g+1)·B) hold f(g·x), then two
 * blocks of B rows per {@link Perturbation} (T_ε x, T_−ε x) — to the {@link OrbitStatistic}s
 * its metrics read, while the activations are still in DL4J's workspace.
 *
 * <p>Gram matrices and equivariance products ⟨f(g·x), ρ(g)f(x)⟩ (ρ(g) an index permutation)
 * come from one pass over the activations' native memory ({@link ActivationBuffer}) for the
 * orbits and one over the identity rows for the distinct-input sets; nothing is copied. Only
 * interpolating ρ(g) (bilinear rotations) go through {@link org.dl4jinvariance.field.FieldType#apply}.
 */
final class OrbitReducer {

    private final ProbedLayer layer;
    private final Set<OrbitStatistic> statistics;
    private final List<Perturbation> perturbations;
    private final boolean nhwc;
    private final Map<String, FieldTransform> transforms = new HashMap<>();

    /** @param nhwc the layer's feature maps are [B, H, W, C] */
    OrbitReducer(ProbedLayer layer, Set<OrbitStatistic> statistics, List<Perturbation> perturbations, boolean nhwc) {
        this.layer = layer;
        this.statistics = statistics;
        this.perturbations = perturbations;
        this.nhwc = nhwc;
    }

    OrbitActivations reduce(INDArray activations, int examples, int[] classes) {
        OrbitActivations o = new OrbitActivations(layer, examples, classes);
        int order = layer.group().order();
        int e = layer.group().identity();
        int sets = examples / order;
        INDArray act = nhwc && activations.rank() == 4 ? activations.permute(0, 3, 1, 2) : activations;
        boolean equivariance = statistics.contains(OrbitStatistic.EQUIVARIANCE) && layer.field() != null;
        if (statistics.contains(OrbitStatistic.GRAM) || statistics.contains(OrbitStatistic.BASELINE_GRAM) || equivariance) {
            ActivationBuffer buffer = ActivationBuffer.of(act);
            FieldTransform rho = equivariance ? transform(o, act) : null;
            boolean[] permute = null;
            int[][] outerMaps = new int[order][];
            int[][] innerMaps = new int[order][];
            if (rho != null) {
                permute = new boolean[order];
                for (int g = 0; g < order; g++) {
                    permute[g] = rho.isPermutation(g);
                    if (permute[g]) {
                        outerMaps[g] = rho.outerMap(g, buffer.outer());
                        innerMaps[g] = rho.innerMap(g, buffer.outer());
                    }
                }
            }
            ActivationBuffer.SetProducts orbit = buffer.sets(examples, 0, 1, examples, order, e, permute, outerMaps, innerMaps);
            ActivationBuffer.SetProducts baseline = buffer.sets(sets, e * examples, order, 1, order, e, permute, outerMaps, innerMaps);
            o.gram = orbit.gram();
            o.baselineGram = baseline.gram();
            if (rho != null) {
                o.equivarianceInner = orbit.cross();
                o.baselineEquivarianceInner = baseline.cross();
                o.transformedNormSq = new double[examples * order];
                for (int b = 0; b < examples; b++) {
                    Arrays.fill(o.transformedNormSq, b * order, (b + 1) * order, o.gram[(b * order + e) * order + e]);
                }
                interpolated(o, rho, act, permute, examples, sets);
            }
        }
        if (statistics.contains(OrbitStatistic.FEATURES)) {
            o.features = toRows(rows(act, 0, (long) order * examples));
        }
        if (statistics.contains(OrbitStatistic.LIE)) {
            for (int i = 0; i < perturbations.size(); i++) {
                long start = (long) order * examples + 2L * i * examples;
                INDArray diff = rows(act, start, start + examples).sub(rows(act, start + examples, start + 2L * examples));
                double[] sq = FieldTransform.dot(diff, diff);
                o.lieNorms.put(perturbations.get(i), Arrays.stream(sq).map(Math::sqrt).toArray());
            }
        }
        return o;
    }

    /** ρ for this layer's feature shape, or null (with the reason recorded) when the field cannot act on it. */
    private FieldTransform transform(OrbitActivations o, INDArray act) {
        long[] exampleShape = Arrays.copyOfRange(act.shape(), 1, act.rank());
        try {
            return transforms.computeIfAbsent(Arrays.toString(exampleShape),
                    k -> new FieldTransform(layer.field(), layer.group().order(), exampleShape));
        } catch (IllegalArgumentException ex) {
            o.equivarianceUnavailable = layer.field().describe() + " does not act on features of shape "
                    + Arrays.toString(exampleShape) + ": " + ex.getMessage();
            return null;
        }
    }

    /** Equivariance products for the elements whose ρ(g) interpolates, through the field itself. */
    private static void interpolated(OrbitActivations o, FieldTransform rho, INDArray act, boolean[] permute,
                                     int examples, int sets) {
        int order = permute.length;
        int e = o.group().identity();
        INDArray identity = rows(act, (long) e * examples, (long) (e + 1) * examples);
        for (int g = 0; g < order; g++) {
            if (permute[g]) {
                continue;
            }
            INDArray moved = rho.apply(g, identity);
            double[] dots = FieldTransform.dot(rows(act, (long) g * examples, (long) (g + 1) * examples), moved);
            double[] norms = FieldTransform.dot(moved, moved);
            for (int b = 0; b < examples; b++) {
                o.equivarianceInner[b * order + g] = dots[b];
                o.transformedNormSq[b * order + g] = norms[b];
            }
            if (sets > 0) {
                double[] cross = FieldTransform.dot(everyNth(identity, g, order, sets), everyNth(moved, e, order, sets));
                for (int s = 0; s < sets; s++) {
                    o.baselineEquivarianceInner[s * order + g] = cross[s];
                }
            }
        }
    }

    /** A batch [n, ...] as n Java rows of its flattened features. */
    private static double[][] toRows(INDArray batch) {
        int n = (int) batch.size(0);
        int f = (int) (batch.length() / n);
        double[] flat = batch.dup('c').reshape(batch.length()).toDoubleVector();
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(flat, i * f, (i + 1) * f);
        }
        return out;
    }

    /**
     * Rows start, start + step, …, start + (count − 1)·step (a copy; ND4J M2.1's strided interval
     * index returns wrong rows, and splitting a permuted view by reshape returned an empty array).
     */
    static INDArray everyNth(INDArray a, int start, int step, int count) {
        long[] picked = new long[count];
        for (int k = 0; k < count; k++) {
            picked[k] = start + (long) k * step;
        }
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        Arrays.fill(idx, NDArrayIndex.all());
        idx[0] = new SpecifiedIndex(picked);
        return a.get(idx);
    }

    /** Rows [from, to) of an array of any rank. */
    private static INDArray rows(INDArray a, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        idx[0] = NDArrayIndex.interval(from, to);
        Arrays.fill(idx, 1, idx.length, NDArrayIndex.all());
        return a.get(idx);
    }
}
