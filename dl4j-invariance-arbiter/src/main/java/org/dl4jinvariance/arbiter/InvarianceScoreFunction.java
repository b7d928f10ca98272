package org.dl4jinvariance.arbiter;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.MetricValue;
import org.dl4jinvariance.probe.ModelProbe;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * An Arbiter {@link ScoreFunction} that sees invariance: an invariance metric of a chosen layer
 * on a chosen data set, optionally weighed against accuracy and loss on the search's test data,
 * optionally with a bound the metric must meet.
 *
 * <p>With weights w_m, w_a, w_l ≥ 0 and σ = +1 for metrics where higher is better (accuracy,
 * consistency, cosine similarity ratio), −1 for the rest (deviations, prediction KL, Lie
 * derivatives):
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
 * at the given layer or else the deepest probed layer that reports it (the output layer for
 * prediction KL, consistency and accuracy, which then is the only layer probed). Accuracy is
 * DL4J's {@code Evaluation.accuracy()} and loss {@code DataSetLossCalculator} (average) on
 * {@code DataSource.testData()}. Everything here is a plain field: Arbiter's {@code JsonMapper}
 * writes and reads the function inside an {@code OptimizationConfiguration}, like its own.
 * {@link #lastBreakdown()} gives the figures behind the last score computed on the calling
 * thread.
 */
public final class InvarianceScoreFunction implements ScoreFunction {

    private static final long serialVersionUID = 1L;

    /** The score offset of a candidate that misses a bound. */
    public static final double INFEASIBLE_OFFSET = 1e6;

    private String group = "C4";
    private String metric = MetricKeys.PREDICTION_KL;
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

    @JsonIgnore
    private transient ThreadLocal<ScoreBreakdown> last;

    /** For Jackson. */
    private InvarianceScoreFunction() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when a higher value of {@code metric} means a better (more invariant or accurate) model. */
    public static boolean higherIsBetter(String metric) {
        return metric.startsWith(MetricKeys.ACCURACY) || metric.equals(MetricKeys.CONSISTENCY)
                || metric.equals(MetricKeys.COSINE_SIMILARITY_RATIO);
    }

    /** True for metrics the evaluator reports only at the output layer. */
    static boolean outputOnly(String metric) {
        return metric.startsWith(MetricKeys.ACCURACY) || metric.equals(MetricKeys.CONSISTENCY)
                || metric.equals(MetricKeys.PREDICTION_KL);
    }

    @Override
    public boolean minimize() {
        return !(accuracyWeight > 0 || (metricWeight > 0 && higherIsBetter(metric)));
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
        double value = Double.NaN;
        String at = null;
        InvarianceReport report = null;
        if (metricWeight > 0 || maxMetric != null || minMetric != null) {
            ModelProbe probe = ModelProbe.of(m);
            String wanted = layer != null ? probe.resolve(layer) : outputOnly(metric) ? probe.outputLayer() : null;
            InvarianceEvaluator.Builder eb = InvarianceEvaluator.builder().inputAction(inputAction())
                    .distance(distance).maxExamples(maxExamples).seed(seed);
            if (wanted != null) {
                eb.layers(wanted);
            }
            report = eb.build().evaluate(m, data.iterator(testData));
            at = wanted != null ? wanted : deepestWith(report);
            MetricValue v = report.get(at, metric);
            if (!v.isApplicable()) {
                throw new IllegalArgumentException("Metric '" + metric + "' does not apply at layer '" + at + "': "
                        + v.notApplicable());
            }
            value = v.mean();
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
        double goodness = (accuracyWeight > 0 ? accuracyWeight * accuracy : 0)
                + (metricWeight > 0 ? (higherIsBetter(metric) ? 1 : -1) * metricWeight * value : 0)
                - (lossWeight > 0 ? lossWeight * loss : 0);
        double violation = violation(value);
        boolean feasible = violation == 0;
        double score;
        if (minimize()) {
            score = feasible ? -goodness : INFEASIBLE_OFFSET + violation;
        } else {
            score = feasible ? goodness : -(INFEASIBLE_OFFSET + violation);
        }
        ScoreBreakdown b = new ScoreBreakdown(score, feasible, metric, at, value, accuracy, loss, report);
        lastHolder().set(b);
        return b;
    }

    /** How far {@code value} lies outside [minMetric, maxMetric]; 0 inside (or without bounds). */
    private double violation(double value) {
        if (maxMetric != null && !(value <= maxMetric)) {
            return Double.isNaN(value) ? Double.MAX_VALUE / 4 : value - maxMetric;
        }
        if (minMetric != null && !(value >= minMetric)) {
            return Double.isNaN(value) ? Double.MAX_VALUE / 4 : minMetric - value;
        }
        return 0;
    }

    private String deepestWith(InvarianceReport report) {
        List<String> layers = report.layers();
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (report.has(layers.get(i), metric)) {
                return layers.get(i);
            }
        }
        throw new IllegalArgumentException("No layer reports metric '" + metric + "'; metrics in the report: "
                + report.metrics());
    }

    /** The exact image action of the group. */
    public GroupAction inputAction() {
        return ImageActions.rotation(Groups.byName(group));
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
                && Objects.equals(layer, f.layer) && distance == f.distance && data.equals(f.data)
                && maxExamples == f.maxExamples && seed == f.seed && metricWeight == f.metricWeight
                && accuracyWeight == f.accuracyWeight && lossWeight == f.lossWeight
                && Objects.equals(maxMetric, f.maxMetric) && Objects.equals(minMetric, f.minMetric);
    }

    @Override
    public int hashCode() {
        return Objects.hash(group, metric, layer, distance, data, maxExamples, seed, metricWeight, accuracyWeight,
                lossWeight, maxMetric, minMetric);
    }

    @Override
    public String toString() {
        String m = metric + (layer == null ? "" : "@" + layer) + " on " + data + " under " + group;
        StringBuilder terms = new StringBuilder();
        boolean min = minimize();
        double sign = min ? -1 : 1;
        if (accuracyWeight > 0) {
            terms.append(term(sign * accuracyWeight, "accuracy", terms.length() == 0));
        }
        if (metricWeight > 0) {
            terms.append(term(sign * (higherIsBetter(metric) ? 1 : -1) * metricWeight, m, terms.length() == 0));
        }
        if (lossWeight > 0) {
            terms.append(term(-sign * lossWeight, "loss", terms.length() == 0));
        }
        String bounds = (maxMetric == null ? "" : ", " + metric + " <= " + maxMetric)
                + (minMetric == null ? "" : ", " + metric + " >= " + minMetric);
        return "InvarianceScoreFunction(" + (min ? "minimize " : "maximize ") + terms + bounds + ")";
    }

    private static String term(double w, String what, boolean first) {
        String sign = w < 0 ? (first ? "-" : " - ") : (first ? "" : " + ");
        double a = Math.abs(w);
        return sign + (a == 1 ? "" : String.format(Locale.ROOT, "%s·", trim(a))) + what;
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** Builder; every setting has a default: C4, prediction KL, the search's test data, weight 1 on the metric. */
    public static final class Builder {
        private final InvarianceScoreFunction f = new InvarianceScoreFunction();

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

        /** The metric key, e.g. {@code MetricKeys.PREDICTION_KL} or {@code MetricKeys.INVARIANCE_NORMALIZED}. */
        public Builder metric(String key) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("metric needs a metric key such as 'predictionKL', got '" + key + "'");
            }
            f.metric = key;
            return this;
        }

        /** The layer (name, key or index); default: the deepest layer reporting the metric. */
        public Builder layer(String layer) {
            if (layer == null || layer.isBlank()) {
                throw new IllegalArgumentException("layer needs a layer name or index, got '" + layer + "'");
            }
            f.layer = layer;
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

        /** The evaluator's seed (chunk shuffles and bootstrap). */
        public Builder seed(long seed) {
            f.seed = seed;
            return this;
        }

        /** w_m (default 1). */
        public Builder metricWeight(double w) {
            f.metricWeight = weight("metricWeight", w);
            return this;
        }

        /** w_a (default 0). */
        public Builder accuracyWeight(double w) {
            f.accuracyWeight = weight("accuracyWeight", w);
            return this;
        }

        /** w_l (default 0). */
        public Builder lossWeight(double w) {
            f.lossWeight = weight("lossWeight", w);
            return this;
        }

        /** Candidates whose metric exceeds {@code bound} rank below all others. */
        public Builder requireMetricAtMost(double bound) {
            f.maxMetric = finite("requireMetricAtMost", bound);
            return this;
        }

        /** Candidates whose metric is below {@code bound} rank below all others. */
        public Builder requireMetricAtLeast(double bound) {
            f.minMetric = finite("requireMetricAtLeast", bound);
            return this;
        }

        private static double weight(String what, double w) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException(what + " must be a finite number >= 0, got " + w);
            }
            return w;
        }

        private static double finite(String what, double v) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(what + " needs a finite bound, got " + v);
            }
            return v;
        }

        /** @throws IllegalArgumentException when every weight is 0, or the bounds exclude each other */
        public InvarianceScoreFunction build() {
            if (f.metricWeight == 0 && f.accuracyWeight == 0 && f.lossWeight == 0) {
                throw new IllegalArgumentException("At least one of metricWeight, accuracyWeight, lossWeight must be > 0, "
                        + "got all 0");
            }
            if (f.maxMetric != null && f.minMetric != null && f.minMetric > f.maxMetric) {
                throw new IllegalArgumentException("requireMetricAtLeast(" + f.minMetric + ") exceeds requireMetricAtMost("
                        + f.maxMetric + "); no value can meet both");
            }
            InvarianceScoreFunction copy = new InvarianceScoreFunction();
            copy.group = f.group;
            copy.metric = f.metric;
            copy.layer = f.layer;
            copy.distance = f.distance;
            copy.data = f.data;
            copy.maxExamples = f.maxExamples;
            copy.seed = f.seed;
            copy.metricWeight = f.metricWeight;
            copy.accuracyWeight = f.accuracyWeight;
            copy.lossWeight = f.lossWeight;
            copy.maxMetric = f.maxMetric;
            copy.minMetric = f.minMetric;
            return copy;
        }
    }
}
