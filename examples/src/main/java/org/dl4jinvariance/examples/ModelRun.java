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
import org.dl4jinvariance.listeners.report.Reporters;
import org.dl4jinvariance.metric.InvarianceReport;
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
     * Fits {@code net} for {@code epochs} epochs on {@code train}, measuring every set in
     * {@code evalSets} after each epoch at {@code layers}.
     */
    public static ModelRun train(String name, MultiLayerNetwork net, DataSetIterator train, int trainExamples, int epochs,
                                 GroupAction action, List<EvalSet> evalSets, String[] layers, int maxExamples,
                                 long seed, Path dir) {
        InvarianceListener.Builder builder = InvarianceListener.builder()
                .group(action.group()).inputAction(action).layers(layers).maxExamples(maxExamples).seed(seed)
                .reportTo(Reporters.csv(dir), Reporters.jsonLines(dir), Reporters.charts(dir), Reporters.html(dir));
        for (EvalSet set : evalSets) {
            builder.evaluate(set.name(), set.iterator());
        }
        InvarianceListener listener = builder.build();
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
