package org.dl4jinvariance.field;

import java.util.Arrays;
import java.util.Objects;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.FiniteGroup;
import org.dl4jinvariance.group.PlanarGroup;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * How a group G acts on a layer's features, ρ(g). Three kinds:
 * <ul>
 *   <li>{@link #trivial()}: ρ(g) = identity — the features should be invariant;</li>
 *   <li>{@link #spatial(PlanarGroup)}: plain feature maps [B, C, H, W]; ρ(g) transforms space
 *       only, channel by channel;</li>
 *   <li>{@link #regular(PlanarGroup, int)}: C fields of |G| channels each, channel index
 *       {@code field·|G| + k} (channel-major, group-minor); ρ(g) transforms space and moves
 *       channel (f, k) to (f, g·k): [ρ(g)F](f, g·k) = T_g F(f, k). Features without spatial
 *       axes ([B, C·|G|]) are only permuted.</li>
 *   <li>{@link #featureMaps(GroupAction)}: plain feature maps on which ρ(g) is the input
 *       action itself, applied to every channel (e.g. time shifts of Conv1D/LSTM outputs
 *       [B, C, T]); {@code spatial(G)} is this for image rotations.</li>
 * </ul>
 * Each is a homomorphism: ρ(g)ρ(h) = ρ(g·h).
 */
public abstract class FieldType implements java.io.Serializable {

    private FieldType() {
    }

    /** Invariant features: ρ(g) is the identity for every g. */
    public static FieldType trivial() {
        return Trivial.INSTANCE;
    }

    /** Plain convolution feature maps: ρ(g) rotates/mirrors each channel's map. */
    public static FieldType spatial(PlanarGroup group) {
        return new Spatial(Objects.requireNonNull(group, "group"));
    }

    /** {@code channels} regular fields of G: C·|G| channels, group index minor. */
    public static FieldType regular(PlanarGroup group, int channels) {
        Objects.requireNonNull(group, "group");
        if (channels < 1) {
            throw new IllegalArgumentException("A regular field type needs >= 1 field, got " + channels);
        }
        return new Regular(group, channels);
    }

    /**
     * Plain feature maps on which the group acts as {@code action} acts on inputs, channel by
     * channel: ρ(g)F = action.apply(g, F). What plain layers of a sequence model carry under a
     * time shift or reversal ({@link GroupAction#featureMapField()}).
     */
    public static FieldType featureMaps(GroupAction action) {
        return new FeatureMaps(Objects.requireNonNull(action, "action"));
    }

    /** ρ(g)·features for a batch; features are [B, ...] and never modified. */
    public abstract INDArray apply(int g, INDArray features);

    /**
     * True when ρ(g) only moves entries between positions of space or time (and, for regular
     * fields, channels), so pooling over all positions is invariant to it. False for a user's
     * action of unknown layout, which may change values.
     */
    boolean movesPositionsOnly() {
        return true;
    }

    /** True when this is a field of {@code group} (the trivial field is one of every group). */
    public abstract boolean isFieldOf(FiniteGroup group);

    /** True for {@link #trivial()}. */
    public boolean isTrivial() {
        return false;
    }

    /** A short description such as {@code regular(C4, 8)}. */
    public abstract String describe();

    @Override
    public String toString() {
        return describe();
    }

    private static final class Trivial extends FieldType {
        static final Trivial INSTANCE = new Trivial();

        /** One trivial field per JVM, also after Java serialization (it has no equals of its own). */
        private Object readResolve() {
            return INSTANCE;
        }

        @Override
        public INDArray apply(int g, INDArray features) {
            return features.dup();
        }

        @Override
        public boolean isTrivial() {
            return true;
        }

        @Override
        public boolean isFieldOf(FiniteGroup group) {
            return true;
        }

        @Override
        public String describe() {
            return "trivial";
        }
    }

    private static final class Spatial extends FieldType {
        private final PlanarGroup group;
        private final GroupAction action;

        Spatial(PlanarGroup group) {
            this.group = group;
            this.action = ImageActions.rotation(group);
        }

        @Override
        public INDArray apply(int g, INDArray features) {
            if (features.rank() != 4) {
                throw new IllegalArgumentException("spatial(" + group.name()
                        + ") field acts on [B, C, H, W] feature maps, got shape "
                        + Arrays.toString(features.shape()));
            }
            return action.apply(g, features);
        }

        @Override
        public String describe() {
            return "spatial(" + group.name() + ")";
        }

        @Override
        public boolean isFieldOf(FiniteGroup g) {
            return group.equals(g);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Spatial s && s.group.equals(group);
        }

        @Override
        public int hashCode() {
            return group.hashCode();
        }
    }

    /** Regular fields; public accessors let layers and the export read the layout. */
    public static final class Regular extends FieldType {
        private final PlanarGroup group;
        private final int fields;
        private final GroupAction action;

        Regular(PlanarGroup group, int fields) {
            this.group = group;
            this.fields = fields;
            this.action = ImageActions.rotation(group);
        }

        public FiniteGroup group() {
            return group;
        }

        public int fields() {
            return fields;
        }

        /** Total channels C·|G|. */
        public int channels() {
            return fields * group.order();
        }

        @Override
        public INDArray apply(int g, INDArray features) {
            group.checkElement(g);
            long expected = channels();
            if ((features.rank() != 4 && features.rank() != 2) || features.size(1) != expected) {
                throw new IllegalArgumentException(describe() + " expects features [B, " + expected
                        + ", H, W] or [B, " + expected + "], got shape " + Arrays.toString(features.shape()));
            }
            INDArray moved = features.rank() == 4 ? action.apply(g, features) : features.dup();
            return permuteGroupAxis(g, moved);
        }

        private INDArray permuteGroupAxis(int g, INDArray x) {
            int order = group.order();
            if (g == group.identity()) {
                return x;
            }
            INDArray out = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
            INDArrayIndex[] rest = new INDArrayIndex[x.rank() - 2];
            Arrays.fill(rest, NDArrayIndex.all());
            for (int f = 0; f < fields; f++) {
                for (int k = 0; k < order; k++) {
                    int from = f * order + k;
                    int to = f * order + group.compose(g, k);
                    out.get(indices(NDArrayIndex.point(to), rest)).assign(x.get(indices(NDArrayIndex.point(from), rest)));
                }
            }
            return out;
        }

        private static INDArrayIndex[] indices(INDArrayIndex channel, INDArrayIndex[] rest) {
            INDArrayIndex[] all = new INDArrayIndex[2 + rest.length];
            all[0] = NDArrayIndex.all();
            all[1] = channel;
            System.arraycopy(rest, 0, all, 2, rest.length);
            return all;
        }

        @Override
        public String describe() {
            return "regular(" + group.name() + ", " + fields + ")";
        }

        @Override
        public boolean isFieldOf(FiniteGroup g) {
            return group.equals(g);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Regular r && r.group.equals(group) && r.fields == fields;
        }

        @Override
        public int hashCode() {
            return 31 * group.hashCode() + fields;
        }
    }

    private static final class FeatureMaps extends FieldType {
        private final GroupAction action;

        FeatureMaps(GroupAction action) {
            this.action = action;
        }

        @Override
        boolean movesPositionsOnly() {
            return action.layout().kind() != org.dl4jinvariance.action.InputLayout.Kind.ANY;
        }

        @Override
        public INDArray apply(int g, INDArray features) {
            return action.apply(g, features);
        }

        @Override
        public boolean isFieldOf(FiniteGroup group) {
            return action.group().equals(group);
        }

        @Override
        public String describe() {
            return "featureMaps(" + action.describe() + ")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FeatureMaps f && f.action.equals(action);
        }

        @Override
        public int hashCode() {
            return action.hashCode();
        }
    }
}
