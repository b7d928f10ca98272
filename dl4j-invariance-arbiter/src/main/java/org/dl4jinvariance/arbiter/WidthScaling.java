package org.dl4jinvariance.arbiter;

/**
 * How an equivariant layer space turns a searched width w into a number of fields F for a group
 * of order |G|, so that plain and equivariant candidates of the same width are comparable:
 *
 * <pre>
 *   FIELDS:     F = w                        (nOut as the layer builders count it)
 *   CHANNELS:   F = max(1, round(w / |G|))   (about w channels: same activation size)
 *   PARAMETERS: F = max(1, round(w / √|G|))  (about the parameters of a plain w-channel layer)
 * </pre>
 *
 * A group convolution with F fields in and out has k²·F·|G|·F weights, so F = w/√|G| keeps the
 * weight count of a plain w → w convolution (k²·w²). For plain candidates (|G| = 1) every rule
 * gives F = w channels.
 */
public enum WidthScaling {
    FIELDS,
    CHANNELS,
    PARAMETERS;

    /** The number of fields for width {@code width} and a group of order {@code groupOrder}. */
    public int fields(int width, int groupOrder) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be >= 1, got " + width);
        }
        if (groupOrder < 1) {
            throw new IllegalArgumentException("group order must be >= 1, got " + groupOrder);
        }
        return switch (this) {
            case FIELDS -> width;
            case CHANNELS -> Math.max(1, (int) Math.round(width / (double) groupOrder));
            case PARAMETERS -> Math.max(1, (int) Math.round(width / Math.sqrt(groupOrder)));
        };
    }
}
