package org.dl4jinvariance.action;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.dl4jinvariance.group.CyclicGroup;
import org.dl4jinvariance.group.FiniteGroup;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The group actions on NCHW image batches that the metrics and the augmentation share.
 *
 * <p>Rotations turn each image about its centre, counter-clockwise as displayed (row 0 at the
 * top); reflections mirror left-right. Multiples of 90° and mirrors are index permutations
 * (bit-exact); other angles interpolate bilinearly with zeros outside the image.
 */
public final class ImageActions {

    private ImageActions() {
    }

    /**
     * The action of C_N or D_N on images: element g mirrors left-right if it is a reflection,
     * then rotates by its angle. Exact for C1, C2, C4, D1, D2, D4; bilinear otherwise.
     */
    public static GroupAction rotation(PlanarGroup group) {
        return new PlanarImageAction(group);
    }

    /** The action of D1 = {id, flip}: element 1 mirrors each image left-right. */
    public static GroupAction reflection() {
        return new PlanarImageAction(Groups.flipH());
    }

    /**
     * Cyclic translations: element k of C_order shifts the content k·dx pixels right and k·dy
     * pixels down, wrapping around the border. A homomorphism of C_order when
     * order·dx ≡ 0 (mod W) and order·dy ≡ 0 (mod H).
     */
    public static GroupAction cyclicTranslation(int dx, int dy, int order) {
        return new CyclicTranslation(dx, dy, CyclicGroup.of(order));
    }

    /** {@link #cyclicTranslation(int, int, int)} with the four shifts 0, d, 2d, 3d (C4). */
    public static GroupAction cyclicTranslation(int dx, int dy) {
        return cyclicTranslation(dx, dy, 4);
    }

    /** Rotation by any angle t (degrees, counter-clockwise), bilinear; exact for multiples of 90°. */
    public static ContinuousAction continuousRotation() {
        return new ContinuousRotation();
    }

    /** Translation by t pixels along (dirX, dirY) (right, down), bilinear, zeros enter at the border. */
    public static ContinuousAction continuousTranslation(double dirX, double dirY) {
        return new ContinuousTranslation(dirX, dirY);
    }

    /**
     * The rotations and mirrors of {@code group} acting on the centre square of each image: a
     * batch [B, C, H, W] is first cropped to its centre min(H, W) × min(H, W) square (rows or
     * columns beyond it dropped equally on both sides, the extra one at the end), which is then
     * transformed. For non-square inputs when the user asks for turns by 90°: the identity
     * element returns the crop, so the network must accept the square size (fully
     * convolutional networks with global pooling do). Square inputs are not cropped.
     */
    public static GroupAction rotationOfCentreSquare(PlanarGroup group) {
        return new CentreSquare(new PlanarImageAction(group));
    }

    /**
     * Wraps an image action for flat batches {@code [B, C·H·W]} (as DL4J's MNIST iterator and
     * {@code InputType.convolutionalFlat} networks use): reshape, act, flatten back.
     */
    public static GroupAction forFlatInput(GroupAction imageAction, int channels, int height, int width) {
        return new FlatImageAction(imageAction, channels, height, width);
    }

