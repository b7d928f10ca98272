package org.dl4jinvariance.spark;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Row ranges and concatenations of {@code DataSet}s (features, labels, features mask), as detached copies. */
final class Rows {

    private Rows() {
    }

    /**
     * Rows [from, to) of every array, copied. A view is copied before it is cut: ND4J M2.1 returns
     * wrong rows for a row range of a view whose offset exceeds its length.
     */
    static DataSet range(DataSet ds, int from, int to) {
        if (from == 0 && to == ds.numExamples()) {
            return ds;
        }
        return new DataSet(range(ds.getFeatures(), from, to), range(ds.getLabels(), from, to),
                range(ds.getFeaturesMaskArray(), from, to), null);
    }

    /** The rows of every part, one after the other. */
    static DataSet concat(List<DataSet> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        DataSet first = parts.get(0);
        return new DataSet(concat(parts, DataSet::getFeatures), first.getLabels() == null ? null : concat(parts, DataSet::getLabels),
                first.getFeaturesMaskArray() == null ? null : concat(parts, DataSet::getFeaturesMaskArray), null);
    }

    private static INDArray concat(List<DataSet> parts, java.util.function.Function<DataSet, INDArray> part) {
        return Nd4j.concat(0, parts.stream().map(part).toArray(INDArray[]::new));
    }

    private static INDArray range(INDArray a, int from, int to) {
        if (a == null) {
            return null;
        }
        INDArray base = a.isView() ? a.dup() : a;
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        idx[0] = NDArrayIndex.interval(from, to);
        Arrays.fill(idx, 1, idx.length, NDArrayIndex.all());
        return base.get(idx).dup();
    }
}
