package org.dl4jinvariance.arbiter;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.metric.Distance;
import org.dl4jinvariance.metric.EvaluationProgress;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.InvarianceScore;
import org.dl4jinvariance.metric.MetricKey;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.PredictionInvariance;
import org.dl4jinvariance.probe.ModelProbe;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * An Arbiter {@link ScoreFunction} that sees invariance: an invariance metric of a chosen layer
 * on a chosen data set, optionally weighed against accuracy and loss on the search's test data,
 * optionally with a bound the metric must meet.
 *
 * <p>The score is {@link InvarianceScore}'s, the same rule as the early-stopping
 * {@code InvarianceScoreCalculator}. With weights w_m, w_a, w_l ≥ 0 and σ the metric key's
 * direction ({@link MetricKey.Direction#sign()}: +1 for accuracy, consistency, cosine similarity
 * ratio; −1 for deviations, prediction KL, Lie derivatives):
 * <pre>
 *   G = w_a · accuracy + σ · w_m · metric − w_l · loss                 (higher G = better candidate)
 *   maximize score = G      when G has a positive term (w_a &gt; 0, or σ = +1 and w_m &gt; 0)
 *   minimize score = −G = w_m · metric + w_l · loss                    otherwise
 * </pre>
 * so the direction is set by the terms and the score stays a plain figure: the metric alone is
 * minimized as itself, accuracy − 0.1 · predictionKL is maximized. With a bound
 * ({@link Builder#requireMetricAtMost}, {@link Builder#requireMetricAtLeast}) a candidate whose
 * metric misses it by v &gt; 0 scores {@code ∓(1e6 + v)}: it ranks below every candidate that meets
 * the bound, nearer misses first. That is "the most accurate model whose predictions are at least
 * this invariant on OOD data":
 *
 * <pre>{@code
 * InvarianceScoreFunction score = InvarianceScoreFunction.builder()
 *         .group("C4")                                             // rotations by 90°
 *         .metric(MetricKeys.PREDICTION_KL)                        // at the output layer
 *         .data(ScoreData.embedded("fashion-mnist", 0, 1000))      // out of distribution
 *         .metricWeight(0).accuracyWeight(1)                       // maximize accuracy ...
 *         .requireMetricAtMost(0.05)                               // ... among KL <= 0.05
 *         .build();
 * }</pre>
 *
 * <p>The metric is {@link InvarianceEvaluator#evaluate} with the group's exact image action
 * ({@link ImageActions#rotation}), the distance, {@code maxExamples} and seed given here, read
 * at the given layer or else the deepest probed layer with an applicable value of it (the output
 * layer for output-only keys, {@link MetricKey#outputOnly()}, which then is the only layer probed). Accuracy is
 * DL4J's {@code Evaluation.accuracy()} and loss {@code DataSetLossCalculator} (average) on
 * {@code DataSource.testData()}. Everything here is a plain field (the metric by its name):
 * Arbiter's {@code JsonMapper} writes and reads the function inside an
 * {@code OptimizationConfiguration}, like its own.
 * {@link #lastBreakdown()} gives the figures behind the last score computed on the calling
 * thread.
 */
public final class InvarianceScoreFunction implements ScoreFunction {

    private static final long serialVersionUID = 1L;

    /** The score offset of a candidate that misses a bound: {@link InvarianceScore#INFEASIBLE_OFFSET}. */
    public static final double INFEASIBLE_OFFSET = InvarianceScore.INFEASIBLE_OFFSET;

    private String group = "C4";
    /** A user's GroupAction class (public, no-argument constructor) instead of the group's image action, or null. */
    private String actionClass;
    private String metric = PredictionInvariance.KEY.name();
    private String layer;
    private Distance distance = Distance.COSINE;
    private ScoreData data = ScoreData.testData();
    private int maxExamples = InvarianceEvaluator.DEFAULT_MAX_EXAMPLES;
    private long seed = InvarianceEvaluator.DEFAULT_SEED;
    private double metricWeight = 1;
    private double accuracyWeight;
    private double lossWeight;
    private Double maxMetric;
    private Double minMetric;
    /** The evaluator's target 95% CI half-width, or null to evaluate every example up to maxExamples. */
    private Double targetPrecision;

    @JsonIgnore
    private transient ThreadLocal<ScoreBreakdown> last;
    /** Told as the metric's evaluation goes; not part of the function (not written, not compared). */
    @JsonIgnore
    private transient EvaluationProgress progress;

    /** For Jackson. */
    private InvarianceScoreFunction() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * True when a higher value of {@code metric} means a better (more invariant or accurate) model.
     *
     * @throws IllegalArgumentException for a name that is no known key
     * @deprecated the key knows its direction: {@code MetricKey.of(metric).higherIsBetter()}
     */
    @Deprecated
    public static boolean higherIsBetter(String metric) {
        return MetricKey.of(metric).higherIsBetter();
    }

    /** The scoring rule these fields describe, reading the metric at {@code layerKey} (null: the deepest with a value). */
    private InvarianceScore scoring(String layerKey) {
        InvarianceScore.Builder b = InvarianceScore.builder().metric(metric).metricWeight(metricWeight)
                .accuracyWeight(accuracyWeight).lossWeight(lossWeight);
        if (layerKey != null) {
            b.layer(layerKey);
        }
        if (maxMetric != null) {
            b.requireMetricAtMost(maxMetric);
        }
        if (minMetric != null) {
            b.requireMetricAtLeast(minMetric);
        }
        return b.build();
    }

    /** The metric key scored. */
    public MetricKey metricKey() {
        return MetricKey.of(metric);
    }

    /** False when the score is maximized: accuracy is weighed in, or the metric is higher-is-better (see the class comment). */
    @Override
    public boolean minimize() {
        return scoring(layer).minimize();
    }

    @Override
    public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
        return breakdown(model, dataProvider.testData(dataParameters)).score();
    }

    @Override
    public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
        DataSource ds;
        try {
            ds = dataSource.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("Cannot create DataSource " + dataSource.getName()
                    + " (it needs a public no-argument constructor): " + e, e);
        }
        if (dataSourceProperties != null) {
            ds.configure(dataSourceProperties);
        }
        return breakdown(model, ds.testData()).score();
    }

    /**
     * Measures every term for {@code model} ({@code MultiLayerNetwork} or
     * {@code ComputationGraph}) and returns them with the score; {@code testData} is the search's
     * test data (a {@code DataSetIterator} or a factory of one).
     */
    public ScoreBreakdown breakdown(Object model, Object testData) {
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            throw new IllegalArgumentException("InvarianceScoreFunction scores MultiLayerNetwork and ComputationGraph "
                    + "models, got " + (model == null ? "null" : model.getClass().getName()));
        }
        Model m = (Model) model;
        InvarianceScore rule = scoring(layer);
        String wanted = null;
        InvarianceReport report = null;
        if (rule.readsMetric()) {
            ModelProbe probe = ModelProbe.of(m);
            // An output-only key needs the output layer alone: probe nothing else.
            wanted = layer != null ? probe.resolve(layer) : rule.metric().outputOnly() ? probe.outputLayer() : null;
            InvarianceEvaluator.Builder eb = InvarianceEvaluator.builder().inputAction(inputAction())
                    .distance(distance).maxExamples(maxExamples).seed(seed);
            if (targetPrecision != null) {
                eb.targetPrecision(targetPrecision);
            }
            if (wanted != null) {
                eb.layers(wanted);
            }
            if (progress != null) {
                eb.progress(progress.forDataSet(data.toString()));
            }
            report = eb.build().evaluate(m, data.iterator(testData));
        }
        double accuracy = Double.NaN;
        if (accuracyWeight > 0) {
            DataSetIterator it = ScoreData.asIterator(testData, "the search's test data");
            it.reset();
            Evaluation e = model instanceof MultiLayerNetwork net ? net.evaluate(it) : ((ComputationGraph) model).evaluate(it);
            accuracy = e.accuracy();
        }
        double loss = Double.NaN;
        if (lossWeight > 0) {
            DataSetIterator it = ScoreData.asIterator(testData, "the search's test data");
            it.reset();
            loss = new DataSetLossCalculator(it, true).calculateScore(m);
        }
        InvarianceScore.Result r = scoring(wanted).score(report, accuracy, loss);
        ScoreBreakdown b = new ScoreBreakdown(r.score(), r.feasible(), metric, r.layer(), r.metric(), accuracy, loss, report);
        lastHolder().set(b);
        return b;
    }

    /**
     * The input action: the user's action class when one was given
     * ({@link Builder#inputAction(Class)}), else the exact image action of the group.
     */
    public GroupAction inputAction() {
        if (actionClass == null) {
            return ImageActions.rotation(Groups.byName(group));
        }
        try {
            return Class.forName(actionClass).asSubclass(GroupAction.class).getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException("Cannot create the input action " + actionClass
                    + " (a GroupAction with a public no-argument constructor is expected): " + e, e);
        }
    }

    /** The figures behind the last score this function computed on the calling thread, or null. */
    public ScoreBreakdown lastBreakdown() {
        return lastHolder().get();
    }

    private synchronized ThreadLocal<ScoreBreakdown> lastHolder() {
        if (last == null) {
            last = new ThreadLocal<>();
        }
        return last;
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return Arrays.asList(MultiLayerNetwork.class, ComputationGraph.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
        return List.of(DataSetIterator.class);
    }

    public String group() {
        return group;
    }

    public String metric() {
        return metric;
    }

    /** The layer given, or null for "the deepest layer reporting the metric". */
    public String layer() {
        return layer;
    }

    public ScoreData data() {
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InvarianceScoreFunction f && group.equals(f.group) && metric.equals(f.metric)
                && Objects.equals(actionClass, f.actionClass)
                && Objects.equals(layer, f.layer) && distance == f.distance && data.equals(f.data)
                && maxExamples == f.maxExamples && seed == f.seed && metricWeight == f.metricWeight
                && accuracyWeight == f.accuracyWeight && lossWeight == f.lossWeight
                && Objects.equals(maxMetric, f.maxMetric) && Objects.equals(minMetric, f.minMetric)
                && Objects.equals(targetPrecision, f.targetPrecision);
    }

    @Override
    public int hashCode() {
        return Objects.hash(group, actionClass, metric, layer, distance, data, maxExamples, seed, metricWeight, accuracyWeight,
                lossWeight, maxMetric, minMetric, targetPrecision);
    }

    @Override
    public String toString() {
        String m = metric + (layer == null ? "" : "@" + layer) + " on " + data + " under "
                + (actionClass == null ? group : actionClass);
        return "InvarianceScoreFunction(" + scoring(layer).describe(m) + ")";
    }

    /**
     * Builder; every setting has a default: C4, prediction KL, the search's test data, weight 1 on
     * the metric. The metric, layer, weights and bounds are {@link InvarianceScore.Builder}'s
     * settings and checked there.
     */
    public static final class Builder {
        private final InvarianceScoreFunction f = new InvarianceScoreFunction();
        private final InvarianceScore.Builder score = InvarianceScore.builder().metric(PredictionInvariance.KEY);

        private Builder() {
        }

        /** The group acting on the input by its exact image action, by name ({@code "C4"}, {@code "D4"}, ...). */
        public Builder group(String name) {
            f.group = Groups.byName(name).name();
            return this;
        }

        public Builder group(org.dl4jinvariance.group.PlanarGroup group) {
            return group(Objects.requireNonNull(group, "group").name());
        }

        /**
         * A user-written action instead of the group's image action: its class, which needs a
         * public no-argument constructor (the function is written as JSON by Arbiter, so it keeps
         * the class name, not the object). Layers' fields then come from
         * {@link GroupAction#featureMapField()} and the layers' own declarations.
         *
         * @throws IllegalArgumentException when the class cannot be instantiated, naming it
         */
        public Builder inputAction(Class<? extends GroupAction> actionClass) {
            Objects.requireNonNull(actionClass, "actionClass");
            f.actionClass = actionClass.getName();
            GroupAction probe = f.inputAction();
            f.group = probe.group().name();
            return this;
        }

        /**
         * The metric key by name, e.g. {@code MetricKeys.PREDICTION_KL} or {@code MetricKeys.INVARIANCE_NORMALIZED}.
         *
         * @throws IllegalArgumentException for a name that is no known key, listing the known ones
         */
        public Builder metric(String key) {
            score.metric(key);
            return this;
        }

        /**
         * The metric key, e.g. {@code PredictionInvariance.KEY}; one of the evaluator's default
         * metrics, stored by its name.
         */
        public Builder metric(MetricKey key) {
            return metric(Objects.requireNonNull(key, "metric key").name());
        }

        /** The layer (name, key or index); default: the deepest layer with an applicable value of the metric. */
        public Builder layer(String layer) {
            score.layer(layer);
            return this;
        }

        /** Where the metric is measured (default {@link ScoreData#testData()}). */
        public Builder data(ScoreData data) {
            f.data = Objects.requireNonNull(data, "data");
            return this;
        }

        /** Distance of the invariance/equivariance metrics (default COSINE). */
        public Builder distance(Distance distance) {
            f.distance = Objects.requireNonNull(distance, "distance");
            return this;
        }

        /** Examples the metric is measured on (default 1000). */
        public Builder maxExamples(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxExamples must be >= 1, got " + n);
            }
            f.maxExamples = n;
            return this;
        }

        /**
         * The evaluator's {@link org.dl4jinvariance.metric.EvaluatorSettings#targetPrecision
         * targetPrecision}: examples in a seeded random order until every reported 95% CI
         * half-width is at most h, or maxExamples (default: none, every example).
         *
         * @throws IllegalArgumentException for h ≤ 0, NaN or infinite, naming h
         */
        public Builder targetPrecision(double h) {
            InvarianceEvaluator.builder().targetPrecision(h);     // the one validation, with its message
            f.targetPrecision = h;
            return this;
        }

        /**
         * Told how far the metric's evaluation of each candidate has come, for a progress bar
         * (optional; see {@link EvaluationProgress}). Not written with the function and not
         * compared: it changes no score.
         *
         * @throws IllegalArgumentException for null
         */
        public Builder progress(EvaluationProgress progress) {
            if (progress == null) {
                throw new IllegalArgumentException("progress needs an EvaluationProgress, got null");
            }
            f.progress = progress;
            return this;
        }

        /** The evaluator's seed (chunk shuffles and bootstrap). */
        public Builder seed(long seed) {
            f.seed = seed;
            return this;
        }

        /** w_m (default 1). */
        public Builder metricWeight(double w) {
            score.metricWeight(w);
            return this;
        }

        /** w_a (default 0). */
        public Builder accuracyWeight(double w) {
            score.accuracyWeight(w);
            return this;
        }

        /** w_l (default 0). */
        public Builder lossWeight(double w) {
            score.lossWeight(w);
            return this;
        }

        /** Candidates whose metric exceeds {@code bound} rank below all others. */
        public Builder requireMetricAtMost(double bound) {
            score.requireMetricAtMost(bound);
            return this;
        }

        /** Candidates whose metric is below {@code bound} rank below all others. */
        public Builder requireMetricAtLeast(double bound) {
            score.requireMetricAtLeast(bound);
            return this;
        }

        /** @throws IllegalArgumentException when every weight is 0, or the bounds exclude each other */
        public InvarianceScoreFunction build() {
            InvarianceScore s = score.build();
            InvarianceScoreFunction copy = new InvarianceScoreFunction();
            copy.group = f.group;
            copy.actionClass = f.actionClass;
            copy.metric = s.metric().name();
            copy.layer = s.layer().orElse(null);
            copy.distance = f.distance;
            copy.data = f.data;
            copy.maxExamples = f.maxExamples;
            copy.seed = f.seed;
            copy.targetPrecision = f.targetPrecision;
            copy.progress = f.progress;
            copy.metricWeight = s.metricWeight();
            copy.accuracyWeight = s.accuracyWeight();
            copy.lossWeight = s.lossWeight();
            copy.maxMetric = s.metricAtMost().isPresent() ? s.metricAtMost().getAsDouble() : null;
            copy.minMetric = s.metricAtLeast().isPresent() ? s.metricAtLeast().getAsDouble() : null;
            return copy;
        }
    }
}
