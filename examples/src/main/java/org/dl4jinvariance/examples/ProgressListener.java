package org.dl4jinvariance.examples;

import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A progress bar per epoch (batches done, current loss) on standard error. */
public final class ProgressListener implements TrainingListener {

    private final String task;
    private final int batchesPerEpoch;
    private final int epochs;
    private ProgressBar bar;
    private int epoch;

    public ProgressListener(String task, int batchesPerEpoch, int epochs) {
        this.task = task;
        this.batchesPerEpoch = batchesPerEpoch;
        this.epochs = epochs;
    }

    @Override
    public void onEpochStart(Model model) {
        epoch++;
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(String.format("%s %d/%d", task, epoch, epochs))
                .setInitialMax(batchesPerEpoch).setStyle(ProgressBarStyle.ASCII);
        // Without a terminal (CI, redirected output) each redraw is a new line: redraw rarely.
        bar = (System.console() != null ? builder.setUpdateIntervalMillis(500).continuousUpdate()
                : builder.setUpdateIntervalMillis(60_000)).build();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epochIndex) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(" loss %.3f", model.score()));
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
    }

    @Override
    public void onGradientCalculation(Model model) {
    }

    @Override
    public void onBackwardPass(Model model) {
    }

}
