package org.dl4jinvariance.group;

/**
 * C_N, the rotations of the plane by multiples of 360°/N. Element r is the rotation by
 * r·360°/N counter-clockwise; r·s = (r + s) mod N, r⁻¹ = −r mod N.
 */
public final class CyclicGroup implements PlanarGroup {

    private final int n;

    private CyclicGroup(int n) {
        this.n = n;
    }

    /**
     * C_n for 1 ≤ n ≤ {@link PlanarGroup#MAX_ROTATIONS}.
     *
     * @throws IllegalArgumentException naming n and the bound otherwise
     */
    public static CyclicGroup of(int n) {
        if (n < 1 || n > MAX_ROTATIONS) {
            throw new IllegalArgumentException("Cyclic group order must be in 1.." + MAX_ROTATIONS
                    + " (rotations by multiples of 1° at the finest; PlanarGroup.MAX_ROTATIONS), got " + n);
        }
        return new CyclicGroup(n);
    }

    @Override
    public int order() {
        return n;
    }

    @Override
    public int identity() {
        return 0;
    }

    @Override
    public int compose(int a, int b) {
        checkElement(a);
        checkElement(b);
        return (a + b) % n;
    }

    @Override
    public int inverse(int a) {
        checkElement(a);
        return (n - a) % n;
    }

    @Override
    public String name() {
        return "C" + n;
    }

    @Override
    public String elementName(int g) {
        checkElement(g);
        return g == 0 ? "id" : "rot" + formatDegrees(rotationDegrees(g));
    }

    @Override
    public int rotations() {
        return n;
    }

    @Override
    public int rotationSteps(int g) {
        return checkElement(g);
    }

    @Override
    public boolean isReflection(int g) {
        checkElement(g);
        return false;
    }

    static String formatDegrees(double degrees) {
        return degrees == Math.rint(degrees) ? String.valueOf((long) degrees)
                : String.format(java.util.Locale.ROOT, "%.1f", degrees);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CyclicGroup other && other.n == n;
    }

    @Override
    public int hashCode() {
        return 31 * n + 1;
    }

    @Override
    public String toString() {
        return name();
    }
}
