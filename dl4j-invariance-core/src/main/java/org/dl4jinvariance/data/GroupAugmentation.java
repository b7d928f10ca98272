package org.dl4jinvariance.data;

import java.util.Random;
import org.dl4jinvariance.action.GroupAction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Data augmentation with the exact group action the metrics use: each example is replaced by
 * g·x, g drawn uniformly from G (with probability {@code probability}; otherwise left as it is),
 * from a seeded random stream so runs repeat.
 */
public final class GroupAugmentation implements DataSetPreProcessor {

    private static final long serialVersionUID = 1L;

    private final transient GroupAction action;
    private final double probability;
    private final Random random;

    private GroupAugmentation(GroupAction action, double probability, long seed) {
        if (action == null) {
            throw new IllegalArgumentException("GroupAugmentation needs an action, got null");
        }
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("Augmentation probability must be in [0, 1], got " + probability);
        }
        this.action = action;
        this.probability = probability;
        this.random = new Random(seed);
    }

    /** Every example transformed by a uniformly random element. */
    public static GroupAugmentation of(GroupAction action, long seed) {
        return new GroupAugmentation(action, 1.0, seed);
    }

    /** Each example transformed with probability p by a uniformly random element. */
    public static GroupAugmentation of(GroupAction action, double probability, long seed) {
        return new GroupAugmentation(action, probability, seed);
    }

    public double probability() {
        return probability;
    }

    @Override
    public void preProcess(DataSet dataSet) {
        INDArray x = dataSet.getFeatures();
        int identity = action.group().identity();
        int order = action.group().order();
        INDArray out = x.dup('c');
        for (long n = 0; n < x.size(0); n++) {
            // Draw both numbers for every example so the stream does not depend on p's outcome.
            boolean transform = random.nextDouble() < probability;
            int g = random.nextInt(order);
            if (transform && g != identity) {
                INDArrayIndex[] row = row(x.rank(), n);
                out.get(row).assign(action.apply(g, x.get(row)));
            }
        }
        dataSet.setFeatures(out);
    }

    /** Index of example n kept as a batch of one ([1, ...]). */
    private static INDArrayIndex[] row(int rank, long n) {
        INDArrayIndex[] ix = new INDArrayIndex[rank];
        ix[0] = NDArrayIndex.interval(n, n + 1);
        for (int i = 1; i < rank; i++) {
            ix[i] = NDArrayIndex.all();
        }
        return ix;
    }
}
