package org.dl4jinvariance.metric;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Reduces one layer's activations for a probe batch — rows [g·B, (g+1)·B) hold f(g·x), then two
 * blocks of B rows per {@link Perturbation} (T_ε x, T_−ε x) — to the {@link OrbitStatistic}s
 * its metrics read, while the activations are still in DL4J's workspace. The heavy work is one
 * batched matmul for all per-example Gram matrices ([B, |G|, F]·[B, F, |G|]), one for the
 * baseline sets, and, for equivariance, one native transform plus row-wise dot products per
 * group element; everything after that is Java arithmetic on |G|×|G| numbers per example.
 */
final class OrbitReducer {

    private final ProbedLayer layer;
    private final Set<OrbitStatistic> statistics;
    private final List<Perturbation> perturbations;
    private final boolean doublePrecision;
    private final boolean nhwc;
    private final Map<String, FieldTransform> transforms = new HashMap<>();

    /**
     * @param doublePrecision compute inner products in double (for L2, where ‖a‖² + ‖b‖² − 2⟨a,b⟩ cancels)
     * @param nhwc            the layer's feature maps are [B, H, W, C]
     */
    OrbitReducer(ProbedLayer layer, Set<OrbitStatistic> statistics, List<Perturbation> perturbations,
                 boolean doublePrecision, boolean nhwc) {
        this.layer = layer;
        this.statistics = statistics;
        this.perturbations = perturbations;
        this.doublePrecision = doublePrecision;
        this.nhwc = nhwc;
    }

    OrbitActivations reduce(INDArray activations, int examples, int[] classes) {
        OrbitActivations o = new OrbitActivations(layer, examples, classes);
        int order = layer.group().order();
        int e = layer.group().identity();
        INDArray act = nhwc && activations.rank() == 4 ? activations.permute(0, 3, 1, 2) : activations;
        long[] exampleShape = Arrays.copyOfRange(act.shape(), 1, act.rank());
        long features = act.length() / act.size(0);
        INDArray flat = rows(act, 0, (long) order * examples).reshape('c', order, examples, features);
        if (doublePrecision && flat.dataType() != DataType.DOUBLE) {
            flat = flat.castTo(DataType.DOUBLE);
        }
        INDArray identity = flat.get(NDArrayIndex.point(e), NDArrayIndex.all(), NDArrayIndex.all());
        int sets = examples / order;
        if (statistics.contains(OrbitStatistic.GRAM) || statistics.contains(OrbitStatistic.EQUIVARIANCE)) {
            INDArray byExample = flat.permute(1, 0, 2);
            o.gram = toJava(Nd4j.matmul(byExample, byExample, false, true, false));
        }
        if ((statistics.contains(OrbitStatistic.BASELINE_GRAM) || statistics.contains(OrbitStatistic.EQUIVARIANCE)) && sets > 0) {
            INDArray members = identity.get(NDArrayIndex.interval(0, (long) sets * order), NDArrayIndex.all())
                    .reshape('c', sets, order, features);
            o.baselineGram = toJava(Nd4j.matmul(members, members, false, true, false));
        } else {
            o.baselineGram = new double[0];
        }
        if (statistics.contains(OrbitStatistic.EQUIVARIANCE) && layer.field() != null) {
            equivariance(o, flat, identity, exampleShape, examples, sets);
        }
        if (statistics.contains(OrbitStatistic.FEATURES)) {
            o.features = flat.reshape('c', (long) order * examples, features).toDoubleMatrix();
        }
        if (statistics.contains(OrbitStatistic.LIE)) {
            for (int i = 0; i < perturbations.size(); i++) {
                long start = (long) order * examples + 2L * i * examples;
                INDArray plus = rows(act, start, start + examples).reshape('c', examples, features);
                INDArray minus = rows(act, start + examples, start + 2L * examples).reshape('c', examples, features);
                o.lieNorms.put(perturbations.get(i), plus.sub(minus).norm2(1).toDoubleVector());
            }
        }
        return o;
    }

