package org.dl4jinvariance.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.listeners.InvarianceListener;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.listeners.report.HtmlReporter;
import org.dl4jinvariance.listeners.report.Reporters;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.ChannelInvariance;
import org.dl4jinvariance.metric.CosineSimilarityRatio;
import org.dl4jinvariance.metric.Distance;
import org.dl4jinvariance.metric.InvarianceDeviation;
import org.dl4jinvariance.metric.OrbitConsistency;
import org.dl4jinvariance.metric.OrbitMetric;
import org.dl4jinvariance.metric.PredictionInvariance;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one model with an {@link InvarianceListener} on every evaluation set and a progress bar,
 * writing the listener's CSV, JSONL, PNG charts and HTML page under {@code dir}.
 */
public final class ModelRun {

    private static final Logger log = LoggerFactory.getLogger(ModelRun.class);

    private final String name;
    private final MultiLayerNetwork net;
    private final List<EpochReport> history;
    private final double trainSeconds;

    private ModelRun(String name, MultiLayerNetwork net, List<EpochReport> history, double trainSeconds) {
        this.name = name;
        this.net = net;
        this.history = history;
        this.trainSeconds = trainSeconds;
    }

    /**
     * What the listener measures during a run: the group action, the named evaluation sets, the
     * probed layers, the metrics (null: the evaluator's defaults), examples per set, the seed,
     * and whether to measure once before training too (recorded as epoch 0).
     */
    public record Watch(GroupAction action, List<EvalSet> evalSets, String[] layers, List<OrbitMetric> metrics,
                        int maxExamples, long seed, boolean beforeTraining) {

        /** The default metrics at {@code layers}, after each epoch only. */
        public static Watch of(GroupAction action, List<EvalSet> evalSets, String[] layers, int maxExamples, long seed) {
            return new Watch(action, evalSets, layers, null, maxExamples, seed, false);
        }

        /** The same, also measured before the first epoch (epoch 0). */
        public Watch withBaseline() {
            return new Watch(action, evalSets, layers, metrics, maxExamples, seed, true);
        }

        /**
         * The evaluator's default metrics without equivariance: invariance (cosine), the cosine
         * similarity ratio, prediction KL and orbit consistency/accuracy. For experiments that do
         * not report equivariance: measuring it every epoch would only cost time.
         */
        public Watch withoutEquivariance() {
            return withMetrics(List.of(new InvarianceDeviation(Distance.COSINE), new CosineSimilarityRatio(),
                    new PredictionInvariance(), new OrbitConsistency()));
        }

        /** The same plus per-channel invariance ({@link ChannelInvariance}), for the layer × channel heatmap. */
        public Watch withChannelInvariance() {
            List<OrbitMetric> all = new ArrayList<>(metrics != null ? metrics
                    : org.dl4jinvariance.metric.InvarianceEvaluator.defaultMetrics(Distance.COSINE));
            all.add(new ChannelInvariance());
            return withMetrics(all);
        }

        /** The same with only these metrics. */
        public Watch withMetrics(List<OrbitMetric> chosen) {
            return new Watch(action, evalSets, layers, List.copyOf(chosen), maxExamples, seed, beforeTraining);
        }
    }

    /**
     * Fits {@code net} for {@code epochs} epochs on {@code train}, measuring every set in
     * {@code evalSets} after each epoch at {@code layers}.
     */
    public static ModelRun train(String name, MultiLayerNetwork net, DataSetIterator train, int trainExamples, int epochs,
                                 GroupAction action, List<EvalSet> evalSets, String[] layers, int maxExamples,
                                 long seed, Path dir) {
        return train(name, net, train, trainExamples, epochs, Watch.of(action, evalSets, layers, maxExamples, seed), dir);
    }

    /** Fits {@code net} for {@code epochs} epochs on {@code train}, measuring what {@code watch} says. */
    public static ModelRun train(String name, MultiLayerNetwork net, DataSetIterator train, int trainExamples, int epochs,
                                 Watch watch, Path dir) {
        // The model page links back to the experiment's summary, which Summary.write puts in the parent folder.
        HtmlReporter page = new HtmlReporter(dir).linkBack("../index.html", "all models of this run");
        InvarianceListener.Builder builder = InvarianceListener.builder()
                .group(watch.action().group()).inputAction(watch.action()).layers(watch.layers())
                .maxExamples(watch.maxExamples()).seed(watch.seed()).modelName(name)
                .progress(new EvaluationBars(name))
                .reportTo(Reporters.csv(dir), Reporters.jsonLines(dir), Reporters.charts(dir), page);
        if (watch.metrics() != null) {
            builder.metrics(watch.metrics());
        }
        for (EvalSet set : watch.evalSets()) {
            builder.evaluate(set.name(), set.iterator(), set.role());
        }
        InvarianceListener listener = builder.build();
        if (watch.beforeTraining()) {
            listener.evaluateNow(net);
        }
        int batches = (int) Math.ceil(trainExamples / (double) train.batch());
        net.setListeners(new ProgressListener(name, batches, epochs), listener);
        long start = System.nanoTime();
        net.fit(train, epochs);
        double seconds = (System.nanoTime() - start) / 1e9;
        log.info("{}: trained {} epochs in {} s (including the listener)", name, epochs, String.format("%.1f", seconds));
        return new ModelRun(name, net, new ArrayList<>(listener.history()), seconds);
    }

    public String name() {
        return name;
    }

    public MultiLayerNetwork net() {
        return net;
    }

    public List<EpochReport> history() {
        return history;
    }

    public double trainSeconds() {
        return trainSeconds;
    }

    /** The successful reports of {@code dataSet} by epoch (0 = before training, when it was measured). */
    public java.util.SortedMap<Integer, InvarianceReport> byEpoch(String dataSet) {
        java.util.SortedMap<Integer, InvarianceReport> out = new java.util.TreeMap<>();
        for (EpochReport r : history) {
            if (!r.failed() && r.report() != null && dataSet.equals(r.dataSet())) {
                out.put(r.epoch(), r.report());
            }
        }
        return out;
    }

    /** The last epoch's report for each data set that was measured successfully. */
    public Map<String, InvarianceReport> finalReports() {
        Map<String, InvarianceReport> last = new LinkedHashMap<>();
        for (EpochReport r : history) {
            if (!r.failed() && r.report() != null) {
                last.put(r.dataSet(), r.report());
            }
        }
        return last;
    }
}
