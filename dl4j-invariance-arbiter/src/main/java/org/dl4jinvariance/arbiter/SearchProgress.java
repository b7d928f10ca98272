package org.dl4jinvariance.arbiter;

import org.deeplearning4j.nn.api.Model;

/**
 * Told when each candidate of an {@link InvarianceSearch} starts and ends, for progress output
 * (set with {@link InvarianceSearch.Builder#progress}). Called on the thread that trains the
 * candidate. A callback that throws is logged and not called again; the search goes on.
 */
public interface SearchProgress {

    /**
     * Candidate {@code index} (Arbiter's index, from 0), the {@code position}-th to start of at
     * most {@code candidates}, is about to train. {@code model} is the network Arbiter built; a
     * training listener added to it here (e.g. a per-epoch progress bar) sees its training.
     *
     * @param architecture the candidate's layers, as {@link CandidateResult#architecture()} shows them
     */
    void candidateStarted(int index, int position, int candidates, String architecture, Model model);

    /** Candidate {@code index} was trained and scored in {@code seconds}. Not called for a candidate that failed. */
    default void candidateFinished(int index, int position, int candidates, double seconds) {
    }
}
