package org.dl4jinvariance.listeners.report;

import java.nio.file.Path;
import java.util.Set;

/**
 * Receives what an {@code InvarianceListener} measures. The listener calls, in order:
 * {@link #start} once, then per evaluated epoch {@link #record} for each data set (a success or
 * a failure) followed by {@link #epochEnd}. A reporter may throw anything, errors included: the
 * listener logs the cause, records it in its history and carries on with training and with the
 * other reporters (the few throwables it lets through are listed on {@code InvarianceListener}).
 *
 * <p>Implementations that write files must leave every file whole at any moment (append whole
 * lines, or write a temporary file and move it into place). See {@link Reporters}.
 */
public interface Reporter {

    /** The run is about to be reported; called once, before the first record. */
    default void start(RunSettings settings) throws Exception {
    }

    /** One data set at one epoch: a report, or a failure ({@link EpochReport#failed()}). */
    void record(EpochReport record) throws Exception;

    /**
     * The model's training score (loss) at the end of {@code epoch}, as DL4J reports it
     * ({@code model.score()}: the last minibatch's loss); called before that epoch's records. NaN
     * when the model has no score yet.
     */
    default void trainingScore(int epoch, double score) throws Exception {
    }

    /** Every record of {@code epoch} has been delivered: flush files, redraw charts. */
    default void epochEnd(int epoch) throws Exception {
    }

    /**
     * The files this reporter writes; for a family of files (charts), one file every writer of
     * the family writes. A listener refuses two reporters whose files meet: both would write one
     * file (every CSV row twice, or two runs' charts in turn). Empty by default: no file.
     */
    default Set<Path> writesTo() {
        return Set.of();
    }

    /** A short name for logs and failure records; the class name by default. */
    default String name() {
        return getClass().getSimpleName();
    }
}
