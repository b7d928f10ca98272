package org.dl4jinvariance.metric;

import java.util.OptionalInt;

/**
 * Told how far an evaluation has come, for a progress bar: settable on
 * {@link EvaluatorSettings#progress} (the evaluator's and the training listener's builders) or
 * on an evaluator with {@link InvarianceEvaluator#withProgress}. Default: {@link #NONE}, which
 * costs nothing.
 *
 * <p>Calls, on the evaluating thread: one before the first chunk (0 examples done), one after
 * each chunk, and a last one whose {@code examplesDone == examplesTotal}. Until that last call the
 * total is an upper bound, {@code maxExamples}, because a {@code DataSetIterator} need not know its
 * size; examplesDone never decreases. On Spark the driver reports the chunks as it merges them.
 *
 * <p>A callback never changes what is measured: the report is the same with and without one. A
 * callback that throws is logged once and not called again for the rest of that evaluation; the
 * evaluation and training go on.
 */
@FunctionalInterface
public interface EvaluationProgress {

    /** No progress reporting (the default). */
    EvaluationProgress NONE = update -> {
    };

    /** Called as chunks are measured; see the interface comment for when. */
    void update(Update update);

    /** This callback, with every update's data set called {@code dataSet}. */
    default EvaluationProgress forDataSet(String dataSet) {
        if (dataSet == null) {
            throw new IllegalArgumentException("forDataSet needs a data-set name, got null");
        }
        EvaluationProgress self = this;
        return u -> self.update(new Update(dataSet, u.epoch(), u.examplesDone(), u.examplesTotal()));
    }

    /** This callback, with every update marked as the evaluation after {@code epoch} completed epochs. */
    default EvaluationProgress forEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("forEpoch needs a completed-epoch count >= 0, got " + epoch);
        }
        EvaluationProgress self = this;
        return u -> self.update(new Update(u.dataSet(), OptionalInt.of(epoch), u.examplesDone(), u.examplesTotal()));
    }

    /**
     * One step of one evaluation.
     *
     * @param dataSet       what is evaluated: the name given by {@link #forDataSet} (the training
     *                      listener gives its data-set names), else the iterator's class name
     * @param epoch         completed training epochs when a training listener evaluates (0: before
     *                      training), else empty
     * @param examplesDone  examples measured so far, 0 ≤ done ≤ total
     * @param examplesTotal examples this evaluation measures at most; exact on the last call
     */
    record Update(String dataSet, OptionalInt epoch, int examplesDone, int examplesTotal) {

        public Update {
            if (examplesDone < 0 || examplesDone > examplesTotal) {
                throw new IllegalArgumentException("An update needs 0 <= examplesDone <= examplesTotal, got "
                        + examplesDone + " of " + examplesTotal);
            }
        }

        /** True on the last call of an evaluation: every example it measures is measured. */
        public boolean finished() {
            return examplesDone == examplesTotal;
        }
    }
}
