package org.dl4jinvariance.group;

/**
 * Z_n as the cyclic shifts of a sequence by multiples of {@code step} time steps: element k
 * shifts by k·step steps (later in time, wrapping around); k·l = (k + l) mod n, k⁻¹ = −k mod n.
 * Not a {@link PlanarGroup}: it moves time, not the plane. Equal by value (n, step).
 */
public final class ShiftGroup implements FiniteGroup {

    /**
     * The largest order accepted, {@link FiniteGroup#MAX_ORDER} (720; it was 4096, the old
     * default {@code maxBatch}). Shifts are exact, so no resolution argument bounds them; the cost
     * does: each example's orbit is |G| rows of one forward pass and a |G|×|G| Gram matrix per
     * probed layer, and 4096 shifts of a sequence of at least 4096 steps are 134 MB of Gram matrix
     * and 4096² · 4096 ≈ 7·10^10 multiply-adds per channel, per example and layer. Use a {@code step} > 1 to cover long
     * periods with fewer shifts.
     */
    public static final int MAX_ORDER = FiniteGroup.MAX_ORDER;

    private final int n;
    private final int step;

    private ShiftGroup(int n, int step) {
        this.n = n;
        this.step = step;
    }

    /**
     * The n shifts by 0, step, 2·step, … steps.
     *
     * @throws IllegalArgumentException unless 1 ≤ n ≤ {@link #MAX_ORDER} and step ≥ 1
     */
    public static ShiftGroup of(int n, int step) {
        if (n < 1 || n > MAX_ORDER) {
            throw new IllegalArgumentException("Shift group order must be in 1.." + MAX_ORDER + ", got " + n);
        }
        if (step < 1) {
            throw new IllegalArgumentException("Shift step must be >= 1 time step, got " + step);
        }
        return new ShiftGroup(n, step);
    }

    /** The number of time steps element 1 shifts by. */
    public int step() {
        return step;
    }

    /** The shift of element k in time steps, k·step. */
    public int shiftOf(int k) {
        return checkElement(k) * step;
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
        return "Shift" + n + (step == 1 ? "" : "x" + step);
    }

    @Override
    public String elementName(int g) {
        return g == 0 ? "id" : "shift+" + shiftOf(g);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShiftGroup s && s.n == n && s.step == step;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * n + step) + 3;
    }

    @Override
    public String toString() {
        return name();
    }
}
