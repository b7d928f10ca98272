package org.dl4jinvariance.metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.FiniteGroup;

/**
 * The settings of an {@link InvarianceEvaluator}, shared by every builder that makes one (the
 * evaluator's own, the training listener's, the early-stopping score calculator's), so that each
 * setter is written and validated once. {@code B} is the concrete builder, which every setter
 * returns for chaining.
 *
 * @param <B> the concrete builder type
 */
public abstract class EvaluatorSettings<B extends EvaluatorSettings<B>> {

    FiniteGroup group;
    GroupAction action;
    List<String> layers;
    List<OrbitMetric> metrics;
    Distance distance = Distance.COSINE;
    final Map<String, FieldType> fieldTypes = new LinkedHashMap<>();
    List<String> actedInputs;
    int maxExamples = InvarianceEvaluator.DEFAULT_MAX_EXAMPLES;
    int maxBatch = InvarianceEvaluator.DEFAULT_MAX_BATCH;
    long maxBatchBytes;     // 0: the default, MemoryBudget.defaultBytes() when the evaluation runs
    long seed = InvarianceEvaluator.DEFAULT_SEED;
    ReductionPath reduction = ReductionPath.AUTO;
    double targetPrecision;     // 0: none, every example up to maxExamples is evaluated
    int sampleElements;         // 0: every example's whole orbit
    EvaluationProgress progress = EvaluationProgress.NONE;

    protected EvaluatorSettings() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The group; optional, must match {@code inputAction}'s group. */
    public B group(FiniteGroup group) {
        this.group = group;
        return self();
    }

    /** How the group acts on the network input (required). */
    public B inputAction(GroupAction action) {
        this.action = action;
        return self();
    }

    /**
     * Layers to probe, by key, name or index (default: every layer, including the output).
     *
     * @throws IllegalArgumentException for a null array, no layer or a null layer
     */
    public B layers(String... layers) {
        if (layers == null) {
            throw new IllegalArgumentException("layers(...) needs layer names, keys or indices, got a null array");
        }
        return layers(Arrays.asList(layers));
    }

