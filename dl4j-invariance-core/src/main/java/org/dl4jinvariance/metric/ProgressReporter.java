package org.dl4jinvariance.metric;

import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One evaluation's {@link EvaluationProgress} calls: counts the measured examples, keeps them
 * monotone, and contains a callback that throws (logged once, then not called again;
 * {@link CallbackFailures}), so that a progress bar can never break an evaluation or change its
 * report.
 */
final class ProgressReporter {

    private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

    private final EvaluationProgress callback;
    private final String dataSet;
    private int total;
    private int done;
    private boolean finished;
    private boolean dropped;

    /** @param total the examples measured at most, until {@link #finish} gives the exact count */
    ProgressReporter(EvaluationProgress callback, String dataSet, int total) {
        this.callback = callback;
        this.dataSet = dataSet;
        this.total = total;
        this.dropped = callback == null || callback == EvaluationProgress.NONE;
    }

    /** The first call: nothing measured yet. */
    ProgressReporter start() {
        tell();
        return this;
    }

    /** {@code examples} more are measured. */
    void add(int examples) {
        done += examples;
        // A chunk reaching the bound ends the evaluation: the bound is the exact total then.
        total = Math.max(total, done);
        finished = done == total;
        tell();
    }

    /** The evaluation measured {@code examples} in all: the last call, with the exact total. */
    void finish(int examples) {
        if (finished && done == examples) {
            return;
        }
        done = examples;
        total = examples;
        finished = true;
        tell();
    }

    private void tell() {
        if (dropped) {
            return;
        }
        try {
            callback.update(new EvaluationProgress.Update(dataSet, OptionalInt.empty(), done, total));
        } catch (RuntimeException | Error e) {
            if (CallbackFailures.passesThrough(e)) {
                throw e;
            }
            dropped = true;
            log.warn("The progress callback {} failed at {} of {} examples of {} and is dropped for this evaluation; "
                    + "the evaluation goes on. Cause: {}", callback, done, total, dataSet, e.toString(), e);
        }
    }
}
