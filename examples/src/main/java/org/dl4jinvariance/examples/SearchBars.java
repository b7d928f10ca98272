package org.dl4jinvariance.examples;

import java.io.PrintStream;
import java.util.Locale;
import org.deeplearning4j.nn.api.Model;
import org.dl4jinvariance.arbiter.InvarianceTaskListener;
import org.dl4jinvariance.arbiter.SearchProgress;
import org.dl4jinvariance.metric.EvaluationProgress;

/**
 * The search's progress on standard error: a line as each candidate starts ("candidate i of N")
 * and ends, a bar per training epoch ({@link ProgressListener}), and bars for its scoring
 * ({@link #scoring()}) and its per-epoch invariance evaluations ({@link EvaluationBars}).
 */
final class SearchBars implements SearchProgress {

    private final int batchesPerEpoch;
    private final int epochs;
    private volatile EvaluationBars scoring = new EvaluationBars("score");

    SearchBars(int batchesPerEpoch, int epochs) {
        this.batchesPerEpoch = batchesPerEpoch;
        this.epochs = epochs;
    }

    @Override
    public void candidateStarted(int index, int position, int candidates, String architecture, Model model) {
        String id = InvarianceTaskListener.candidateId(index);
        err().printf(Locale.ROOT, "search: candidate %d of %d (%s, %s): training %d epoch(s), then scoring%n", position,
                candidates, id, architecture, epochs);
        scoring = new EvaluationBars("score " + id);
        model.addListeners(new ProgressListener("train " + id, batchesPerEpoch, epochs));
    }

    @Override
    public void candidateFinished(int index, int position, int candidates, double seconds) {
        scoring.close();
        err().printf(Locale.ROOT, "search: candidate %d of %d (%s) trained and scored in %.0f s%n", position, candidates,
                InvarianceTaskListener.candidateId(index), seconds);
    }

    /** The score function's progress: bars named after the candidate being scored. */
    EvaluationProgress scoring() {
        return update -> scoring.update(update);
    }

    /** Looked up on each call: tests capture standard error by replacing it. */
    private static PrintStream err() {
        return System.err;
    }
}