    static void requireRank4(INDArray x, String what) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(what + " expects an NCHW batch of rank 4, got shape "
                    + Arrays.toString(x.shape())
                    + (x.rank() == 2 ? " (for flat batches use ImageActions.forFlatInput)" : ""));
        }
    }

    /** Rotations and mirrors of C_N / D_N. */
    private static final class PlanarImageAction implements GroupAction {

        /** Values per block of planes that {@link #orbit} maps at a time (256 KiB of floats). */
        private static final int BLOCK_VALUES = 1 << 16;
        private final PlanarGroup group;
        private final Map<String, PixelMap> maps = new ConcurrentHashMap<>();

        PlanarImageAction(PlanarGroup group) {
            if (group == null) {
                throw new IllegalArgumentException("Rotation action needs a group, got null");
            }
            this.group = group;
        }

        @Override
        public FiniteGroup group() {
            return group;
        }

        @Override
        public InputLayout layout() {
            return InputLayout.image();
        }

        @Override
        public Optional<PlanarGroup> planarGroup() {
            return Optional.of(group);
        }

        @Override
        public INDArray apply(int g, INDArray x) {
            group.checkElement(g);
            checkImages(x);
            if (g == group.identity()) {
                return x.dup();
            }
            return map(g, x).apply(x);
        }

        /**
         * The same rows as {@link GroupAction#orbit}, written into one native array: the input is
         * read once and each element's map writes its block straight into the array's memory,
         * instead of a copy per element and a concatenation (the stacked orbit is built for
         * every chunk an evaluator measures). Beyond one NIO view (2^31 − 1 bytes) it stacks.
         */
        @Override
        public INDArray orbit(INDArray x) {
            checkImages(x);
            int order = group.order();
            long length = x.length();
            DataType type = x.dataType();
            if ((type != DataType.FLOAT && type != DataType.DOUBLE) || length * order * type.width() > Integer.MAX_VALUE) {
                return GroupAction.super.orbit(x);
            }
            int n = (int) length;
            long[] shape = x.shape().clone();   // shape() may be the array's own shape information
            shape[0] *= order;
            INDArray out = Nd4j.createUninitialized(type, shape, 'c');
            INDArray in = x.ordering() == 'c' && Shape.hasDefaultStridesForShape(x) ? x : x.dup('c');
            PixelMap[] maps = new PixelMap[order];
            for (int g = 0; g < order; g++) {
                maps[g] = g == group.identity() ? null : map(g, x);
            }
            // A few planes at a time through small arrays: whole-batch Java copies would be
            // fresh memory on every call, and first touching memory costs more than the copy.
            int planeLength = (int) (x.size(2) * x.size(3));
            int block = Math.max(1, BLOCK_VALUES / planeLength) * planeLength;
            OrbitBlocks blocks = type == DataType.DOUBLE ? new OrbitBlocks.Doubles(in, out, block)
                    : new OrbitBlocks.Floats(in, out, block);
            for (int from = 0; from < n; from += block) {
                int len = Math.min(block, n - from);
                blocks.read(from, len);
                for (int g = 0; g < order; g++) {
                    blocks.write(maps[g], (long) g * n + from, len);
                }
            }
            return out;
        }

        private void checkImages(INDArray x) {
            requireRank4(x, describe());
            int h = (int) x.size(2);
            int w = (int) x.size(3);
            // 180° turns and mirrors keep any rectangle; other rotations need a square.
            if (h != w && group.rotations() > 2) {
                throw new IllegalArgumentException(describe() + " needs square images, got shape "
                        + Arrays.toString(x.shape()) + " (" + h + "x" + w + "); reflections and 180° turns act on "
                        + "any rectangle, or use ImageActions.rotationOfCentreSquare to turn the centre square");
            }
        }

        private PixelMap map(int g, INDArray x) {
            int h = (int) x.size(2);
            int w = (int) x.size(3);
            return maps.computeIfAbsent(g + ":" + h + "x" + w, key -> buildMap(g, h, w));
        }

        private PixelMap buildMap(int g, int h, int w) {
            double theta = Math.toRadians(group.rotationDegrees(g));
            double cos = Math.cos(theta);
            double sin = Math.sin(theta);
            boolean mirror = group.isReflection(g);
            // out = R_θ(M(in)): the source of output point p is M⁻¹(R_−θ p); M⁻¹(x, y) = (−x, y).
            return PixelMap.fromInverseTransform(h, w, (px, py) -> {
                double sx = px * cos + py * sin;
                double sy = -px * sin + py * cos;
                return new double[] {mirror ? -sx : sx, sy};
            });
        }

        @Override
        public String describe() {
            return "rotation(" + group.name() + ")";
        }
    }

    /** Cyclic shifts with wrap-around. */
    private static final class CyclicTranslation implements GroupAction {
        private final int dx;
        private final int dy;
        private final CyclicGroup group;
        private final Map<String, PixelMap> maps = new ConcurrentHashMap<>();

        CyclicTranslation(int dx, int dy, CyclicGroup group) {
            this.dx = dx;
            this.dy = dy;
            this.group = group;
        }

        @Override
        public FiniteGroup group() {
            return group;
        }

        @Override
        public InputLayout layout() {
            return InputLayout.image();
        }

        @Override
        public INDArray apply(int g, INDArray x) {
            group.checkElement(g);
            requireRank4(x, describe());
            int h = (int) x.size(2);
            int w = (int) x.size(3);
            int order = group.order();
            // Only then is shifting k times by (dx, dy) a homomorphism of C_order: k = order wraps to 0.
            if (Math.floorMod((long) order * dx, w) != 0 || Math.floorMod((long) order * dy, h) != 0) {
                throw new IllegalArgumentException(describe() + " is not an action of C" + order + " on " + h + "x" + w
                        + " images: " + order + "·dx = " + (long) order * dx + " must be a multiple of the width " + w
                        + " and " + order + "·dy = " + (long) order * dy + " a multiple of the height " + h);
            }
            if (g == 0) {
                return x.dup();
            }
            PixelMap map = maps.computeIfAbsent(g + ":" + h + "x" + w, key -> {
                int[] source = new int[h * w];
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        int si = Math.floorMod(i - g * dy, h);
                        int sj = Math.floorMod(j - g * dx, w);
                        source[i * w + j] = si * w + sj;
                    }
                }
                return PixelMap.permutation(h, w, source);
            });
            return map.apply(x);
        }

        @Override
        public String describe() {
            return "cyclicTranslation(" + dx + "," + dy + ";" + group.name() + ")";
        }
    }

    private static final class ContinuousRotation implements ContinuousAction {
        @Override
        public INDArray apply(double t, INDArray x) {
            requireRank4(x, describe());
            int h = (int) x.size(2);
            int w = (int) x.size(3);
            if (h != w) {
                throw new IllegalArgumentException(describe() + " needs square images, got shape "
                        + Arrays.toString(x.shape()));
            }
            double theta = Math.toRadians(t);
            double cos = Math.cos(theta);
            double sin = Math.sin(theta);
            return PixelMap.fromInverseTransform(h, w,
                    (px, py) -> new double[] {px * cos + py * sin, -px * sin + py * cos}).apply(x);
        }

        @Override
        public String describe() {
            return "continuousRotation";
        }
    }

    private static final class ContinuousTranslation implements ContinuousAction {
        private final double dirX;
        private final double dirY;

        ContinuousTranslation(double dirX, double dirY) {
            this.dirX = dirX;
            this.dirY = dirY;
        }

        @Override
        public INDArray apply(double t, INDArray x) {
            requireRank4(x, describe());
            int h = (int) x.size(2);
            int w = (int) x.size(3);
            // Content moves t·dirX right and t·dirY down: the source of p is p − shift (y is up).
            return PixelMap.fromInverseTransform(h, w,
                    (px, py) -> new double[] {px - t * dirX, py + t * dirY}).apply(x);
        }

        @Override
        public String describe() {
            return "continuousTranslation(" + dirX + "," + dirY + ")";
        }
    }

    private static final class CentreSquare implements GroupAction {
        private final PlanarImageAction inner;

        CentreSquare(PlanarImageAction inner) {
            this.inner = inner;
        }

        @Override
        public FiniteGroup group() {
            return inner.group();
        }

        @Override
        public InputLayout layout() {
            return InputLayout.image();
        }

        @Override
        public Optional<PlanarGroup> planarGroup() {
            return inner.planarGroup();
        }

        @Override
        public INDArray apply(int g, INDArray x) {
            requireRank4(x, describe());
            long h = x.size(2);
            long w = x.size(3);
            long side = Math.min(h, w);
            INDArray square = h == w ? x : x.get(NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval((h - side) / 2, (h - side) / 2 + side),
                    NDArrayIndex.interval((w - side) / 2, (w - side) / 2 + side)).dup('c');
            return inner.apply(g, square);
        }

        @Override
        public String describe() {
            return "centreSquare(" + inner.describe() + ")";
        }
    }

    private static final class FlatImageAction implements GroupAction {
        private final GroupAction inner;
        private final long[] imageShape;

        FlatImageAction(GroupAction inner, int channels, int height, int width) {
            this.inner = inner;
            this.imageShape = new long[] {channels, height, width};
        }

        @Override
        public FiniteGroup group() {
            return inner.group();
        }

        @Override
        public InputLayout layout() {
            return InputLayout.flat(inner.layout().kind() == InputLayout.Kind.ANY ? InputLayout.image() : inner.layout(),
                    imageShape);
        }

        @Override
        public Optional<PlanarGroup> planarGroup() {
            return inner.planarGroup();
        }

        @Override
        public Optional<org.dl4jinvariance.field.FieldType> featureMapField() {
            return inner.featureMapField();
        }

        @Override
        public INDArray apply(int g, INDArray x) {
            long features = imageShape[0] * imageShape[1] * imageShape[2];
            if (x.rank() != 2 || x.size(1) != features) {
                throw new IllegalArgumentException(describe() + " expects a flat batch [B, " + features
                        + "], got shape " + Arrays.toString(x.shape()));
            }
            INDArray images = x.dup('c').reshape('c', x.size(0), imageShape[0], imageShape[1], imageShape[2]);
            return inner.apply(g, images).reshape('c', x.size(0), features);
        }

        @Override
        public String describe() {
            return "flat(" + inner.describe() + ")";
        }
    }
}
