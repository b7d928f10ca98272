package org.dl4jinvariance.earlystopping;

import java.util.List;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.nn.api.Model;
import org.dl4jinvariance.metric.EvaluatorSettings;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.InvarianceScore;
import org.dl4jinvariance.metric.MetricKey;
import org.dl4jinvariance.metric.OrbitMetric;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A DL4J early-stopping {@link ScoreCalculator} on an invariance metric: one metric key at one
 * layer, measured by an {@link InvarianceEvaluator} on the chosen data set, optionally plus DL4J's
 * average loss on the same data ({@link DataSetLossCalculator}). The score is
 * {@link InvarianceScore}'s, the same rule as Arbiter's {@code InvarianceScoreFunction}: with
 * w_m = 1, w_l = 0 by default and σ = +1 for a higher-is-better key, −1 otherwise,
 *
 * <pre>
 *   G = σ · w_m · metric − w_l · loss
 *   maximize score = G      when σ = +1 and w_m &gt; 0 (accuracy, consistency, cosine similarity ratio)
 *   minimize score = −G = w_m · metric + w_l · loss                                       otherwise
 * </pre>
 *
 * so the direction comes from the key ({@link MetricKey#direction()}): normalized invariance is
 * minimized and accuracy maximized with no further call.
 *
 * <pre>{@code
 * EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
 *         .scoreCalculator(InvarianceScoreCalculator.builder()
 *                 .inputAction(ImageActions.rotation(Groups.c4()))
 *                 .data(Datasets.mnist().iterator(250, 8_000, 1_000))
 *                 .metric(PredictionInvariance.KEY)                // at the output layer
 *                 .lossWeight(1.0)                                 // + the loss
 *                 .build())
 *         .epochTerminationConditions(new MaxEpochsTerminationCondition(20))
 *         .build();
 * }</pre>
 *
 * <p>Layer: the one given, else the deepest probed layer with an applicable value of the metric
 * ({@link InvarianceReport#deepestLayerWith(MetricKey)}). A metric that is missing or not
 * applicable there is an {@link IllegalArgumentException} naming it. The calculator holds
 * iterators and an evaluator, which are not serializable: it is meant for in-process early
 * stopping.
 */
public final class InvarianceScoreCalculator implements ScoreCalculator<Model> {

    private static final long serialVersionUID = 1L;

    private final transient InvarianceEvaluator evaluator;
    private final transient DataSetIterator data;
    private final transient DataSetLossCalculator loss;
    private final transient InvarianceScore score;
    private transient InvarianceReport lastReport;
    private double lastMetric = Double.NaN;

    private InvarianceScoreCalculator(Builder b, InvarianceScore score, InvarianceEvaluator evaluator) {
        this.evaluator = evaluator;
        this.data = b.data;
        this.score = score;
        this.loss = score.lossWeight() > 0 ? new DataSetLossCalculator(b.data, true) : null;
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
        InvarianceScore.Result result = score.score(report, Double.NaN,
                loss != null ? loss.calculateScore(model) : Double.NaN);
        lastReport = report;
        lastMetric = result.metric();
        return result.score();
    }

    /** False for a higher-is-better metric (with w_m &gt; 0); see the class comment. */
    @Override
    public boolean minimizeScore() {
        return score.minimize();
    }

    /** The report behind the last score, or null before the first. */
    public InvarianceReport lastReport() {
        return lastReport;
    }

    /** The metric's mean behind the last score (before weighting), or NaN before the first. */
    public double lastMetric() {
        return lastMetric;
    }

    /** The metric key scored, by name. */
    public String metric() {
        return score.metric().name();
    }

    /** The metric key scored. */
    public MetricKey metricKey() {
        return score.metric();
    }

    /** The scoring rule: key, layer, weights. */
    public InvarianceScore scoring() {
        return score;
    }

    @Override
    public String toString() {
        return "InvarianceScoreCalculator(" + score.describe(score.metric() + score.layer().map(l -> " at " + l).orElse(""))
                + ")";
    }

    /**
     * Builder; {@link #data}, {@link #metric} and either {@link #evaluator} or
     * {@link #inputAction} are required.
     */
    public static final class Builder extends EvaluatorSettings<Builder> {
        private InvarianceEvaluator evaluator;
        private DataSetIterator data;
        private final InvarianceScore.Builder score = InvarianceScore.builder();
        private boolean maximize;

        private Builder() {
        }

        /** A fully configured evaluator; replaces the evaluator settings (group, action, layers, ...) of this builder. */
        public Builder evaluator(InvarianceEvaluator evaluator) {
            if (evaluator == null) {
                throw new IllegalArgumentException("evaluator(...) needs an InvarianceEvaluator, got null");
            }
            this.evaluator = evaluator;
            return this;
        }

        /**
         * The data the metric (and the loss) is measured on; reset before and after use. The
         * iterator must support {@code reset()}: the score is computed after every epoch on the
         * same examples, and with a loss term the same call reads the data twice. Without reset
         * the second reading finds the iterator used up, and DL4J's loss over no examples is NaN,
         * a score that early stopping would compare without a word.
         *
         * @throws IllegalArgumentException for null or an iterator that does not support reset()
         */
        public Builder data(DataSetIterator data) {
            if (data == null) {
                throw new IllegalArgumentException("data needs a DataSetIterator, got null");
            }
            if (!data.resetSupported()) {
                throw new IllegalArgumentException("data needs an iterator that supports reset(), got "
                        + data.getClass().getName() + ", which does not: the score is measured on the same examples "
                        + "after every epoch");
            }
            this.data = data;
            return this;
        }

        /**
         * The metric key by name, e.g. {@code MetricKeys.INVARIANCE_NORMALIZED}.
         *
         * @throws IllegalArgumentException for a name that is no known key (a metric of one's own:
         *                                  {@link #metric(MetricKey)})
         */
        public Builder metric(String key) {
            score.metric(key);
            return this;
        }

        /** The metric key, e.g. {@code InvarianceDeviation.NORMALIZED_KEY}, or the key of a metric of one's own. */
        public Builder metric(MetricKey key) {
            if (key == null) {
                throw new IllegalArgumentException("metric(...) needs a metric key such as "
                        + "InvarianceDeviation.NORMALIZED_KEY, got null");
            }
            score.metric(key);
            return this;
        }

        /** The layer whose metric is scored (default: the deepest layer with an applicable value). */
        public Builder layer(String layer) {
            score.layer(layer);
            return this;
        }

        /** w_m, the metric's weight (default 1; finite, &gt;= 0). */
        public Builder metricWeight(double w) {
            score.metricWeight(w);
            return this;
        }

        /** w_l, the loss's weight (default 0: no loss term; finite, &gt;= 0). */
        public Builder lossWeight(double w) {
            score.lossWeight(w);
            return this;
        }

        /**
         * Asserts that the score is maximized. The direction comes from the metric key now (see
         * the class comment), so this changes nothing: {@link #build()} accepts it where the key
         * makes the score maximized (accuracy, consistency, cosine similarity ratio) and rejects
         * it where the key makes it minimized, rather than invert a score silently.
         *
         * @deprecated the direction comes from {@link MetricKey#direction()}; remove the call
         */
        @Deprecated
        public Builder maximize() {
            this.maximize = true;
            return this;
        }

        /**
         * @throws IllegalArgumentException when data, metric or both evaluator and input action are
         *                                  missing, when every weight is 0, or when
         *                                  {@link #maximize()} contradicts the metric's direction
         */
        public InvarianceScoreCalculator build() {
            if (data == null) {
                throw new IllegalArgumentException("InvarianceScoreCalculator needs data(iterator), got none");
            }
            if (!score.hasMetric()) {
                throw new IllegalArgumentException("InvarianceScoreCalculator needs metric(key), got none");
            }
            InvarianceScore s = score.build();
            if (maximize && s.minimize()) {
                throw new IllegalArgumentException("maximize() contradicts metric '" + s.metric() + "', which is "
                        + s.metric().direction() + ": this score is '" + s.describe(s.metric().name())
                        + "'. The direction comes from the metric key; remove maximize()");
            }
            InvarianceEvaluator ev = evaluator;
            if (ev == null) {
                if (!hasInputAction()) {
                    throw new IllegalArgumentException("InvarianceScoreCalculator needs an evaluator(...) or an "
                            + "inputAction(...), got neither");
                }
                if (s.layer().isPresent() && !hasLayers()) {
                    layers(s.layer().get()); // probe only what is scored
                }
                ev = buildEvaluator();
            }
            return new InvarianceScoreCalculator(this, s, ev);
        }
    }
}
