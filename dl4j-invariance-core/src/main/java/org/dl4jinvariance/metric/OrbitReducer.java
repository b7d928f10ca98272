package org.dl4jinvariance.metric;

import org.dl4jinvariance.metric.kernel.FieldTransform;
import org.dl4jinvariance.metric.kernel.OrbitReduction;

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
 * of the orbits and of the distinct-input sets come from an {@link OrbitReduction}: in Java
 * from the activations' native memory, nothing copied
 * ({@link org.dl4jinvariance.metric.kernel.JavaReduction}), or from ND4J operations on whatever
 * backend is active ({@link org.dl4jinvariance.metric.kernel.Nd4jReduction}); see
 * {@link ReductionPath}. Only interpolating ρ(g) (bilinear rotations) go through
 * {@link org.dl4jinvariance.field.FieldType#apply}, on either path.
 *
 * <p>The Java pass is pure Java on the native buffer, so it is handed back as pending work that
 * may run beside the next layer's forward pass ({@link org.dl4jinvariance.probe.ActivationVisitor#visitConcurrently}):
 * DL4J's inference keeps one core busy most of the time on this backend.
 */
final class OrbitReducer {

    private final ProbedLayer layer;
    private final Set<OrbitStatistic> statistics;
    private final List<Perturbation> perturbations;
    private final boolean nhwc;
    private final boolean fieldGivenByUser;
    private final OrbitReduction reduction;
    private final Map<String, FieldTransform> transforms = new HashMap<>();


    /**
     * @param nhwc             the layer's feature maps are [B, H, W, C]
     * @param fieldGivenByUser the layer's field is the user's {@code fieldType}: a shape it cannot act on is an error, not n/a
     * @param reduction        how Gram matrices and equivariance products are computed
     */
    OrbitReducer(ProbedLayer layer, Set<OrbitStatistic> statistics, List<Perturbation> perturbations, boolean nhwc,
            boolean fieldGivenByUser, OrbitReduction reduction) {
        this.reduction = reduction;
        this.fieldGivenByUser = fieldGivenByUser;
        this.layer = layer;
        this.statistics = statistics;
        this.perturbations = perturbations;
        this.nhwc = nhwc;
    }

    /**
     * The context for one chunk, and the work that completes it.
     *
     * @param context the metrics' input, complete once {@code pending} has run
     * @param pending pure-Java work still reading the activations' memory (no ND4J calls), to be
     *                run — on any thread — before that memory is released; null when none
     * @param help    runs parts of {@code pending} not yet started, on the calling thread (a thread
     *                about to wait for {@code pending} calls it to work instead of blocking)
     */
    record Reduction(OrbitActivations context, Runnable pending, Runnable help) {
        Reduction(OrbitActivations context) {
            this(context, null, () -> { });
        }
    }

    /** Everything ND4J is needed for happens here, on the calling (probe) thread. */
    Reduction reduce(INDArray activations, int examples, int[] classes) {
        return reduce(activations, examples, classes, null);
    }

    /**
     * {@link #reduce(INDArray, int, int[])} for orbits of k sampled members per example (rows
     * [j·B, (j+1)·B) hold f(g_{b,j}·x_b), member 0 the identity), or whole orbits when
     * {@code sample} is null.
     */
    Reduction reduce(INDArray activations, int examples, int[] classes, ElementSample sample) {
        OrbitActivations o = new OrbitActivations(layer, examples, classes, sample);
        int order = o.members();
        int elements = layer.group().order();
        int sets = examples / order;
        INDArray act = nhwc && activations.rank() == 4 ? activations.permute(0, 3, 1, 2) : activations;
        o.exampleShape = Arrays.copyOfRange(act.shape(), 1, act.rank());
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
        if (statistics.contains(OrbitStatistic.CHANNEL_GRAM) && act.rank() >= 3) {
            o.channelGram = channelGram(rows(act, 0, (long) order * examples), order, examples);
        }
        boolean equivariance = statistics.contains(OrbitStatistic.EQUIVARIANCE) && layer.field() != null;
        if (!statistics.contains(OrbitStatistic.GRAM) && !statistics.contains(OrbitStatistic.BASELINE_GRAM) && !equivariance) {
            return new Reduction(o);
        }
        FieldTransform rho = equivariance ? transform(o, act) : null;
        int e = o.group().identity();
        int reference = o.identityMember();     // the identity's row in each set: e, or 0 when sampled
        boolean[] permute = null;
        Interpolated interpolated = null;
        if (rho != null) {
            permute = new boolean[elements];
            for (int g = 0; g < elements; g++) {
                permute[g] = rho.isPermutation(g);
            }
            interpolated = sample == null ? Interpolated.of(e, rho, act, permute, examples, sets)
                    : Interpolated.sampled(rho, act, permute, examples, sample);
        }
        OrbitReduction.Pass pass = sample == null ? reduction.start(act, examples, order, e, rho, permute)
                : reduction.start(act, examples, order, reference, rho, permute, sample.elements(),
                        sample.baselineElements(sets));
        boolean withEquivariance = rho != null;
        boolean[] permuteFinal = permute;
        Interpolated fallback = interpolated;
        Runnable work = () -> {
            OrbitReduction.Products products = pass.finish();
            o.gram = products.orbit().gram();
            o.baselineGram = products.baseline().gram();
            if (withEquivariance) {
                o.equivarianceInner = products.orbit().cross();
                o.baselineEquivarianceInner = products.baseline().cross();
                o.transformedNormSq = new double[examples * order];
                for (int b = 0; b < examples; b++) {
                    Arrays.fill(o.transformedNormSq, b * order, (b + 1) * order,
                            o.gram[(b * order + reference) * order + reference]);
                }
                fallback.into(o, permuteFinal, examples, sets);
            }
        };
        if (!pass.readsActivations()) {
            work.run();         // nothing left that needs the activations' memory
            return new Reduction(o);
        }
        return new Reduction(o, work, pass::help);
    }

    /** ρ for this layer's feature shape, or null (with the reason recorded) when the field cannot act on it. */
    private FieldTransform transform(OrbitActivations o, INDArray act) {
        long[] exampleShape = Arrays.copyOfRange(act.shape(), 1, act.rank());
        try {
            return transforms.computeIfAbsent(Arrays.toString(exampleShape),
                    k -> new FieldTransform(layer.field(), layer.group().order(), exampleShape));
        } catch (IllegalArgumentException ex) {
            String reason = layer.field().describe() + " does not act on features of shape "
                    + Arrays.toString(exampleShape) + ": " + ex.getMessage();
            if (fieldGivenByUser) {
                // The user said this layer carries that field: a shape it cannot act on is their mistake.
                throw new IllegalArgumentException("fieldType for layer '" + layer.name() + "' is " + reason, ex);
            }
            o.equivarianceUnavailable = reason;
            return null;
        }
    }

    /**
     * Equivariance products for the elements whose ρ(g) interpolates (not a permutation),
     * computed through the field itself with ND4J, then merged into the context.
     */
    private record Interpolated(double[][] dots, double[][] norms, double[][] cross, Sampled sampled) {

        /** Sampled orbits: the products of the (example, member) and (set, member) pairs whose element interpolates. */
        record Sampled(int[] orbitAt, double[] orbitDots, double[] orbitNorms, int[] baselineAt, double[] baselineDots) {
        }

        Interpolated(double[][] dots, double[][] norms, double[][] cross) {
            this(dots, norms, cross, null);
        }

        /**
         * For k sampled members: ρ(g) is applied to every example's f(x) once per interpolating
         * element g (as without sampling), and only the pairs whose member is g are dotted:
         * ⟨f(g·x_b), ρ(g)f(x_b)⟩, ‖ρ(g)f(x_b)‖², and ⟨f(x_{s,j}), ρ(g)f(x_{s,0})⟩ for baseline sets.
         */
        static Interpolated sampled(FieldTransform rho, INDArray act, boolean[] permute, int examples, ElementSample sample) {
            int k = sample.members();
            int sets = examples / k;
            int[] baselineElements = sample.baselineElements(sets);
            INDArray identity = rows(act, 0, examples);
            java.util.List<Integer> orbitAt = new java.util.ArrayList<>();
            java.util.List<Integer> baselineAt = new java.util.ArrayList<>();
            java.util.List<double[]> orbitDots = new java.util.ArrayList<>();
            java.util.List<double[]> orbitNorms = new java.util.ArrayList<>();
            java.util.List<double[]> baselineDots = new java.util.ArrayList<>();
            for (int g = 0; g < permute.length; g++) {
                if (permute[g]) {
                    continue;
                }
                int[][] orbit = membersActingAs(sample.elements(), g, k);        // (b, j) pairs
                int[][] baseline = membersActingAs(baselineElements, g, k);      // (s, j) pairs
                if (orbit[0].length == 0 && baseline[0].length == 0) {
                    continue;
                }
                INDArray moved = rho.apply(g, identity);
                if (orbit[0].length > 0) {
                    long[] gRows = new long[orbit[0].length];
                    long[] xRows = new long[orbit[0].length];
                    for (int i = 0; i < gRows.length; i++) {
                        gRows[i] = (long) orbit[1][i] * examples + orbit[0][i];     // f(g·x_b): member block j
                        xRows[i] = orbit[0][i];
                        orbitAt.add(orbit[0][i] * k + orbit[1][i]);
                    }
                    INDArray m = pick(moved, xRows);
                    orbitDots.add(FieldTransform.dot(pick(act, gRows), m));
                    orbitNorms.add(FieldTransform.dot(m, m));
                }
                if (baseline[0].length > 0) {
                    long[] memberRows = new long[baseline[0].length];
                    long[] ownerRows = new long[baseline[0].length];
                    for (int i = 0; i < memberRows.length; i++) {
                        memberRows[i] = (long) baseline[0][i] * k + baseline[1][i];    // f(x_{s,j})
                        ownerRows[i] = (long) baseline[0][i] * k;                      // f(x_{s,0})
                        baselineAt.add(baseline[0][i] * k + baseline[1][i]);
                    }
                    baselineDots.add(FieldTransform.dot(pick(identity, memberRows), pick(moved, ownerRows)));
                }
            }
            return new Interpolated(null, null, null, new Sampled(toInts(orbitAt), concat(orbitDots), concat(orbitNorms),
                    toInts(baselineAt), concat(baselineDots)));
        }

        /** The (row, member) pairs, member j ≥ 1, of a table of k elements per row whose element is g. */
        private static int[][] membersActingAs(int[] elements, int g, int k) {
            java.util.List<int[]> out = new java.util.ArrayList<>();
            for (int r = 0; r < elements.length / k; r++) {
                for (int j = 1; j < k; j++) {
                    if (elements[r * k + j] == g) {
                        out.add(new int[] {r, j});
                    }
                }
            }
            int[][] pairs = new int[2][out.size()];
            for (int i = 0; i < out.size(); i++) {
                pairs[0][i] = out.get(i)[0];
                pairs[1][i] = out.get(i)[1];
            }
            return pairs;
        }

        /** Where the sampled products go: pair index → (b·k + j) for the orbit, (s·k + j) for sets. */
        private static int[] toInts(java.util.List<Integer> xs) {
            return xs.stream().mapToInt(Integer::intValue).toArray();
        }

        private static double[] concat(java.util.List<double[]> parts) {
            return parts.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
        }

        private static INDArray pick(INDArray a, long[] rows) {
            INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
            Arrays.fill(idx, NDArrayIndex.all());
            idx[0] = new SpecifiedIndex(rows);
            return a.get(idx);
        }

        static Interpolated of(int e, FieldTransform rho, INDArray act, boolean[] permute, int examples, int sets) {
            int order = permute.length;
            double[][] dots = new double[order][];
            double[][] norms = new double[order][];
            double[][] cross = new double[order][];
            INDArray identity = rows(act, (long) e * examples, (long) (e + 1) * examples);
            for (int g = 0; g < order; g++) {
                if (permute[g]) {
                    continue;
                }
                INDArray moved = rho.apply(g, identity);
                dots[g] = FieldTransform.dot(rows(act, (long) g * examples, (long) (g + 1) * examples), moved);
                norms[g] = FieldTransform.dot(moved, moved);
                cross[g] = sets == 0 ? new double[0]
                        : FieldTransform.dot(everyNth(identity, g, order, sets), everyNth(moved, e, order, sets));
            }
            return new Interpolated(dots, norms, cross);
        }

        void into(OrbitActivations o, boolean[] permute, int examples, int sets) {
            if (sampled != null) {
                for (int i = 0; i < sampled.orbitAt().length; i++) {
                    o.equivarianceInner[sampled.orbitAt()[i]] = sampled.orbitDots()[i];
                    o.transformedNormSq[sampled.orbitAt()[i]] = sampled.orbitNorms()[i];
                }
                for (int i = 0; i < sampled.baselineAt().length; i++) {
                    o.baselineEquivarianceInner[sampled.baselineAt()[i]] = sampled.baselineDots()[i];
                }
                return;
            }
            int order = permute.length;
            for (int g = 0; g < order; g++) {
                if (permute[g]) {
                    continue;
                }
                for (int b = 0; b < examples; b++) {
                    o.equivarianceInner[b * order + g] = dots[g][b];
                    o.transformedNormSq[b * order + g] = norms[g][b];
                }
                for (int s = 0; s < sets; s++) {
                    o.baselineEquivarianceInner[s * order + g] = cross[g][s];
                }
            }
        }
    }

    /**
     * Per example b and channel c, the |G|×|G| Gram matrix of channel c's map over the orbit, from
     * the activations [|G|·B, C, ...] already in memory: one element-wise product and sum over
     * the map per pair g ≤ h (|G|(|G|+1)/2 ND4J ops on [B, C, S] views), no extra forward pass.
     */
    private static double[][][] channelGram(INDArray orbit, int order, int examples) {
        long channels = orbit.size(1);
        long spatial = orbit.length() / ((long) order * examples * channels);
        INDArray maps = orbit.dup('c').reshape('c', order, examples, channels, spatial)
                .castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        double[][][] gram = new double[examples][(int) channels][order * order];
        for (int g = 0; g < order; g++) {
            INDArray fg = maps.get(NDArrayIndex.point(g), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
            for (int h = g; h < order; h++) {
                INDArray fh = maps.get(NDArrayIndex.point(h), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
                double[] dots = fg.mul(fh).sum(2).dup('c').reshape((long) examples * channels).toDoubleVector();
                for (int b = 0; b < examples; b++) {
                    for (int c = 0; c < channels; c++) {
                        double v = dots[(int) (b * channels + c)];
                        gram[b][c][g * order + h] = v;
                        gram[b][c][h * order + g] = v;
                    }
                }
            }
        }
        return gram;
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
