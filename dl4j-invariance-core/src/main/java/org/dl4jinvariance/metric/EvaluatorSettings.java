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
        b.actedInputs = actedInputs;
        b.reduction = reduction;
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
        return s;
    }
}
