package org.dl4jinvariance.group;

/**
 * D_N, the symmetries of a regular N-gon: N rotations and N reflections, order 2N.
 *
 * <p>Element g = r + N·m means "mirror left-right if m = 1, then rotate r·360°/N
 * counter-clockwise". Since a mirror reverses rotations (M R M = R⁻¹),
 * (r₁, m₁)·(r₂, m₂) = (r₁ + (−1)^m₁ r₂ mod N, m₁ xor m₂). Reflections are their own inverse.
 */
public final class DihedralGroup implements PlanarGroup {

    private final int n;

    private DihedralGroup(int n) {
        this.n = n;
    }

    /**
     * D_n for 1 ≤ n ≤ {@link PlanarGroup#MAX_ROTATIONS} (D_1 is a single left-right mirror;
     * D_360, of order 720, is the largest).
     *
     * @throws IllegalArgumentException naming n and the bound otherwise
     */
    public static DihedralGroup of(int n) {
        if (n < 1 || n > MAX_ROTATIONS) {
            throw new IllegalArgumentException("Dihedral group parameter must be in 1.." + MAX_ROTATIONS
                    + " (rotations by multiples of 1° at the finest, order at most " + 2 * MAX_ROTATIONS
                    + "; PlanarGroup.MAX_ROTATIONS), got " + n);
        }
        return new DihedralGroup(n);
    }

    /** The element "mirror if {@code mirror}, then rotate {@code steps}·360°/N". */
    public int element(int steps, boolean mirror) {
        return Math.floorMod(steps, n) + (mirror ? n : 0);
    }

    @Override
    public int order() {
        return 2 * n;
    }

    @Override
    public int identity() {
        return 0;
    }

    @Override
    public int compose(int a, int b) {
        int r1 = rotationSteps(a);
        int r2 = rotationSteps(b);
        boolean m1 = isReflection(a);
        boolean m2 = isReflection(b);
        return element(r1 + (m1 ? -r2 : r2), m1 ^ m2);
    }

    @Override
    public int inverse(int a) {
        return isReflection(a) ? a : element(-rotationSteps(a), false);
    }

    @Override
    public String name() {
        return "D" + n;
    }

    @Override
    public String elementName(int g) {
        if (g == 0) {
            checkElement(g);
            return "id";
        }
        String rotation = rotationSteps(g) == 0 ? ""
                : "rot" + CyclicGroup.formatDegrees(rotationDegrees(g));
        if (!isReflection(g)) {
            return rotation;
        }
        return rotation.isEmpty() ? "flip" : rotation + "∘flip";
    }

    @Override
    public int rotations() {
        return n;
    }

    @Override
    public int rotationSteps(int g) {
        return checkElement(g) % n;
    }

    @Override
    public boolean isReflection(int g) {
        return checkElement(g) >= n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DihedralGroup other && other.n == n;
    }

    @Override
    public int hashCode() {
        return 31 * n + 2;
    }

    @Override
    public String toString() {
        return name();
    }
}
