package org.dl4jinvariance.arbiter;

import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;

/**
 * Ends a search after {@code maxCandidates} candidates have finished, counting every failure.
 * Arbiter's own {@code MaxCandidatesCondition} adds completed and failed candidates as the runner
 * counts them, but the runner does not count a candidate whose configuration threw while being
 * generated (it only marks it failed in its status table); such candidates would not count towards
 * the limit. This condition counts the status table instead, and also ends the search when the
 * candidate generator has nothing left and no task is running.
 */
public final class CandidatesFinishedCondition implements TerminationCondition {

    private int maxCandidates;

    /** For Jackson. */
    private CandidatesFinishedCondition() {
    }

    public CandidatesFinishedCondition(int maxCandidates) {
        if (maxCandidates < 1) {
            throw new IllegalArgumentException("maxCandidates must be >= 1, got " + maxCandidates);
        }
        this.maxCandidates = maxCandidates;
    }

    @Override
    public void initialize(IOptimizationRunner runner) {
    }

    @Override
    public boolean terminate(IOptimizationRunner runner) {
        if (finished(runner) >= maxCandidates) {
            return true;
        }
        return !runner.getConfiguration().getCandidateGenerator().hasMoreCandidates() && runner.numCandidatesQueued() == 0;
    }

    /** Candidates completed or failed so far, including those that failed to build. */
    static long finished(IOptimizationRunner runner) {
        return runner.getCandidateStatus().stream().map(CandidateInfo::getCandidateStatus)
                .filter(s -> s == CandidateStatus.Complete || s == CandidateStatus.Failed || s == CandidateStatus.Cancelled)
                .count();
    }

    public int maxCandidates() {
        return maxCandidates;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CandidatesFinishedCondition c && c.maxCandidates == maxCandidates;
    }

    @Override
    public int hashCode() {
        return maxCandidates;
    }

    @Override
    public String toString() {
        return "CandidatesFinishedCondition(" + maxCandidates + ")";
    }
}
