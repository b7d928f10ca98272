package org.dl4jinvariance.group;

/** The groups most experiments use, and lookup by name. */
public final class Groups {

    private Groups() {
    }

    /** C4: rotations by 0°, 90°, 180°, 270°. */
    public static CyclicGroup c4() {
        return CyclicGroup.of(4);
    }

    /** D4: the 8 symmetries of the square. */
    public static DihedralGroup d4() {
        return DihedralGroup.of(4);
    }

    /** The trivial group C1 (every metric is exactly 0 under it). */
    public static CyclicGroup trivial() {
        return CyclicGroup.of(1);
    }

    /** D1: identity and the left-right mirror. */
    public static DihedralGroup flipH() {
        return DihedralGroup.of(1);
    }

    /** The n cyclic time shifts by multiples of {@code step} steps ({@link ShiftGroup}). */
    public static ShiftGroup shifts(int n, int step) {
        return ShiftGroup.of(n, step);
    }

    /** {id, time reversal} ({@link ReversalGroup}). */
    public static ReversalGroup reversal() {
        return ReversalGroup.of();
    }

    /**
     * Parses {@code C<n>} or {@code D<n>} (case-insensitive), e.g. {@code "C4"}, {@code "d8"},
     * with 1 ≤ n ≤ {@link PlanarGroup#MAX_ROTATIONS}.
     *
     * @throws IllegalArgumentException naming the text when it is not such a name, or naming n
     *                                  and the bound when n is larger
     */
    public static PlanarGroup byName(String name) {
        if (name == null || !name.trim().matches("(?i)[cd][1-9][0-9]*")) {
            throw new IllegalArgumentException("Unknown group '" + name
                    + "': expected C<n> or D<n> with n >= 1, e.g. C4 or D4");
        }
        String s = name.trim();
        String digits = s.substring(1);
        // Compared as text first: n may not even fit an int (D99999999999).
        if (digits.length() > String.valueOf(PlanarGroup.MAX_ROTATIONS).length()
                || Integer.parseInt(digits) > PlanarGroup.MAX_ROTATIONS) {
            throw new IllegalArgumentException("Group '" + name + "' has " + digits + " rotations; at most "
                    + PlanarGroup.MAX_ROTATIONS + " are supported (multiples of 1°; PlanarGroup.MAX_ROTATIONS)");
        }
        int n = Integer.parseInt(digits);
        return Character.toUpperCase(s.charAt(0)) == 'C' ? CyclicGroup.of(n) : DihedralGroup.of(n);
    }
}
