package org.dl4jinvariance.metric;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Model;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.FiniteGroup;
import org.dl4jinvariance.probe.ModelProbe;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Measures, for every probed layer of a trained network, how invariant and how equivariant it is
 * under a finite group acting on the input.
 *
 * <pre>{@code
 * InvarianceReport report = InvarianceEvaluator.builder()
 *         .inputAction(ImageActions.rotation(Groups.c4()))
 *         .layers("conv1", "conv2", "dense", "output")   // default: every layer
 *         .maxExamples(1000)
 *         .build()
 *         .evaluate(net, Datasets.mnist().iterator(256, 8_000, 2_000));
 * double inv = report.get("conv1", MetricKeys.INVARIANCE_NORMALIZED).mean();
 * }</pre>
 *
 * <p>How, as a short template: an {@code EvaluationPlan} fixes the metrics, layers and fields
 * once; the iterator is reset and up to {@code maxExamples} examples are taken in chunks of at
 * most ⌊maxBatch / (|G| + 2·perturbations)⌋ examples, fewer when {@code maxBatchBytes} says so
 * ({@code MemoryBudget}, sized by one pass of one example's orbit) ({@code ExampleChunks}), chunk i
 * shuffled with the seed + 1,000,003·i so the distinct-input baseline sets are random examples
 * ({@link ChunkedEvaluation}, the same pieces a cluster runs); each chunk's whole
 * orbit is stacked into one batch, plus T_±ε x rows for Lie derivatives ({@code OrbitInputs}),
 * and one inference forward pass of a {@link ModelProbe} reduces every probed layer to
 * per-example numbers on the spot ({@link OrbitActivations}); every metric is a pure function
 * of those, and a {@code ReportAccumulator} summarizes the per-example values with
 * {@link MetricValue#of(double[], int[], long)} (mean, seeded 95% bootstrap CI, per class; for
 * normalized keys {@link MetricValue#ofRatio}, whose CI also resamples the baseline sets). With a
 * {@linkplain EvaluatorSettings#targetPrecision target precision} the examples are read in seeded
 * random order in growing chunks until the CIs are narrow enough ({@link Precision}).
 * ComputationGraphs with several inputs are evaluated from a {@code MultiDataSetIterator}
 * ({@link #evaluate(Model, MultiDataSetIterator)}).
 *
 * <p>Layer keys: a {@code MultiLayerNetwork} layer's name when set, else its index as a string;
 * a {@code ComputationGraph}'s vertex names. Output-only metrics (prediction KL, consistency,
 * accuracy) are reported under the output layer. Flat [B, C·H·W] batches are accepted when the
 * network's input type is {@code convolutionalFlat} (the image action is wrapped with
 * {@link ImageActions#forFlatInput}). NaN activations give NaN values and a warning.
 */
public final class InvarianceEvaluator implements java.io.Serializable {

    public static final int DEFAULT_MAX_EXAMPLES = 1000;
    public static final int DEFAULT_MAX_BATCH = 4096;
    public static final long DEFAULT_SEED = 12345;

    private final FiniteGroup group;
    private final GroupAction action;
    private final List<String> layers;
    private final List<OrbitMetric> metrics;
    private final Distance distance;
    private final Map<String, FieldType> fieldTypes;
    private final int maxExamples;
    private final int maxBatch;
    private final long maxBatchBytes;
    private final long seed;
    private final double targetPrecision;
    private final int sampleElements;
    private final List<String> actedInputs;
    private final ReductionPath reduction;
    private final boolean labelMetrics;
    /** Not serialized: a progress bar belongs to the machine that shows it (Spark workers report none). */
    private final transient EvaluationProgress progress;
    /** The last sizing pass, for evaluating the same model again (null after deserialization: made on first use). */
    private transient volatile MemoryBudget.SizingMemo sizingMemo;

    private InvarianceEvaluator(Builder b) {
        this.labelMetrics = true;
        this.progress = b.progress;
        this.action = b.action;
        this.group = b.action.group();
        this.layers = b.layers == null ? null : List.copyOf(b.layers);
        this.metrics = b.metrics == null ? null : List.copyOf(b.metrics);
        this.distance = b.distance;
        this.fieldTypes = Map.copyOf(b.fieldTypes);
        this.maxExamples = b.maxExamples;
        this.maxBatch = b.maxBatch;
        this.maxBatchBytes = b.maxBatchBytes;
        this.seed = b.seed;
        this.targetPrecision = b.targetPrecision;
        this.sampleElements = b.sampleElements;
        this.actedInputs = b.actedInputs == null ? null : List.copyOf(b.actedInputs);
        this.reduction = b.reduction;
    }

    /** A copy of {@code other} with label metrics on or off and the given progress callback. */
    private InvarianceEvaluator(InvarianceEvaluator other, boolean labelMetrics, EvaluationProgress progress) {
        this.progress = progress;
        this.action = other.action;
        this.group = other.group;
        this.layers = other.layers;
        this.metrics = other.metrics;
        this.distance = other.distance;
        this.fieldTypes = other.fieldTypes;
        this.maxExamples = other.maxExamples;
        this.maxBatch = other.maxBatch;
        this.maxBatchBytes = other.maxBatchBytes;
        this.seed = other.seed;
        this.targetPrecision = other.targetPrecision;
        this.sampleElements = other.sampleElements;
        this.actedInputs = other.actedInputs;
        this.reduction = other.reduction;
        this.labelMetrics = labelMetrics;
        this.sizingMemo = other.sizingMemo();   // the same sizes: the copies differ in labels and progress only
    }

    /**
     * The same evaluator without the keys that compare predictions with the data's labels
     * ({@link MetricKey#needsLabels()}: accuracy and accuracy per group element). For
     * out-of-distribution data, whose labels belong to another task (Fashion-MNIST's classes for
     * a digit classifier): an accuracy against them has no meaning. Consistency, which compares
     * predictions with each other, stays; the labels still group examples per class, and they are
     * not tied to the output's width.
     */
    public InvarianceEvaluator withoutLabelMetrics() {
        return labelMetrics ? new InvarianceEvaluator(this, false, progress) : this;
    }

    /**
     * The same evaluator telling {@code progress} how far each evaluation has come (see
     * {@link EvaluationProgress}); {@link EvaluationProgress#NONE} for none. The reports are the
     * same with and without it.
     *
     * @throws IllegalArgumentException for null
     */
    public InvarianceEvaluator withProgress(EvaluationProgress progress) {
        if (progress == null) {
            throw new IllegalArgumentException("withProgress needs an EvaluationProgress (EvaluationProgress.NONE for "
                    + "none), got null");
        }
        return new InvarianceEvaluator(this, labelMetrics, progress);
    }

    /** The progress callback, {@link EvaluationProgress#NONE} when none is set (or after deserialization). */
    public EvaluationProgress progress() {
        return progress == null ? EvaluationProgress.NONE : progress;
    }

    /** False for an evaluator made by {@link #withoutLabelMetrics()}. */
    public boolean labelMetrics() {
        return labelMetrics;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default metrics for a distance: invariance, equivariance, cosine similarity ratio, prediction KL, consistency/accuracy. */
    public static List<OrbitMetric> defaultMetrics(Distance distance) {
        return List.of(new InvarianceDeviation(distance), new EquivarianceDeviation(distance), new CosineSimilarityRatio(),
                new PredictionInvariance(), new OrbitConsistency());
    }

    public FiniteGroup group() {
        return group;
    }

    public GroupAction inputAction() {
        return action;
    }

    public int maxExamples() {
        return maxExamples;
    }

    public long seed() {
        return seed;
    }

    /** The target 95% CI half-width ({@link EvaluatorSettings#targetPrecision}), or empty when every example is evaluated. */
    public OptionalDouble targetPrecision() {
        return targetPrecision > 0 ? OptionalDouble.of(targetPrecision) : OptionalDouble.empty();
    }

    /** k of {@link EvaluatorSettings#sampleElements}, or empty when every example's whole orbit is evaluated. */
    public java.util.OptionalInt sampleElements() {
        return sampleElements > 0 ? java.util.OptionalInt.of(sampleElements) : java.util.OptionalInt.empty();
    }

    /**
     * Evaluates {@code model} (a {@code MultiLayerNetwork} or {@code ComputationGraph}) on up to
     * {@code maxExamples} examples of {@code data}, which is reset first.
     *
     * @throws IllegalArgumentException for an unknown layer, an empty iterator, inputs the action
     *                                  cannot transform, or missing labels for consistency
     */
    public InvarianceReport evaluate(Model model, DataSetIterator data) {
        return evaluate(ModelProbe.of(model), data);
    }

    /** {@link #evaluate(Model, DataSetIterator)} through an existing probe (e.g. to count its forward passes). */
    public InvarianceReport evaluate(ModelProbe probe, DataSetIterator data) {
        return run(probe, ExampleSource.of(data));
    }

    /**
     * Evaluates a {@code ComputationGraph} with several inputs on a {@code MultiDataSetIterator}:
     * the action transforms the inputs named by {@code actOnInputs} (default: every input it can
     * act on) and the others are passed unchanged with every transformed copy; labels are those
     * of the first output.
     *
     * @throws IllegalArgumentException as {@link #evaluate(Model, DataSetIterator)}, or when the
     *                                  action can act on none of the inputs
     */
    public InvarianceReport evaluate(Model model, MultiDataSetIterator data) {
        return evaluate(ModelProbe.of(model), data);
    }

    /** {@link #evaluate(Model, MultiDataSetIterator)} through an existing probe. */
    public InvarianceReport evaluate(ModelProbe probe, MultiDataSetIterator data) {
        return run(probe, ExampleSource.of(data));
    }

    /**
     * The evaluation cut at its chunks, for running them elsewhere (a cluster's workers): the
     * plan for {@code model} given the data's first batch. See {@link ChunkedEvaluation}.
     *
     * @throws IllegalArgumentException as {@link #evaluate(Model, DataSetIterator)} for a null or
     *                                  empty first batch or a plan the model does not allow
     *                                  or with a target precision or sampled elements (see
     *                                  {@link #requireWholeEvaluation})
     */
    public ChunkedEvaluation chunked(Model model, DataSet first) {
        requireWholeEvaluation("chunked(...)");
        if (first == null) {
            throw new IllegalArgumentException("chunked(...) needs the data's first batch, got null");
        }
        Examples batch = Examples.of(first);
        if (batch.size() == 0) {
            throw new IllegalArgumentException("Batch 1 of the data has 0 examples; every batch needs at least one");
        }
        return new ChunkedEvaluation(this, ModelProbe.of(model), batch);
    }

    /**
     * Refuses a target precision or sampled elements for {@code where}: a chunked evaluation
     * spread over machines has fixed chunks in the data's order, while a target precision reads
     * the examples in seeded random order in growing chunks and stops on a condition checked
     * after each, and sampled elements are drawn chunk after chunk from one seeded stream; both
     * need the single-machine {@link #evaluate}.
     *
     * @throws IllegalArgumentException naming the setting, when either is set
     */
    public void requireWholeEvaluation(String where) {
        if (targetPrecision > 0) {
            throw new IllegalArgumentException(where + " does not support targetPrecision(" + targetPrecision
                    + "): it evaluates fixed chunks in the data's order; use InvarianceEvaluator.evaluate(...) on one "
                    + "machine, or drop targetPrecision and set maxExamples");
        }
        if (sampleElements > 0) {
            throw new IllegalArgumentException(where + " does not support sampleElements(" + sampleElements
                    + "): the elements are drawn chunk after chunk from one seeded stream; use "
                    + "InvarianceEvaluator.evaluate(...) on one machine, or drop sampleElements");
        }
    }

    /** The template: plan → per-chunk orbit contexts → metrics → summary. */
    private InvarianceReport run(ModelProbe probe, ExampleSource source) {
        Examples first = source.next();
        if (first.size() == 0) {
            throw new IllegalArgumentException("Batch 1 of " + source.describe() + " has 0 examples; every batch needs at least one");
        }
        ChunkedEvaluation evaluation = new ChunkedEvaluation(this, probe, first);
        ExampleChunks chunks = new ExampleChunks(source, first, maxExamples, evaluation.chunkSize(), evaluation.admission());
        ReportAccumulator values = evaluation.accumulator();
        evaluation.startProgress(source.describe(), maxExamples);
        InvarianceReport report = targetPrecision > 0 ? runToPrecision(evaluation, chunks, values, source.describe())
                : runAll(evaluation, chunks, values, source.describe());
        evaluation.finishProgress(values);
        return report;
    }

    /** Every chunk up to {@code maxExamples}, in the data's order. */
    private static InvarianceReport runAll(ChunkedEvaluation evaluation, ExampleChunks chunks, ReportAccumulator values,
            String source) {
        for (int index = 0; chunks.hasNext(); index++) {
            evaluation.add(values, evaluation.samples(chunks.next(), index));
        }
        return evaluation.report(values, chunks.fullyMasked(), source);
    }

    /**
     * The target-precision loop, through the same chunked pieces with its own chunk sizes: the
     * examples in seeded random order, chunks growing by {@link PrecisionSchedule}, and a stop
     * as soon as the cheap normal-approximation check passes and the reported (bootstrap)
     * half-widths confirm it ({@link Precision}).
     */
    private InvarianceReport runToPrecision(ChunkedEvaluation evaluation, ExampleChunks chunks, ReportAccumulator values,
            String source) {
        chunks.inRandomOrder(seed);
        PrecisionSchedule schedule = new PrecisionSchedule(group.order(), evaluation.chunkSize());
        for (int index = 0; chunks.hasNext(); index++) {
            evaluation.add(values, evaluation.samples(chunks.next(schedule.next(values.examples())), index));
            if (values.normalHalfWidthsAtMost(targetPrecision) && chunks.hasNext()) {
                // The cheap check passed: the reported (bootstrap) half-widths decide.
                InvarianceReport candidate = precisionReport(evaluation, values, chunks, schedule, source);
                if (candidate.precision().orElseThrow().met()) {
                    return candidate;
                }
            }
        }
        return precisionReport(evaluation, values, chunks, schedule, source);
    }

    /** The report of the examples so far, with the target's precision. */
    private InvarianceReport precisionReport(ChunkedEvaluation evaluation, ReportAccumulator values, ExampleChunks chunks,
            PrecisionSchedule schedule, String source) {
        InvarianceReport report = evaluation.report(values, chunks.fullyMasked(), source);
        Map<String, String> settings = new LinkedHashMap<>(report.settings());
        settings.put("order", "seeded random (seed " + seed + ")");
        settings.put("chunkSchedule", schedule.describe());
        Precision.of(report.values(), values.examples(), targetPrecision).into(settings);
        return new InvarianceReport(report.values(), settings);
    }

    MemoryBudget.SizingMemo sizingMemo() {
        MemoryBudget.SizingMemo memo = sizingMemo;
        if (memo == null) {
            memo = new MemoryBudget.SizingMemo();
            sizingMemo = memo;
        }
        return memo;
    }

    EvaluationPlan plan(ModelProbe probe, Examples first) {
        return new EvaluationPlan(probe, action, first, metrics, defaultMetrics(distance), layers, fieldTypes, actedInputs,
                sampleElements, seed, reduction);
    }

    int maxBatch() {
        return maxBatch;
    }

    long maxBatchBytes() {
        return maxBatchBytes;
    }

    Map<String, String> settings(EvaluationPlan plan, int examples, MemoryBudget.Chunking chunking) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("group", group.name());
        settings.put("action", plan.inputs.firstAction().describe());
        settings.put("distance", distance.name());
        settings.put("n", String.valueOf(examples));
        settings.put("seed", String.valueOf(seed));
        settings.put("maxBatch", String.valueOf(maxBatch));
        settings.put("maxBatchBytes", chunking.describeBudget());
        settings.put("chunkSize", String.valueOf(chunking.examples()));
        settings.put("chunking", chunking.describe());
        settings.put("reduction", plan.reduction.name());
        if (plan.sampleElements() > 0) {
            settings.put("sampleElements", plan.sampleElements() + " of " + group.order()
                    + " elements per example (identity + seeded draw)");
        }
        settings.put("metrics", plan.metrics.stream().map(OrbitMetric::describe).collect(Collectors.joining(", ")));
        if (!labelMetrics) {
            settings.put("labelMetrics", "off");
        } else if (!plan.labelled) {
            settings.put("labelMetrics", "off (the data has no labels)");
        }
        return settings;
    }

    /** Class index per row: argmax of one-hot labels, or the value itself for a single column. */
    static int[] classesOf(INDArray labels) {
        int n = (int) labels.size(0);
        int k = (int) (labels.length() / n);
        double[] y = labels.dup('c').reshape(labels.length()).toDoubleVector();
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = k == 1 ? (int) Math.round(y[i]) : OrbitConsistency.argmax(Arrays.copyOfRange(y, i * k, (i + 1) * k));
        }
        return c;
    }

    /** Builder; only {@link #inputAction} is required. The settings are {@link EvaluatorSettings}'s. */
    public static final class Builder extends EvaluatorSettings<Builder> {

        private Builder() {
        }

        /**
         * @throws IllegalArgumentException without an input action, or when the group does not
         *                                  match the action's group
         */
        public InvarianceEvaluator build() {
            if (action == null) {
                throw new IllegalArgumentException("InvarianceEvaluator needs an inputAction(...), got none");
            }
            FiniteGroup acting = action.group();
            if (acting.order() > FiniteGroup.MAX_ORDER) {
                throw new IllegalArgumentException("The input action " + action.describe() + " acts by " + acting.name()
                        + " of order " + acting.order() + "; at most FiniteGroup.MAX_ORDER = " + FiniteGroup.MAX_ORDER
                        + " elements are evaluated (|G| rows and a |G|×|G| Gram matrix per example and layer)");
            }
            if (sampleElements > acting.order()) {
                throw new IllegalArgumentException("sampleElements(" + sampleElements + ") asks for more elements than "
                        + acting.name() + " has (|G| = " + acting.order() + ")");
            }
            if (reduction == ReductionPath.ND4J && sampleElements > 0 && sampleElements < acting.order()) {
                reduction.resolve(sampleElements);      // refuses: only the Java reduction handles sampled elements
            }
            if (group != null && !group.equals(acting)) {
                throw new IllegalArgumentException("Group " + group.name() + " (order " + group.order()
                        + ") does not match the input action " + action.describe() + ", which acts by "
                        + acting.name() + " (order " + acting.order() + ")");
            }
            for (Map.Entry<String, FieldType> e : fieldTypes.entrySet()) {
                if (!e.getValue().isFieldOf(acting)) {
                    throw new IllegalArgumentException("fieldType for layer '" + e.getKey() + "' is "
                            + e.getValue().describe() + ", not a field of " + acting.name() + ", the group of the input action");
                }
            }
            return new InvarianceEvaluator(this);
        }
    }
}