    private void equivariance(OrbitActivations o, INDArray flat, INDArray identity, long[] exampleShape,
                              int examples, int sets) {
        int order = layer.group().order();
        int e = layer.group().identity();
        FieldTransform rho;
        try {
            rho = transforms.computeIfAbsent(Arrays.toString(exampleShape),
                    k -> new FieldTransform(layer.field(), order, exampleShape));
        } catch (IllegalArgumentException ex) {
            o.equivarianceUnavailable = layer.field().describe() + " does not act on features of shape "
                    + Arrays.toString(exampleShape) + ": " + ex.getMessage();
            return;
        }
        long features = flat.size(2);
        long[] batchShape = new long[exampleShape.length + 1];
        batchShape[0] = examples;
        System.arraycopy(exampleShape, 0, batchShape, 1, exampleShape.length);
        INDArray identityMaps = identity.reshape('c', batchShape);
        double[] inner = new double[examples * order];
        double[] normSq = new double[examples * order];
        double[] baselineInner = new double[sets * order];
        try {
            for (int g = 0; g < order; g++) {
                if (g == e) {
                    for (int b = 0; b < examples; b++) {
                        double self = o.gram[(b * order + e) * order + e];
                        inner[b * order + g] = self;
                        normSq[b * order + g] = self;
                    }
                    for (int s = 0; s < sets; s++) {
                        baselineInner[s * order + g] = o.baselineGram[(s * order) * order];
                    }
                    continue;
                }
                INDArray transformed = rho.apply(g, identityMaps).reshape('c', examples, features);
                if (transformed.dataType() != flat.dataType()) {
                    transformed = transformed.castTo(flat.dataType());
                }
                INDArray moved = flat.get(NDArrayIndex.point(g), NDArrayIndex.all(), NDArrayIndex.all());
                double[] dots = rowDots(moved, transformed);
                double[] norms = rho.preservesNorm(g) ? null : rowDots(transformed, transformed);
                for (int b = 0; b < examples; b++) {
                    inner[b * order + g] = dots[b];
                    normSq[b * order + g] = norms == null ? o.gram[(b * order + e) * order + e] : norms[b];
                }
                if (sets > 0) {
                    long end = (long) sets * order;
                    double[] cross = rowDots(identity.get(NDArrayIndex.interval(g, order, end), NDArrayIndex.all()),
                            transformed.get(NDArrayIndex.interval(0, order, end), NDArrayIndex.all()));
                    for (int s = 0; s < sets; s++) {
                        baselineInner[s * order + g] = cross[s];
                    }
                }
            }
        } catch (IllegalArgumentException ex) {
            o.equivarianceUnavailable = layer.field().describe() + " does not act on features of shape "
                    + Arrays.toString(exampleShape) + ": " + ex.getMessage();
            return;
        }
        o.equivarianceInner = inner;
        o.transformedNormSq = normSq;
        o.baselineEquivarianceInner = baselineInner;
    }

    /** Rows [from, to) of an array of any rank. */
    private static INDArray rows(INDArray a, long from, long to) {
        INDArrayIndexes idx = new INDArrayIndexes(a.rank());
        return a.get(idx.rows(from, to));
    }

    /** ⟨a_i, b_i⟩ for every row i of two [n, F] arrays. */
    private static double[] rowDots(INDArray a, INDArray b) {
        INDArray out = Nd4j.getExecutioner().exec(new Dot(a, b, 1));
        return out.toDoubleVector();
    }

    private static double[] toJava(INDArray a) {
        return a.reshape(a.length()).toDoubleVector();
    }

    /** Index arrays selecting a row range of an array of a given rank. */
    private record INDArrayIndexes(int rank) {
        org.nd4j.linalg.indexing.INDArrayIndex[] rows(long from, long to) {
            org.nd4j.linalg.indexing.INDArrayIndex[] idx = new org.nd4j.linalg.indexing.INDArrayIndex[rank];
            idx[0] = NDArrayIndex.interval(from, to);
            for (int i = 1; i < rank; i++) {
                idx[i] = NDArrayIndex.all();
            }
            return idx;
        }
    }
}
