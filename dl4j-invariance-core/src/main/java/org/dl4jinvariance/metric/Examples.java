package org.dl4jinvariance.metric;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A batch of examples as the evaluator sees it: one features array per network input, the
 * labels of the (first) output or null, and one features mask per input (entries may be null).
 */
record Examples(INDArray[] features, INDArray labels, INDArray[] masks) {

    /** A DL4J {@code DataSet}: one input, its features mask (may be null), its labels (may be null). */
    static Examples of(org.nd4j.linalg.dataset.api.DataSet ds) {
        return new Examples(new INDArray[] {ds.getFeatures()}, ds.getLabels(), new INDArray[] {ds.getFeaturesMaskArray()});
    }

    int size() {
        return (int) features[0].size(0);
    }

    boolean masked() {
        return Arrays.stream(masks).anyMatch(m -> m != null);
    }

    /**
     * Which rows have no unmasked entry in some input's features mask: such an example has no
     * data the network reads, and every metric of it would be 0/0.
     */
    boolean[] fullyMasked() {
        boolean[] out = new boolean[size()];
        for (INDArray m : masks) {
            if (m == null) {
                continue;
            }
            INDArray rows = m.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').reshape('c', m.size(0), m.length() / m.size(0));
            double[] sums = org.nd4j.linalg.ops.transforms.Transforms.abs(rows).sum(1).toDoubleVector();
            for (int i = 0; i < out.length; i++) {
                out[i] |= sums[i] == 0;
            }
        }
        return out;
    }

    /** The rows where {@code keep} is true, in order. */
    Examples keep(boolean[] keep) {
        int[] rows = java.util.stream.IntStream.range(0, keep.length).filter(i -> keep[i]).toArray();
        return pick(rows);
    }

    /**
     * Rows [from, to) as views; of an array that is itself a view, views of its copy. ND4J
     * 1.0.0-M2.1 returns an empty array (or wrong rows) for a row range of a view whose offset
     * exceeds its length, and chunks smaller than the iterator's batches (a small
     * {@code maxBatchBytes}) cut what is left of a batch again and again.
     */
    Examples rows(long from, long to) {
        return map(a -> range(a.isView() ? a.dup() : a, from, to));
    }

    /** Rows [0, at) and [at, size) as views, of a copy made once when this is itself a view (see {@link #rows}). */
    Examples[] cut(int at) {
        Examples whole = map(a -> a.isView() ? a.dup() : a);
        return new Examples[] {whole.rows(0, at), whole.rows(at, size())};
    }

    /** The first n rows, detached from the iterator's arrays (a view is copied before it is cut, see {@link #rows}). */
    Examples head(int n) {
        return map(a -> a.size(0) == n ? a.dup() : range(a.isView() ? a.dup() : a, 0, n).dup());
    }

    /** Rows in the order {@code perm}. */
    Examples pick(int[] perm) {
        return map(a -> pickRows(a, perm));
    }

    /** The rows of every part, one after the other. */
    static Examples concat(List<Examples> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        Examples first = parts.get(0);
        INDArray[] f = new INDArray[first.features.length];
        INDArray[] m = new INDArray[first.masks.length];
        for (int i = 0; i < f.length; i++) {
            int input = i;
            f[i] = Nd4j.concat(0, parts.stream().map(p -> p.features[input]).toArray(INDArray[]::new));
        }
        for (int i = 0; i < m.length; i++) {
            int input = i;
            m[i] = first.masks[i] == null ? null
                    : Nd4j.concat(0, parts.stream().map(p -> p.masks[input]).toArray(INDArray[]::new));
        }
        INDArray y = first.labels == null ? null
                : Nd4j.concat(0, parts.stream().map(Examples::labels).toArray(INDArray[]::new));
        return new Examples(f, y, m);
    }

    /** A seeded Fisher–Yates permutation of 0..n−1. */
    static int[] shuffled(int n, long seed) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    private Examples map(java.util.function.UnaryOperator<INDArray> f) {
        INDArray[] x = Arrays.stream(features).map(f).toArray(INDArray[]::new);
        INDArray[] m = Arrays.stream(masks).map(a -> a == null ? null : f.apply(a)).toArray(INDArray[]::new);
        return new Examples(x, labels == null ? null : f.apply(labels), m);
    }

    private static INDArray range(INDArray a, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        idx[0] = NDArrayIndex.interval(from, to);
        Arrays.fill(idx, 1, idx.length, NDArrayIndex.all());
        return a.get(idx);
    }

    /** Rows of {@code a} in the order {@code perm}, a permutation or a subset (one native gather of [B, rest] rows). */
    private static INDArray pickRows(INDArray a, int[] perm) {
        INDArray rows = a.dup('c').reshape('c', a.size(0), a.length() / a.size(0));
        // A copy: ND4J's shape() may hand out the array's own cached shape, and writing into it
        // would change what the caller's (e.g. the user's) array reports as its size.
        long[] shape = a.shape().clone();
        shape[0] = perm.length;
        return Nd4j.pullRows(rows, 1, perm).reshape('c', shape);
    }
}
