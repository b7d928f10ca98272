package org.dl4jinvariance.action;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shape of input a {@link GroupAction} acts on, as a type the engine reads (never a
 * description string): an image batch [B, C, H, W] (NCHW) or [B, H, W, C] (NHWC), a sequence
 * batch [B, C, T], a flat view [B, F] of one of these with a fixed example shape, or
 * {@link #any()} for actions that document their own shapes.
 *
 * <p>Sizes are free (an image action acts on every H×W it can) except for a flat view, which
 * fixes the example shape it unflattens to.
 */
public final class InputLayout {

    /** What the axes after the batch axis mean. */
    public enum Kind {
        /** [B, C, H, W]. */
        IMAGE_NCHW(4),
        /** [B, H, W, C]. */
        IMAGE_NHWC(4),
        /** [B, C, T] (DL4J's RNN format NCW). */
        SEQUENCE(3),
        /** Any shape the action documents. */
        ANY(-1);

        private final int rank;

        Kind(int rank) {
            this.rank = rank;
        }

        /** The batch rank, or −1 for any. */
        public int rank() {
            return rank;
        }
    }

    private static final InputLayout ANY = new InputLayout(Kind.ANY, null);
    private static final InputLayout NCHW = new InputLayout(Kind.IMAGE_NCHW, null);
    private static final InputLayout NHWC = new InputLayout(Kind.IMAGE_NHWC, null);
    private static final InputLayout SEQUENCE = new InputLayout(Kind.SEQUENCE, null);

    private final Kind kind;
    private final long[] flatExampleShape;

    private InputLayout(Kind kind, long[] flatExampleShape) {
        this.kind = kind;
        this.flatExampleShape = flatExampleShape;
    }

    /** NCHW image batches of any size. */
    public static InputLayout image() {
        return NCHW;
    }

    /** NHWC image batches of any size. */
    public static InputLayout imageNhwc() {
        return NHWC;
    }

    /** Sequence batches [B, C, T] of any length. */
    public static InputLayout sequence() {
        return SEQUENCE;
    }

    /** Whatever the action documents. */
    public static InputLayout any() {
        return ANY;
    }

    /**
     * Flat rows [B, F] that are examples of {@code of} flattened in c order, F = the product of
     * {@code exampleShape} (e.g. [C, H, W] for NCHW images, [C, T] for sequences).
     */
    public static InputLayout flat(InputLayout of, long... exampleShape) {
        Objects.requireNonNull(of, "of");
        if (of.isFlat() || of.kind == Kind.ANY) {
            throw new IllegalArgumentException("A flat view needs an image or sequence layout, got " + of);
        }
        if (exampleShape == null || exampleShape.length != of.kind.rank - 1
                || Arrays.stream(exampleShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("A flat view of " + of + " needs " + (of.kind.rank - 1)
                    + " positive example dimensions, got " + Arrays.toString(exampleShape));
        }
        return new InputLayout(of.kind, exampleShape.clone());
    }

    /** What the axes mean (for a flat view: the axes of the unflattened examples). */
    public Kind kind() {
        return kind;
    }

    /** True for a flat view [B, F]. */
    public boolean isFlat() {
        return flatExampleShape != null;
    }

    /** The unflattened example shape of a flat view; throws for other layouts. */
    public long[] flatExampleShape() {
        if (!isFlat()) {
            throw new IllegalStateException(this + " is not a flat view");
        }
        return flatExampleShape.clone();
    }

    /** The layout a flat view unflattens to; this layout itself otherwise. */
    public InputLayout unflattened() {
        return isFlat() ? new InputLayout(kind, null) : this;
    }

    /** True for image layouts (NCHW or NHWC, flat or not). */
    public boolean isImage() {
        return kind == Kind.IMAGE_NCHW || kind == Kind.IMAGE_NHWC;
    }

    /** True for sequence layouts (flat or not). */
    public boolean isSequence() {
        return kind == Kind.SEQUENCE;
    }

    /**
     * Throws unless {@code x} is a batch of this layout.
     *
     * @param who names the action in the message
     * @throws IllegalArgumentException naming the shape and the expected layout
     */
    public void check(INDArray x, String who) {
        if (x == null) {
            throw new IllegalArgumentException(who + " needs a batch " + this + ", got null");
        }
        boolean ok;
        if (isFlat()) {
            long f = 1;
            for (long d : flatExampleShape) {
                f *= d;
            }
            ok = x.rank() == 2 && x.size(1) == f;
        } else {
            ok = kind == Kind.ANY || x.rank() == kind.rank;
        }
        if (!ok) {
            throw new IllegalArgumentException(who + " expects a batch " + this + ", got shape "
                    + Arrays.toString(x.shape())
                    + (!isFlat() && x.rank() == 2 && kind != Kind.ANY ? " (for flat batches use a flat view, e.g. "
                    + "ImageActions.forFlatInput)" : ""));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputLayout l && l.kind == kind && Arrays.equals(l.flatExampleShape, flatExampleShape);
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + Arrays.hashCode(flatExampleShape);
    }

    /** E.g. {@code [B, C, H, W]} or {@code flat [B, 784] of [B, C, H, W] with [1, 28, 28]}. */
    @Override
    public String toString() {
        String axes = switch (kind) {
            case IMAGE_NCHW -> "[B, C, H, W]";
            case IMAGE_NHWC -> "[B, H, W, C]";
            case SEQUENCE -> "[B, C, T]";
            case ANY -> "of any shape";
        };
        if (!isFlat()) {
            return axes;
        }
        long f = 1;
        for (long d : flatExampleShape) {
            f *= d;
        }
        return "flat [B, " + f + "] of " + axes + " with " + Arrays.toString(flatExampleShape);
    }
}
