package org.dl4jinvariance.examples;

import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
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
        bar = Bars.open(String.format("%s %d/%d", task, epoch, epochs), batchesPerEpoch, null);
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
