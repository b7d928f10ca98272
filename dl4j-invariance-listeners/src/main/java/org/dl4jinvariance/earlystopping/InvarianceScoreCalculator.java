package org.dl4jinvariance.earlystopping;

import java.util.List;
import java.util.Objects;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.nn.api.Model;
import org.dl4jinvariance.metric.EvaluatorSettings;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricValue;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A DL4J early-stopping {@link ScoreCalculator} on an invariance metric: the score of a model is
 *
 * <pre>  score = w_m · metric(layer, data) + w_l · loss(data)</pre>
 *
 * where {@code metric(layer, data)} is the mean of one metric key (e.g.
 * {@code invariance.normalized}) at one layer, measured by an {@link InvarianceEvaluator} on the
 * chosen data set, and {@code loss(data)} is DL4J's average loss on the same data
 * ({@link DataSetLossCalculator}); {@code w_m = 1}, {@code w_l = 0} by default. The score is
 * minimized unless {@link Builder#maximize()} is called (for accuracy or consistency alone).
 *
 * <pre>{@code
 * EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
 *         .scoreCalculator(InvarianceScoreCalculator.builder()
 *                 .inputAction(ImageActions.rotation(Groups.c4()))
 *                 .data(Datasets.mnist().iterator(250, 8_000, 1_000))
 *                 .metric(MetricKeys.PREDICTION_KL)                 // at the output layer
 *                 .lossWeight(1.0)                                 // + the loss
 *                 .build())
 *         .epochTerminationConditions(new MaxEpochsTerminationCondition(20))
 *         .build();
 * }</pre>
 *
 * <p>Layer: the one given, else the deepest probed layer that reports the metric (the output
 * layer for every default metric). A metric that is missing or not applicable there is an
 * {@link IllegalArgumentException} naming it. The calculator holds iterators and an evaluator,
 * which are not serializable: it is meant for in-process early stopping.
 */
public final class InvarianceScoreCalculator implements ScoreCalculator<Model> {

    private static final long serialVersionUID = 1L;

    private final transient InvarianceEvaluator evaluator;
    private final transient DataSetIterator data;
    private final transient DataSetLossCalculator loss;
    private final String metric;
    private final String layer;
    private final double metricWeight;
    private final double lossWeight;
    private final boolean minimize;
    private transient InvarianceReport lastReport;
    private double lastMetric = Double.NaN;

    private InvarianceScoreCalculator(Builder b, InvarianceEvaluator evaluator) {
        this.evaluator = evaluator;
        this.data = b.data;
        this.metric = b.metric;
        this.layer = b.layer;
        this.metricWeight = b.metricWeight;
        this.lossWeight = b.lossWeight;
        this.minimize = b.minimize;
        this.loss = b.lossWeight != 0 ? new DataSetLossCalculator(b.data, true) : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public double calculateScore(Model model) {
        InvarianceReport report = evaluator.evaluate(model, data);
        if (data.resetSupported()) {
            data.reset();
        }
        String at = layer != null ? layer : deepestWith(report);
        MetricValue v = report.get(at, metric);
        if (!v.isApplicable()) {
            throw new IllegalArgumentException("Metric '" + metric + "' does not apply at layer '" + at + "': "
                    + v.notApplicable());
        }
        lastReport = report;
        lastMetric = v.mean();
        double score = metricWeight * v.mean();
        if (loss != null) {
            score += lossWeight * loss.calculateScore(model);
        }
        return score;
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

    @Override
    public boolean minimizeScore() {
        return minimize;
    }

    /** The report behind the last score, or null before the first. */
    public InvarianceReport lastReport() {
        return lastReport;
    }

    /** The metric's mean behind the last score (before weighting), or NaN before the first. */
    public double lastMetric() {
        return lastMetric;
    }

    /** The metric key scored. */
    public String metric() {
        return metric;
    }

    @Override
    public String toString() {
        return "InvarianceScoreCalculator(" + metricWeight + " * " + metric + (layer == null ? "" : " at " + layer)
                + (lossWeight != 0 ? " + " + lossWeight + " * loss" : "") + ", " + (minimize ? "minimize" : "maximize")
                + ")";
    }

    /**
     * Builder; {@link #data}, {@link #metric} and either {@link #evaluator} or
     * {@link #inputAction} are required.
     */
    public static final class Builder extends EvaluatorSettings<Builder> {
        private InvarianceEvaluator evaluator;
        private DataSetIterator data;
        private String metric;
        private String layer;
        private double metricWeight = 1;
        private double lossWeight;
        private boolean minimize = true;

        private Builder() {
        }

        /** A fully configured evaluator; replaces the evaluator settings (group, action, layers, ...) of this builder. */
        public Builder evaluator(InvarianceEvaluator evaluator) {
            this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
            return this;
        }

        /** The data the metric (and the loss) is measured on; reset before and after use. */
        public Builder data(DataSetIterator data) {
            if (data == null) {
                throw new IllegalArgumentException("data needs a DataSetIterator, got null");
            }
            this.data = data;
            return this;
        }

        /** The metric key, e.g. {@code MetricKeys.INVARIANCE_NORMALIZED}. */
        public Builder metric(String key) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("metric needs a metric key such as 'invariance', got '" + key + "'");
            }
            this.metric = key;
            return this;
        }

        /** The layer whose metric is scored (default: the deepest layer reporting it). */
        public Builder layer(String layer) {
            if (layer == null || layer.isBlank()) {
                throw new IllegalArgumentException("layer needs a layer name or index, got '" + layer + "'");
            }
            this.layer = layer;
            return this;
        }

        /** w_m, the metric's weight (default 1; must be finite). */
        public Builder metricWeight(double w) {
            if (!Double.isFinite(w)) {
                throw new IllegalArgumentException("metricWeight must be finite, got " + w);
            }
            this.metricWeight = w;
            return this;
        }

        /** w_l, the loss's weight (default 0: no loss term; must be finite). */
        public Builder lossWeight(double w) {
            if (!Double.isFinite(w)) {
                throw new IllegalArgumentException("lossWeight must be finite, got " + w);
            }
            this.lossWeight = w;
            return this;
        }

        /** Higher scores are better (accuracy, consistency); the default is to minimize. */
        public Builder maximize() {
            this.minimize = false;
            return this;
        }

        /** @throws IllegalArgumentException when data, metric or both evaluator and input action are missing */
        public InvarianceScoreCalculator build() {
            if (data == null) {
                throw new IllegalArgumentException("InvarianceScoreCalculator needs data(iterator), got none");
            }
            if (metric == null) {
                throw new IllegalArgumentException("InvarianceScoreCalculator needs metric(key), got none");
            }
            InvarianceEvaluator ev = evaluator;
            if (ev == null) {
                if (!hasInputAction()) {
                    throw new IllegalArgumentException("InvarianceScoreCalculator needs an evaluator(...) or an "
                            + "inputAction(...), got neither");
                }
                if (layer != null && !hasLayers()) {
                    layers(layer); // probe only what is scored
                }
                ev = buildEvaluator();
            }
            return new InvarianceScoreCalculator(this, ev);
        }
    }
}
