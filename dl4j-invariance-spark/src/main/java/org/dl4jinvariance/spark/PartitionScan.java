package org.dl4jinvariance.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.dl4jinvariance.metric.BatchAdmission;
import org.nd4j.linalg.dataset.DataSet;

/**
 * What the first pass learns of one partition without a forward pass: per batch, in order, how
 * many examples the {@link BatchAdmission} keeps and how many it drops as fully masked; and the
 * first bad batch's message, if any. The driver walks the partitions in order to number the
 * examples and to find the first {@code maxExamples} of them, as one machine reading the batches
 * in that order would (which throws only for a bad batch it reaches).
 */
final class PartitionScan implements Serializable {

    private static final long serialVersionUID = 1L;

    final int partition;
    final int[] kept;
    final int[] masked;
    final String error;

    private PartitionScan(int partition, int[] kept, int[] masked, String error) {
        this.partition = partition;
        this.kept = kept;
        this.masked = masked;
        this.error = error;
    }

    static PartitionScan scan(int partition, Iterator<DataSet> batches, BatchAdmission admission, String source) {
        List<Integer> kept = new ArrayList<>();
        List<Integer> masked = new ArrayList<>();
        String error = null;
        int number = 0;
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            number++;
            try {
                DataSet admitted = admission.admit(batch, number, source(partition, source));
                int k = admitted == null ? 0 : admitted.numExamples();
                kept.add(k);
                masked.add(batch.numExamples() - k);
            } catch (IllegalArgumentException e) {
                String where = source(partition, source);
                error = e.getMessage().contains(where) ? e.getMessage() : e.getMessage() + " (in " + where + ")";
                break;
            }
        }
        return new PartitionScan(partition, kept.stream().mapToInt(Integer::intValue).toArray(),
                masked.stream().mapToInt(Integer::intValue).toArray(), error);
    }

    /** How a partition is named in messages. */
    static String source(int partition, String rdd) {
        return "partition " + partition + " of " + rdd;
    }
}
