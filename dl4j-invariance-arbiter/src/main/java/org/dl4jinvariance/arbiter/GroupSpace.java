package org.dl4jinvariance.arbiter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.dl4jinvariance.group.Groups;
import org.nd4j.shade.jackson.annotation.JsonIdentityInfo;
import org.nd4j.shade.jackson.annotation.ObjectIdGenerators;

/**
 * The symmetry group of a candidate network as an Arbiter parameter space: its value is a group
 * name ({@code "C4"}, {@code "D4"}, ...) or {@link #PLAIN} for ordinary DL4J convolutions.
 *
 * <p>Either a choice among names, {@code GroupSpace.of("plain", "C4", "D4")}, or a group type and
 * a number of rotations as two parameter spaces,
 * {@code GroupSpace.of(new DiscreteParameterSpace<>("C", "D"), new DiscreteParameterSpace<>(2, 4))}
 * (value = type + rotations, e.g. {@code "D4"}, the 8-element dihedral group).
 *
 * <p><b>Share one instance</b> between the {@link LiftingConvolutionSpace},
 * {@link GroupConvolutionSpace} and {@link GroupPoolingSpace} of a network: Arbiter gives one
 * parameter to each distinct space object, so every layer then gets the same group. The sharing
 * survives JSON: the class carries a Jackson object id, so a space read back from JSON holds one
 * instance again.
 */
@JsonIdentityInfo(generator = ObjectIdGenerators.IntSequenceGenerator.class, property = "@groupSpaceId")
public final class GroupSpace extends AbstractParameterSpace<String> {

    /** The value meaning "no group": plain {@code ConvolutionLayer}s, no group pooling. */
    public static final String PLAIN = "plain";

    /** A choice among group names; null when type and rotations are used. */
    private ParameterSpace<String> names;
    /** "C", "D" or {@link #PLAIN}; null when names are used. */
    private ParameterSpace<String> type;
    /** N, the number of rotations; null when names are used. */
    private ParameterSpace<Integer> rotations;

    /** For Jackson. */
    private GroupSpace() {
    }

    private GroupSpace(ParameterSpace<String> names, ParameterSpace<String> type, ParameterSpace<Integer> rotations) {
        this.names = names;
        this.type = type;
        this.rotations = rotations;
    }

    /**
     * A uniform choice among {@code names}, each {@link #PLAIN} or a group name {@code C<n>} /
     * {@code D<n>}.
     *
     * @throws IllegalArgumentException naming an unknown name, or when none is given
     */
    public static GroupSpace of(String... names) {
        if (names == null || names.length == 0) {
            throw new IllegalArgumentException("GroupSpace.of needs at least one group name such as \"plain\", \"C4\" "
                    + "or \"D4\", got none");
        }
        List<String> canonical = new ArrayList<>();
        for (String n : names) {
            canonical.add(canonical(n));
        }
        return new GroupSpace(canonical.size() == 1 ? new FixedValue<>(canonical.get(0))
                : new DiscreteParameterSpace<>(canonical), null, null);
    }

    /**
     * The group {@code type + rotations}: type "C" (cyclic C_N, N rotations) or "D" (dihedral D_N,
     * N rotations and N reflections), or {@link #PLAIN} (the rotations are then ignored).
     */
    public static GroupSpace of(ParameterSpace<String> type, ParameterSpace<Integer> rotations) {
        if (type == null || rotations == null) {
            throw new IllegalArgumentException("GroupSpace.of(type, rotations) needs both spaces, got " + type + ", "
                    + rotations);
        }
        return new GroupSpace(null, type, rotations);
    }

    /** {@link #PLAIN} or the canonical name of a group ("c4" → "C4"); unknown names are rejected. */
    public static String canonical(String name) {
        if (name != null && PLAIN.equalsIgnoreCase(name.trim())) {
            return PLAIN;
        }
        try {
            return Groups.byName(name).name();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown group '" + name + "': expected \"" + PLAIN
                    + "\" or C<n> / D<n> with n >= 1, e.g. C4 or D4", e);
        }
    }

    /** True for the value {@link #PLAIN}. */
    public static boolean isPlain(String value) {
        return PLAIN.equals(value);
    }

    @Override
    public String getValue(double[] parameterValues) {
        if (names != null) {
            return canonical(names.getValue(parameterValues));
        }
        String t = type.getValue(parameterValues);
        if (t != null && PLAIN.equalsIgnoreCase(t.trim())) {
            return PLAIN;
        }
        return canonical(t + rotations.getValue(parameterValues));
    }

    @Override
    public int numParameters() {
        return collectLeaves().stream().mapToInt(ParameterSpace::numParameters).sum();
    }

    @Override
    public List<ParameterSpace> collectLeaves() {
        List<ParameterSpace> leaves = new ArrayList<>();
        for (ParameterSpace<?> p : getNestedSpaces().values()) {
            leaves.addAll(p.collectLeaves());
        }
        return leaves;
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("GroupSpace is not a leaf; Arbiter indexes its nested spaces");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupSpace g && Objects.equals(names, g.names) && Objects.equals(type, g.type)
                && Objects.equals(rotations, g.rotations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(names, type, rotations);
    }

    @Override
    public String toString() {
        return names != null ? "GroupSpace(" + names + ")" : "GroupSpace(type " + type + ", rotations " + rotations + ")";
    }
}
