package org.dl4jinvariance.examples;

import me.tongfei.progressbar.ProgressBar;
import org.deeplearning4j.nn.api.Model;
import org.dl4jinvariance.metric.EvaluationProgress;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * An {@link EvaluationProgress} drawn as progress bars on standard error, one per evaluation:
 * "measure &lt;model&gt; · &lt;data set&gt; · epoch e", images measured of the total. A bar
 * closes on its evaluation's last update, or when the next evaluation starts (one that failed
 * half-way never sends a last update).
 */
final class EvaluationBars implements EvaluationProgress {

    private final String model;
    private ProgressBar bar;
    private String task;

    /** @param model what the bars name as the measured model */
    EvaluationBars(String model) {
        this.model = model;
    }

    @Override
    public synchronized void update(Update update) {
        String next = taskOf(update);
        if (bar == null || !next.equals(task)) {
            close();
            bar = Bars.open(next, update.examplesTotal(), " images");
            task = next;
        }
        if (bar.getMax() != update.examplesTotal()) {
            bar.maxHint(update.examplesTotal());
        }
        bar.stepTo(update.examplesDone());
        if (update.finished()) {
            close();
        }
    }

    /**
     * {@code evaluator} on {@code data} with a bar "measure {@code model} · {@code dataSet}",
     * closed however the evaluation ends.
     */
    static InvarianceReport measure(String model, String dataSet, InvarianceEvaluator evaluator, Model net,
                                    DataSetIterator data) {
        EvaluationBars bars = new EvaluationBars(model);
        try {
            return evaluator.withProgress(bars.forDataSet(dataSet)).evaluate(net, data);
        } finally {
            bars.close();
        }
    }

    /** Closes the open bar, if any (drawing its last state). */
    synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
            task = null;
        }
    }

    private String taskOf(Update u) {
        String when = u.epoch().isEmpty() ? "" : u.epoch().getAsInt() == 0 ? " · before training"
                : " · epoch " + u.epoch().getAsInt();
        return "measure " + model + " · " + u.dataSet() + when;
    }
}
