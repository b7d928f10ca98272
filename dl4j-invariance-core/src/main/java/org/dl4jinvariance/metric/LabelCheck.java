package org.dl4jinvariance.metric;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.dl4jinvariance.probe.ModelProbe;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Labels that fit the network's output layer of width K: rows [B, K] (one-hot or class
 * probabilities; K must be the output width and no row may be all zero), a column [B, 1] of
 * class indices in 0..K−1, or per-time-step labels [B, K, T]. A label of another width would
 * otherwise be read as some class and give a plausible-looking accuracy.
 */
final class LabelCheck implements java.io.Serializable {

    private final String output;
    private final long width;

    /**
     * Reads K from the output layer's configuration (unknown for layers without nOut, e.g.
     * LossLayer). Only metrics that compare labels with the output (accuracy, consistency) tie
     * the labels to its width; otherwise labels only group examples by class (e.g. digit labels
     * for an encoder whose output is an embedding).
     *
     * @param againstOutput true when a metric compares the labels with the output
     */
    LabelCheck(ModelProbe probe, boolean againstOutput) {
        this(probe.outputLayer(), againstOutput && probe.layerConfig(probe.outputLayer()) instanceof FeedForwardLayer ff
                && ff.getNOut() > 0 ? ff.getNOut() : -1);
    }

    /** @param width K, or −1 when unknown */
    LabelCheck(String output, long width) {
        this.output = output;
        this.width = width;
    }

    /**
     * @param batch the batch's position in the iterator (1 = first), for the message
     * @throws IllegalArgumentException naming the batch, the labels' shape or the bad row, and K
     */
    void check(INDArray labels, int batch) {
        if (labels == null) {
            return;
        }
        long columns = labels.rank() >= 2 ? labels.size(1) : 1;
        if (columns == 1 && labels.rank() == 2 && width != 1) {
            checkIndices(labels, batch);
            return;
        }
        if (width > 0 && columns != width) {
            throw new IllegalArgumentException("Labels of batch " + batch + " have shape " + Arrays.toString(labels.shape())
                    + " but the output layer '" + output + "' has " + width + " classes; expected [B, " + width
                    + "] rows (or a [B, 1] column of class indices)");
        }
        if (labels.rank() == 2 && columns > 1) {
            double[] sums = labels.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sum(1).toDoubleVector();
            for (int i = 0; i < sums.length; i++) {
                if (!(sums[i] > 0)) {
                    throw new IllegalArgumentException("Label row " + i + " of batch " + batch + " sums to " + sums[i]
                            + "; expected a one-hot or probability row over the " + columns + " classes");
                }
            }
        }
    }

    private void checkIndices(INDArray labels, int batch) {
        double[] y = labels.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').reshape(labels.length())
                .toDoubleVector();
        for (int i = 0; i < y.length; i++) {
            boolean whole = y[i] == Math.rint(y[i]);
            if (!whole || y[i] < 0 || (width > 0 && y[i] >= width)) {
                throw new IllegalArgumentException("Label " + i + " of batch " + batch + " is " + y[i]
                        + "; a [B, 1] label column holds class indices 0.." + (width > 0 ? width - 1 : "K−1"));
            }
        }
    }
}
