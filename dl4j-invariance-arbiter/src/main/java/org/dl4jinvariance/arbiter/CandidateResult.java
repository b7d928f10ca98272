package org.dl4jinvariance.arbiter;

import java.util.List;
import org.dl4jinvariance.listeners.report.EpochReport;

/**
 * One candidate of an {@link InvarianceSearch}: what it was, how it scored and why, or why it
 * failed. A candidate that could not be built (its configuration threw while being generated) or
 * failed while training has status {@link Status#FAILED}, no score and a {@code failure} message.
 *
 * @param index        Arbiter's candidate index
 * @param id           {@code candidate-<index>}, as in the per-candidate report files
 * @param status       completed or failed
 * @param score        the score Arbiter ranked by (null when failed)
 * @param breakdown    the score's figures when the score function is an {@link InvarianceScoreFunction}, else null
 * @param group        the group of the candidate's equivariant layers, or {@code plain}
 * @param architecture its convolutions in order, e.g. {@code C4 lift 8 3×3 → C4 gconv 16 3×3 → gpool max}
 * @param parameters   trainable parameters (0 when not built)
 * @param seconds      wall time of training and scoring (0 when not built)
 * @param failure      the first line of the exception (null unless failed)
 * @param history      the candidate's {@code InvarianceListener} records, epoch by epoch (empty without one)
 */
public record CandidateResult(int index, String id, Status status, Double score, ScoreBreakdown breakdown, String group,
                              String architecture, long parameters, double seconds, String failure,
                              List<EpochReport> history) {

    /** How the candidate ended. */
    public enum Status {
        COMPLETED, FAILED
    }

    public boolean completed() {
        return status == Status.COMPLETED;
    }
}
