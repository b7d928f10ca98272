package org.dl4jinvariance.metric;

import java.io.Serializable;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The checks every batch passes before its examples count, the same on one machine and on a
 * cluster's workers: no empty batch, labels on every batch or none (as the first batch has
 * them), labels that fit the output ({@link LabelCheck}); examples whose features mask masks
 * everything are dropped (they have no data the network reads, and every metric of them would
 * be 0/0). Serializable, so a driver can ship it to the workers that read the batches.
 */
public final class BatchAdmission implements Serializable {

    private static final long serialVersionUID = 1L;

    private final boolean labelled;
    private final LabelCheck labels;

    BatchAdmission(boolean labelled, LabelCheck labels) {
        this.labelled = labelled;
        this.labels = labels;
    }

    /**
     * {@code batch} as it counts: itself, or its rows that are not fully masked (null when none is
     * left).
     *
     * @param batchNumber the batch's position in its source (1 = first), for messages
     * @param source      what the batches come from, for messages
     * @throws IllegalArgumentException for an empty batch, labels present where the first batch
     *                                  had none (or the reverse), or labels that do not fit the output
     */
    public DataSet admit(DataSet batch, int batchNumber, String source) {
        Examples kept = admit(Examples.of(batch), batchNumber, source);
        if (kept == null) {
            return null;
        }
        return kept.size() == batch.numExamples() ? batch
                : new DataSet(kept.features()[0], kept.labels(), kept.masks()[0], null);
    }

    /** {@link #admit(DataSet, int, String)} for the evaluator's own batches. */
    Examples admit(Examples batch, int batchNumber, String source) {
        if (batch.size() == 0) {
            throw new IllegalArgumentException("Batch " + batchNumber + " of " + source
                    + " has 0 examples; every batch needs at least one");
        }
        if (labelled != (batch.labels() != null)) {
            throw new IllegalArgumentException("Batch " + batchNumber + " has labels " + (labelled ? "= null" : "")
                    + " while the first " + (labelled ? "has labels" : "has none") + "; label every example or none");
        }
        labels.check(batch.labels(), batchNumber);
        if (!batch.masked()) {
            return batch;
        }
        boolean[] masked = batch.fullyMasked();
        boolean[] keep = new boolean[masked.length];
        int kept = 0;
        for (int i = 0; i < keep.length; i++) {
            keep[i] = !masked[i];
            kept += keep[i] ? 1 : 0;
        }
        return kept == 0 ? null : kept == masked.length ? batch : batch.keep(keep);
    }
}
