package org.dl4jinvariance.group;

/**
 * A finite group of rotations (and possibly reflections) of the plane about a point: C_N or
 * D_N. Every element g acts on the plane as "mirror left-right if {@link #isReflection}, then
 * rotate counter-clockwise by {@link #rotationDegrees}".
 */
public interface PlanarGroup extends FiniteGroup {

    /**
     * The largest N of C_N and D_N, 360: rotations by multiples of 1°. Finer steps add no
     * information on a pixel grid (a 1° turn moves a pixel at radius r by r·π/180, under one
     * pixel for r < 57, so neighbouring elements resample nearly the same image) and D_360,
     * of order 720, is already {@link FiniteGroup#MAX_ORDER}.
     */
    int MAX_ROTATIONS = 360;

    /** N, the number of rotations in the group (rotations by multiples of 360°/N). */
    int rotations();

    /** Number of counter-clockwise steps of 360°/N that g applies (after its mirror). */
    int rotationSteps(int g);

    /** True when g mirrors the plane left-right before rotating. */
    boolean isReflection(int g);

    /** The rotation angle of g in degrees, counter-clockwise, in [0, 360). */
    default double rotationDegrees(int g) {
        return 360.0 * rotationSteps(g) / rotations();
    }

    /** True when g maps the square pixel grid onto itself (a multiple of 90°). */
    default boolean isGridExact(int g) {
        return (4 * rotationSteps(g)) % rotations() == 0;
    }

    /** True when every element maps the square pixel grid onto itself. */
    default boolean isGridExact() {
        for (int g = 0; g < order(); g++) {
            if (!isGridExact(g)) {
                return false;
            }
        }
        return true;
    }
}
