package org.dl4jinvariance.action;

import java.util.Arrays;
import java.util.Optional;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.FiniteGroup;
import org.dl4jinvariance.group.ReversalGroup;
import org.dl4jinvariance.group.ShiftGroup;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.SpecifiedIndex;

/**
 * Group actions on sequence batches [B, C, T] (DL4J's RNN format NCW: Conv1D, LSTM, time
 * series). Each element permutes the time steps, the same way for every channel; features
 * masks [B, T] move with their time steps. Plain feature maps of such inputs (Conv1D,
 * Subsampling1D, recurrent layers) inherit the action itself as their field,
 * {@link FieldType#featureMaps(GroupAction)}.
 */
public final class SequenceActions {

    private SequenceActions() {
    }

    /**
     * The cyclic shifts by multiples of {@code step} time steps: element k moves step t to
     * (t + k·step) mod T. A homomorphism of the {@code order} shifts when order·step is a
     * multiple of T (checked on every batch).
     */
    public static GroupAction cyclicTimeShift(int step, int order) {
        return new TimePermutationAction(ShiftGroup.of(order, step)) {
            @Override
            int source(int g, int t, int length) {
                ShiftGroup shifts = (ShiftGroup) group();
                if (((long) shifts.order() * shifts.step()) % length != 0) {
                    throw new IllegalArgumentException(describe() + " is not an action of " + shifts.order()
                            + " shifts on sequences of length " + length + ": " + shifts.order() + "·" + shifts.step()
                            + " = " + (long) shifts.order() * shifts.step() + " must be a multiple of " + length);
                }
                return Math.floorMod(t - shifts.shiftOf(g), length);
            }

            @Override
            public String describe() {
                return "cyclicTimeShift(" + ((ShiftGroup) group()).step() + ";" + group().order() + ")";
            }
        };
    }

    /** Time reversal: element 1 moves step t to T − 1 − t. */
    public static GroupAction timeReversal() {
        return new TimePermutationAction(ReversalGroup.of()) {
            @Override
            int source(int g, int t, int length) {
                return g == 0 ? t : length - 1 - t;
            }

            @Override
            public String describe() {
                return "timeReversal";
            }
        };
    }

    /** An action by permutations of the time axis: (g·x)[b, c, t] = x[b, c, source(g, t)]. */
    private abstract static class TimePermutationAction implements GroupAction {
        private final FiniteGroup group;

        TimePermutationAction(FiniteGroup group) {
            this.group = group;
        }

        /** The time step whose value lands at t under g. */
        abstract int source(int g, int t, int length);

        @Override
        public FiniteGroup group() {
            return group;
        }

        @Override
        public InputLayout layout() {
            return InputLayout.sequence();
        }

        @Override
        public Optional<FieldType> featureMapField() {
            return Optional.of(FieldType.featureMaps(this));
        }

        /**
         * Equal by value: the same kind of time permutation of the same group (so a field type
         * {@code featureMaps(cyclicTimeShift(7, 4))} given per layer equals the one the input
         * action {@code cyclicTimeShift(7, 4)} gives plain feature maps).
         */
        @Override
        public boolean equals(Object o) {
            return o != null && o.getClass() == getClass() && ((TimePermutationAction) o).group.equals(group);
        }

        @Override
        public int hashCode() {
            return 31 * getClass().getName().hashCode() + group.hashCode();
        }

        @Override
        public INDArray apply(int g, INDArray x) {
            group.checkElement(g);
            layout().check(x, describe());
            return permuteTime(g, x, 2);
        }

        /** Masks [B, T] move with their time steps; per-example masks [B, 1] stay. */
        @Override
        public INDArray applyToMask(int g, INDArray mask, INDArray input) {
            group.checkElement(g);
            if (mask.rank() == 2 && mask.size(1) == input.size(2) && input.size(2) > 1) {
                return permuteTime(g, mask, 1);
            }
            if (mask.rank() == 2 && mask.size(1) == 1) {
                return mask.dup();
            }
            throw new IllegalArgumentException(describe() + " expects a features mask [B, " + input.size(2)
                    + "] (one value per time step) or [B, 1], got shape " + Arrays.toString(mask.shape()));
        }

        private INDArray permuteTime(int g, INDArray x, int axis) {
            int length = (int) x.size(axis);
            long[] from = new long[length];
            boolean identity = true;
            for (int t = 0; t < length; t++) {
                from[t] = source(g, t, length);
                identity &= from[t] == t;
            }
            if (identity) {
                return x.dup('c');
            }
            INDArrayIndex[] idx = new INDArrayIndex[x.rank()];
            Arrays.fill(idx, NDArrayIndex.all());
            idx[axis] = new SpecifiedIndex(from);
            return x.get(idx).dup('c');
        }
    }
}