    /**
     * Layers to probe, by key, name or index (default: every layer, including the output).
     *
     * @throws IllegalArgumentException for a null list, no layer or a null layer
     */
    public B layers(List<String> layers) {
        if (layers == null) {
            throw new IllegalArgumentException("layers(...) needs a list of layer names, keys or indices, got null");
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("layers(...) needs at least one layer, got []");
        }
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) == null) {
                throw new IllegalArgumentException("layers(...) got null as layer " + (i + 1) + " of "
                        + layers.size() + "; every layer must be a name, key or index");
            }
        }
        this.layers = new ArrayList<>(layers);
        return self();
    }

    /** The metrics (default: {@link InvarianceEvaluator#defaultMetrics(Distance)} with the chosen distance). */
    public B metrics(OrbitMetric... metrics) {
        if (metrics == null) {
            throw new IllegalArgumentException("metrics(...) needs metrics, got a null array");
        }
        return metrics(Arrays.asList(metrics));
    }

    /** The metrics (default: {@link InvarianceEvaluator#defaultMetrics(Distance)} with the chosen distance). */
    public B metrics(List<OrbitMetric> metrics) {
        // Not contains(null): immutable lists (List.of) throw on it.
        if (metrics == null || metrics.isEmpty() || metrics.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("metrics(...) needs at least one non-null metric, got " + metrics);
        }
        this.metrics = new ArrayList<>(metrics);
        return self();
    }

    /** The distance m of the default invariance and equivariance metrics (default COSINE). */
    public B distance(Distance distance) {
        if (distance == null) {
            throw new IllegalArgumentException("distance must not be null");
        }
        this.distance = distance;
        return self();
    }

    /** How the group acts on one layer's output (ρ), overriding what the layer declares or the default. */
    public B fieldType(String layer, FieldType type) {
        if (layer == null || type == null) {
            throw new IllegalArgumentException("fieldType needs a layer and a field type, got " + layer + ", " + type);
        }
        fieldTypes.put(layer, type);
        return self();
    }

    /**
     * The network inputs the input action transforms, by name, for a {@code ComputationGraph}
     * with several inputs (default: every input the action can act on); the other inputs are
     * passed unchanged with every transformed copy.
     */
    public B actOnInputs(String... inputs) {
        if (inputs == null || inputs.length == 0 || Arrays.stream(inputs).anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("actOnInputs(...) needs at least one input name, got "
                    + (inputs == null ? null : Arrays.toString(inputs)));
        }
        this.actedInputs = List.of(inputs);
        return self();
    }

    /** At most this many examples are evaluated per data set (default {@value InvarianceEvaluator#DEFAULT_MAX_EXAMPLES}). */
    public B maxExamples(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxExamples must be >= 1, got " + n);
        }
        this.maxExamples = n;
        return self();
    }

    /**
     * At most this many rows per forward pass (default {@value InvarianceEvaluator#DEFAULT_MAX_BATCH};
     * a chunk holds at least one orbit). An upper bound beside {@link #maxBatchBytes}, which
     * usually decides for large inputs: the chunk is the smaller of the two.
     */
    public B maxBatch(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1 row, got " + rows);
        }
        this.maxBatch = rows;
        return self();
    }

    /**
     * The memory one forward pass may use, in bytes. Before the first chunk, one example's orbit
     * (r = |G| + 2·perturbations rows) runs through the network and each layer's activation bytes
     * per row are recorded; the peak bytes of one row are then estimated as
     * {@code rowBytes = 1.5·(2·A + W) + 3·I + H} (A: the largest activation; W: the largest
     * working memory, a convolution's im2col buffer of nIn·∏kernel per output position; I: the
     * network input; H: the Java heap of the reductions; 1.5: a safety factor), and a chunk
     * holds {@code min(⌊maxBatch / r⌋, ⌊maxBatchBytes / (r·rowBytes)⌋)} examples, at least one,
     * and never so many that a probed activation exceeds the 2^31 − 1 bytes of a NIO view.
     * Default: 1/4 of the smallest of the JVM's maximum heap and JavaCPP's {@code maxBytes} and
     * {@code maxPhysicalBytes} (ND4J's activations live off the heap, inside JavaCPP's limits),
     * e.g. 1 GiB under {@code -Xmx4g}. The evaluation refuses, before the first chunk, a budget
     * that cannot hold one example's orbit, naming the bytes it needs.
     *
     * @throws IllegalArgumentException for bytes &lt; 1
     */
    public B maxBatchBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxBatchBytes must be >= 1 byte, got " + bytes);
        }
        this.maxBatchBytes = bytes;
        return self();
    }

    /**
     * Measure only as many examples as needed: the up to {@code maxExamples} examples are taken
     * in a seeded random order, chunk by chunk, until every reported metric's 95% bootstrap CI
     * half-width, (ciHigh − ciLow)/2, is at most {@code h} on every probed layer, or
     * {@code maxExamples} is reached. Every metric value the report holds counts (n/a ones
     * excluded); a NaN value is never precise enough. The report records n, whether the target
     * was met and the largest half-width ({@link InvarianceReport#precision()}).
     *
     * <p>Stopping rule: after each chunk, the normal-approximation half-width
     * 1.96·sd/√n of every key (sd from running sums; for a normalized key divided by the mean
     * of its distinct-input references) is checked first, because it is cheap; only when all
     * are at most h is the report made, and the target counts as met only when the seeded
     * bootstrap half-widths of that report — what is reported — are at most h, else more
     * examples are added. Chunks start at max(64, 2·|G|) examples and each adds half the
     * examples seen so far (at most the memory-bounded chunk of {@link #maxBatchBytes}), so
     * the evaluation stops at most 50% past the n it needs.
     *
     * <p>Memory: the seeded random order needs every candidate example at hand, so the inputs
     * (features, labels and masks, not activations) of up to {@code maxExamples} examples are
     * read from the iterator and held: {@code maxExamples × bytes per example}, e.g. 3 MB for
     * 1,000 MNIST images, 600 MB for 1,000 float 224×224×3 images. The examples are the same
     * ones a full evaluation reads (the iterator's first {@code maxExamples}), so a run with a
     * target evaluates a seeded random subset of the full evaluation's examples. Without a target
     * nothing changes: examples are streamed in the iterator's order, as before.
     *
     * @param h the largest acceptable 95% CI half-width, in each metric's own units
     * @throws IllegalArgumentException for h ≤ 0, NaN or infinite, naming h
     */
    public B targetPrecision(double h) {
        if (!(h > 0) || Double.isInfinite(h)) {
            throw new IllegalArgumentException("targetPrecision must be a finite 95% CI half-width > 0, got " + h);
        }
        this.targetPrecision = h;
        return self();
    }

    /**
     * For large groups (C8, C16, D8, D16, sampled rotation angles): evaluate each example at k of
     * the |G| group elements instead of all, so a forward pass holds k rows per example, not |G|.
     * Each example's elements are its own seeded draw: the identity e, always (equivariance
     * compares f(g·x) with ρ(g)·f(x), so f(x) is needed), and k − 1 of the other |G| − 1 elements,
     * uniformly without replacement. k = |G| is the whole orbit, the evaluation without sampling.
     *
     * <p>The estimators, per example x with sampled elements S = {e, g_1, …, g_{k−1}}:
     * <ul>
     * <li>equivariance, consistency, accuracy (means over G of a per-element term t_g):
     *     (1/|G|)·(t_e + (|G| − 1)/(k − 1)·Σ_{j≥1} t_{g_j}), an <b>unbiased</b> estimate of the
     *     full (1/|G|)·Σ_g t_g (each of the |G| − 1 others is drawn with probability (k − 1)/(|G| − 1));</li>
     * <li>invariance, prediction KL, cosine similarity (spreads about the orbit centroid): the same
     *     formula on the k sampled points, centroid included — a plug-in estimate, <b>biased low</b>
     *     for k &lt; |G|, since a k-point centroid sits closer to its points (for the squared
     *     Euclidean distance the expectation is exactly (k − 1)/k · |G|/(|G| − 1) times the full
     *     value). Their normalized forms divide by baselines computed the same way on sets of k
     *     distinct inputs, which shrink by the same (k − 1)/k, so the normalized values estimate
     *     the full normalized values (exactly in expectation of numerator and denominator for the
     *     squared Euclidean distance, approximately for cosine distance); read the normalized forms
     *     when sampling;</li>
     * <li>per-element accuracies accuracy[g] are not applicable (each example sees only k elements).</li>
     * </ul>
     * The CIs stay honest about the sampling: every example's value is computed from its own
     * independent draw of elements, so the per-example values are i.i.d. over (example, draw)
     * and the bootstrap over examples resamples both sources of variation.
     *
     * @param k elements per example, 2 ≤ k ≤ |G| (the upper bound is checked when the evaluator is built)
     * @throws IllegalArgumentException for k &lt; 2, naming k
     */
    public B sampleElements(int k) {
        if (k < 2) {
            throw new IllegalArgumentException("sampleElements must be >= 2 (the identity and at least one other "
                    + "element), got " + k);
        }
        this.sampleElements = k;
        return self();
    }

    /** Seed of the chunk shuffles and the bootstrap (default {@value InvarianceEvaluator#DEFAULT_SEED}). */
    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    /**
     * Where each layer's activations are reduced to Gram matrices and equivariance products
     * (default {@link ReductionPath#AUTO}: ND4J operations on a GPU backend, Java on the CPU).
     * Both paths give the same figures to rounding.
     *
     * @throws IllegalArgumentException for null
     */
    public B reduction(ReductionPath path) {
        if (path == null) {
            throw new IllegalArgumentException("reduction needs a ReductionPath (AUTO, JAVA or ND4J), got null");
        }
        this.reduction = path;
        return self();
    }

    /**
     * Told how far each evaluation has come, for a progress bar (default
     * {@link EvaluationProgress#NONE}: nothing is called). Never changes a report; a callback that
     * throws is logged and not called again for that evaluation. A training listener names the
     * data set and the epoch in each {@link EvaluationProgress.Update}.
     *
     * @throws IllegalArgumentException for null
     */
    public B progress(EvaluationProgress progress) {
        if (progress == null) {
            throw new IllegalArgumentException("progress needs an EvaluationProgress (EvaluationProgress.NONE for "
                    + "none), got null");
        }
        this.progress = progress;
        return self();
    }

    /** True once {@link #inputAction} has been given. */
    protected final boolean hasInputAction() {
        return action != null;
    }

    /** True once {@link #layers} has been given. */
    protected final boolean hasLayers() {
        return layers != null;
    }

    /** The evaluator these settings describe (validated by {@link InvarianceEvaluator.Builder#build()}). */
    protected final InvarianceEvaluator buildEvaluator() {
        InvarianceEvaluator.Builder b = InvarianceEvaluator.builder();
        b.group = group;
        b.action = action;
        b.layers = layers;
        b.metrics = metrics;
        b.distance = distance;
        b.fieldTypes.putAll(fieldTypes);
        b.maxExamples = maxExamples;
        b.maxBatch = maxBatch;
        b.maxBatchBytes = maxBatchBytes;
        b.seed = seed;
        b.targetPrecision = targetPrecision;
        b.sampleElements = sampleElements;
        b.actedInputs = actedInputs;
        b.reduction = reduction;
        b.progress = progress;
        return b.build();
    }

    /** The settings as text, in a fixed order, for reports and logs (group and action excluded). */
    protected final Map<String, String> describeSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("layers", layers == null ? "all" : String.join(", ", layers));
        s.put("metrics", metrics == null ? "default"
                : metrics.stream().map(OrbitMetric::describe).collect(Collectors.joining(", ")));
        s.put("distance", distance.name());
        if (!fieldTypes.isEmpty()) {
            s.put("fieldTypes", fieldTypes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().describe())
                    .collect(Collectors.joining(", ")));
        }
        s.put("maxExamples", String.valueOf(maxExamples));
        s.put("maxBatch", String.valueOf(maxBatch));
        s.put("maxBatchBytes", maxBatchBytes == 0 ? "default" : String.valueOf(maxBatchBytes));
        s.put("seed", String.valueOf(seed));
        if (reduction != ReductionPath.AUTO) {
            s.put("reduction", reduction.name());
        }
        if (targetPrecision > 0) {
            s.put("targetPrecision", String.valueOf(targetPrecision));
        }
        if (sampleElements > 0) {
            s.put("sampleElements", String.valueOf(sampleElements));
        }
        return s;
    }
}
