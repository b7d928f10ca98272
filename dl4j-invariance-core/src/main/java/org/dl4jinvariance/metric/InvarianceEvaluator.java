package org.dl4jinvariance.metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Model;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.FiniteGroup;
import org.dl4jinvariance.probe.ActivationVisitor;
import org.dl4jinvariance.probe.ModelProbe;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>How: the iterator is reset, then up to {@code maxExamples} examples are taken in chunks of
 * ⌊maxBatch / (|G| + 2·perturbations)⌋ examples. Each chunk is shuffled with the seed (so the
 * distinct-input baseline sets are random examples), its whole orbit is stacked into one batch
 * (plus T_±ε x rows for Lie derivatives), and one inference forward pass of a
 * {@link ModelProbe} visits every probed layer; each layer is reduced to per-example numbers
 * ({@link OrbitStatistic}) on the spot and every metric is a pure function of those
 * ({@link OrbitActivations}). Per-example values are summarized by
 * {@link MetricValue#of(double[], int[], long)} (mean, seeded 95% bootstrap CI, per class).
 *
 * <p>Layer keys: a {@code MultiLayerNetwork} layer's name when set, else its index as a string;
 * a {@code ComputationGraph}'s vertex names. Output-only metrics (prediction KL, consistency,
 * accuracy) are reported under the output layer. Flat [B, C·H·W] batches are accepted when the
 * network's input type is {@code convolutionalFlat} (the image action is wrapped with
 * {@link ImageActions#forFlatInput}). NaN activations give NaN values and a warning.
 */
public final class InvarianceEvaluator {

    private static final Logger log = LoggerFactory.getLogger(InvarianceEvaluator.class);

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
    private final long seed;

    private InvarianceEvaluator(Builder b) {
        this.action = b.action;
        this.group = b.action.group();
        this.layers = b.layers == null ? null : List.copyOf(b.layers);
        this.metrics = b.metrics == null ? null : List.copyOf(b.metrics);
        this.distance = b.distance;
        this.fieldTypes = Map.copyOf(b.fieldTypes);
        this.maxExamples = b.maxExamples;
        this.maxBatch = b.maxBatch;
        this.seed = b.seed;
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
        if (data == null) {
            throw new IllegalArgumentException("evaluate needs a DataSetIterator, got null");
        }
        if (data.resetSupported()) {
            data.reset();
        }
        if (!data.hasNext()) {
            throw new IllegalArgumentException("The DataSetIterator " + data.getClass().getSimpleName()
                    + " yielded no examples; an evaluation needs at least one");
        }
        DataSet first = data.next();
        Run run = new Run(probe, first, data);
        return run.execute();
    }

    /** One evaluation: the plan (layers, metrics, statistics) and the accumulated values. */
    private final class Run {
        private final ModelProbe probe;
        private final DataSetIterator data;
        private DataSet pending;
        private final GroupAction inputAction;
        private final long[] flatShape;
        private final List<OrbitMetric> active;
        private final List<String> keys;
        private final Map<String, ProbedLayer> info = new LinkedHashMap<>();
        private final Map<String, OrbitReducer> reducers = new LinkedHashMap<>();
        private final List<Perturbation> perturbations;
        private final Map<String, Map<String, Accumulator>> acc = new LinkedHashMap<>();
        private final List<Integer> classes = new ArrayList<>();
        private final boolean labelled;
        private int examples;
        private int chunks;

        Run(ModelProbe probe, DataSet first, DataSetIterator data) {
            this.probe = probe;
            this.data = data;
            this.pending = first;
            INDArray x = first.getFeatures();
            boolean flat = x.rank() == 2 && probe.flatImageShape().isPresent();
            this.flatShape = flat ? probe.flatImageShape().get() : null;
            this.inputAction = flat && !action.layout().isFlat()
                    ? ImageActions.forFlatInput(action, (int) flatShape[0], (int) flatShape[1], (int) flatShape[2]) : action;
            this.labelled = first.getLabels() != null;

            boolean explicit = metrics != null;
            List<OrbitMetric> chosen = new ArrayList<>(explicit ? metrics : defaultMetrics(distance));
            if (!labelled) {
                for (OrbitMetric m : List.copyOf(chosen)) {
                    if (m.needsLabels()) {
                        if (explicit) {
                            throw new IllegalArgumentException("Metric " + m.describe() + " needs class labels, but the "
                                    + "DataSetIterator's DataSets have labels = null");
                        }
                        log.warn("The data has no labels: {} is left out of the report", m.describe());
                        chosen.remove(m);
                    }
                }
            }
            this.active = chosen;

            LinkedHashSet<String> wanted = new LinkedHashSet<>();
            for (String l : layers == null ? probe.layerNames() : layers) {
                wanted.add(probe.resolve(l));
            }
            for (String l : fieldTypes.keySet()) {
                probe.resolve(l);
            }
            String output = probe.outputLayer();
            if (explicit && !wanted.contains(output)) {
                ProbedLayer out = new ProbedLayer(output, group, true, null, null, false);
                if (active.stream().anyMatch(m -> m.reportsAt(out) && !m.reportsAt(
                        new ProbedLayer(output, group, false, null, null, false)))) {
                    wanted.add(output);
                }
            }
            this.keys = probe.layerNames().stream().filter(wanted::contains).collect(Collectors.toList());

            LinkedHashSet<Perturbation> perts = new LinkedHashSet<>();
            active.forEach(m -> perts.addAll(m.perturbations()));
            this.perturbations = List.copyOf(perts);

            LayerFields fields = new LayerFields(probe, inputAction, probe.networkInputs(), fieldTypes);
            for (String key : keys) {
                LayerFields.Resolved field = fields.resolve(key);
                ProbedLayer layer = new ProbedLayer(key, group, key.equals(output), field.field(), field.reason(),
                        fields.outputsProbabilities(key));
                info.put(key, layer);
                Set<OrbitStatistic> stats = EnumSet.noneOf(OrbitStatistic.class);
                for (OrbitMetric m : active) {
                    if (m.reportsAt(layer) && m.notApplicableReason(layer) == null) {
                        stats.addAll(m.statistics(layer));
                    }
                }
                reducers.put(key, new OrbitReducer(layer, stats, perturbations, fields.isNhwc(key)));
                acc.put(key, new LinkedHashMap<>());
            }
        }

        InvarianceReport execute() {
            int rowsPerExample = group.order() + 2 * perturbations.size();
            int chunkSize = Math.max(1, maxBatch / rowsPerExample);
            List<INDArray> xs = new ArrayList<>();
            List<INDArray> ys = new ArrayList<>();
            List<INDArray> masks = new ArrayList<>();
            int buffered = 0;
            int taken = 0;
            while (taken < maxExamples && (pending != null || data.hasNext())) {
                DataSet ds = pending != null ? pending : data.next();
                pending = null;
                int n = (int) Math.min(ds.getFeatures().size(0), maxExamples - taken);
                if (n == 0) {
                    continue;
                }
                if (labelled && ds.getLabels() == null) {
                    throw new IllegalArgumentException("A DataSet after the first has labels = null; label every example or none");
                }
                xs.add(rows(ds.getFeatures(), n));
                ys.add(labelled ? rows(ds.getLabels(), n) : null);
                masks.add(ds.getFeaturesMaskArray() == null ? null : rows(ds.getFeaturesMaskArray(), n));
                buffered += n;
                taken += n;
                while (buffered >= chunkSize) {
                    buffered = flushChunk(xs, ys, masks, chunkSize, buffered);
                }
            }
            if (buffered > 0) {
                flushChunk(xs, ys, masks, buffered, buffered);
            }
            return report();
        }

        /** Processes the first {@code size} buffered examples and keeps the rest buffered. */
        private int flushChunk(List<INDArray> xs, List<INDArray> ys, List<INDArray> masks, int size, int buffered) {
            INDArray x = concat(xs);
            INDArray y = labelled ? concat(ys) : null;
            boolean masked = masks.stream().anyMatch(m -> m != null);
            INDArray mask = masked ? concat(masks) : null;
            xs.clear();
            ys.clear();
            masks.clear();
            if (buffered > size) {
                xs.add(range(x, size, buffered));
                ys.add(y == null ? null : range(y, size, buffered));
                masks.add(mask == null ? null : range(mask, size, buffered));
            }
            processChunk(range(x, 0, size), y == null ? null : range(y, 0, size), mask == null ? null : range(mask, 0, size));
            return buffered - size;
        }

        private void processChunk(INDArray x, INDArray y, INDArray mask) {
            int b = (int) x.size(0);
            int[] perm = shuffled(b, seed + 1_000_003L * chunks++);
            x = pick(x, perm);
            y = y == null ? null : pick(y, perm);
            mask = mask == null ? null : pick(mask, perm);
            int[] chunkClasses = y == null ? null : classesOf(y);

            List<INDArray> parts = new ArrayList<>();
            parts.add(inputAction.orbit(x));
            for (Perturbation p : perturbations) {
                parts.add(perturb(p, x, p.epsilon()));
                parts.add(perturb(p, x, -p.epsilon()));
            }
            INDArray input = parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
            INDArray inputMask = null;
            if (mask != null) {
                // The mask moves with its input: g·x is read through g·mask.
                INDArray[] parts2 = new INDArray[1 + 2 * perturbations.size()];
                parts2[0] = inputAction.orbitMask(mask, x);
                Arrays.fill(parts2, 1, parts2.length, mask);
                inputMask = parts2.length == 1 ? parts2[0] : Nd4j.concat(0, parts2);
            }
            Map<String, OrbitActivations> contexts = new LinkedHashMap<>();
            probe.forward(input, inputMask, keys, new ActivationVisitor() {
                @Override
                public void visit(String layer, INDArray act) {
                    OrbitReducer.Reduction r = reducers.get(layer).reduce(act, b, chunkClasses);
                    contexts.put(layer, r.context());
                    if (r.pending() != null) {
                        r.pending().run();
                    }
                }

                @Override
                public Future<?> visitConcurrently(String layer, INDArray act) {
                    OrbitReducer.Reduction r = reducers.get(layer).reduce(act, b, chunkClasses);
                    contexts.put(layer, r.context());
                    return r.pending() == null ? null : ForkJoinPool.commonPool().submit(r.pending());
                }
            });
            for (Map.Entry<String, OrbitActivations> e : contexts.entrySet()) {
                ProbedLayer layer = info.get(e.getKey());
                for (OrbitMetric m : active) {
                    if (m.reportsAt(layer) && m.notApplicableReason(layer) == null) {
                        add(e.getKey(), m.compute(e.getValue()));
                    }
                }
            }
            if (chunkClasses != null) {
                for (int c : chunkClasses) {
                    classes.add(c);
                }
            }
            examples += b;
        }

        private INDArray perturb(Perturbation p, INDArray x, double t) {
            if (flatShape == null) {
                return p.action().apply(t, x);
            }
            INDArray images = x.dup('c').reshape('c', x.size(0), flatShape[0], flatShape[1], flatShape[2]);
            return p.action().apply(t, images).reshape('c', x.size(0), x.size(1));
        }

        private void add(String layer, MetricSamples samples) {
            Map<String, Accumulator> perKey = acc.get(layer);
            samples.values().forEach((k, v) -> perKey.computeIfAbsent(k, z -> new Accumulator()).add(v, samples.references().get(k)));
            samples.notApplicableKeys().forEach((k, reason) -> perKey.computeIfAbsent(k, z -> new Accumulator()).notApplicable = reason);
        }

        private InvarianceReport report() {
            int[] cls = labelled ? classes.stream().mapToInt(Integer::intValue).toArray() : null;
            // Summaries (each a 1,000-resample bootstrap) are independent: compute them in parallel.
            List<Runnable> tasks = new ArrayList<>();
            Map<String, Map<String, MetricValue>> values = new LinkedHashMap<>();
            for (String key : keys) {
                ProbedLayer layer = info.get(key);
                Map<String, MetricValue> row = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
                for (OrbitMetric m : active) {
                    if (!m.reportsAt(layer)) {
                        continue;
                    }
                    String reason = m.notApplicableReason(layer);
                    for (String k : m.keys(layer)) {
                        Accumulator a = acc.get(key).get(k);
                        row.put(k, null);
                        tasks.add(() -> row.put(k, reason != null ? MetricValue.notApplicable(reason)
                                : a == null ? MetricValue.notApplicable("no value computed") : a.summarize(key, k, cls)));
                    }
                }
                values.put(key, row);
            }
            tasks.parallelStream().forEach(Runnable::run);
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("group", group.name());
            settings.put("action", inputAction.describe());
            settings.put("distance", distance.name());
            settings.put("n", String.valueOf(examples));
            settings.put("seed", String.valueOf(seed));
            settings.put("maxBatch", String.valueOf(maxBatch));
            settings.put("metrics", active.stream().map(OrbitMetric::describe).collect(Collectors.joining(", ")));
            return new InvarianceReport(values, settings);
        }
    }

    /** Per-example values (and ratio references) of one key at one layer, over all chunks. */
    private final class Accumulator {
        private double[] values = new double[0];
        private double[] references;
        private String notApplicable;

        void add(double[] v, double[] ref) {
            values = append(values, v);
            if (ref != null) {
                references = append(references == null ? new double[0] : references, ref);
            }
        }

        MetricValue summarize(String layer, String key, int[] classes) {
            if (notApplicable != null) {
                return MetricValue.notApplicable(notApplicable);
            }
            double[] v = values;
            if (references != null) {
                if (references.length == 0) {
                    return MetricValue.notApplicable("the distinct-input baseline needs chunks of at least |G| = "
                            + group.order() + " examples");
                }
                double mean = Arrays.stream(references).sum() / references.length;
                v = Arrays.stream(values).map(x -> x == 0 ? 0 : x / mean).toArray();
            }
            if (Arrays.stream(v).anyMatch(Double::isNaN)) {
                log.warn("Layer '{}', metric '{}': NaN values (NaN or infinite activations?)", layer, key);
            }
            return MetricValue.of(v, classes, seed);
        }
    }

    private static double[] append(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static INDArray rows(INDArray a, int n) {
        return a.size(0) == n ? a.dup() : range(a, 0, n).dup();
    }

    private static INDArray range(INDArray a, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        idx[0] = NDArrayIndex.interval(from, to);
        Arrays.fill(idx, 1, idx.length, NDArrayIndex.all());
        return a.get(idx);
    }

    /** Rows of {@code a} in the order {@code perm} (one native gather of [B, rest] rows). */
    private static INDArray pick(INDArray a, int[] perm) {
        INDArray rows = a.dup('c').reshape('c', a.size(0), a.length() / a.size(0));
        return Nd4j.pullRows(rows, 1, perm).reshape('c', a.shape());
    }

    private static INDArray concat(List<INDArray> parts) {
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    private static int[] shuffled(int n, long seed) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    /** Class index per row: argmax of one-hot labels, or the value itself for a single column. */
    private static int[] classesOf(INDArray labels) {
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
