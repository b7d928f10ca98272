package org.dl4jinvariance.data;

import static org.bytedeco.opencv.global.opencv_core.ROTATE_180;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_CLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_COUNTERCLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_core.rotate;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.datavec.image.data.ImageWritable;
import org.datavec.image.transform.BaseImageTransform;
import org.dl4jinvariance.group.CyclicGroup;
import org.dl4jinvariance.group.DihedralGroup;
import org.dl4jinvariance.group.PlanarGroup;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnoreProperties;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A DataVec {@link org.datavec.image.transform.ImageTransform} that applies an exact element of
 * a planar group (C_N, D_N) to each image: g·x = R_θ(M(x)), "mirror left-right if g is a
 * reflection, then rotate counter-clockwise by θ(g)" — the same pixels as
 * {@link org.dl4jinvariance.action.ImageActions#rotation(PlanarGroup)} gives for the image as an
 * NCHW array. Only elements that map the pixel grid onto itself (θ a multiple of 90°) are
 * accepted, so every output pixel is a copy of one input pixel: no interpolation, bit-exact.
 *
 * <p>Two modes: {@link #fixed(PlanarGroup, int)} applies one element to every image (a rotated
 * evaluation set); {@link #random(PlanarGroup, long)} draws g uniformly from G for each image
 * from a seeded stream (augmentation). A quarter turn of a non-square image would change its
 * shape, so it is refused naming the size; the random mode refuses non-square images whenever
 * its group has quarter turns, so a pipeline never fails on some images only.
 *
 * <p>DataVec runs image transforms before it converts channels and resizes (in
 * {@code NativeImageLoader}), so the element acts on the image as stored in the file. Jackson
 * serialisable as DataVec's own transforms are (inside an {@code ImageTransformProcess}): the
 * group, the element or the seed; a deserialised random transform restarts its stream.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = {"random", "converter", "currentImage"}, ignoreUnknown = true)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public final class GroupImageTransform extends BaseImageTransform<Mat> {

    /** Marks the random mode in the serialised form. */
    private static final int RANDOM = -1;

    @JsonProperty("rotations")
    private final int rotations;
    @JsonProperty("reflections")
    private final boolean reflections;
    @JsonProperty("element")
    private final int element;
    @JsonProperty("seed")
    private final long seed;

    private final transient PlanarGroup group;
    private int lastElement = RANDOM;

    @JsonCreator
    private GroupImageTransform(@JsonProperty("rotations") int rotations,
                                @JsonProperty("reflections") boolean reflections,
                                @JsonProperty("element") int element,
                                @JsonProperty("seed") long seed) {
        this(reflections ? DihedralGroup.of(rotations) : CyclicGroup.of(rotations), element, seed);
    }

    private GroupImageTransform(PlanarGroup group, int element, long seed) {
        super(element == RANDOM ? new Random(seed) : null);
        if (group == null) {
            throw new IllegalArgumentException("GroupImageTransform needs a planar group (C_N or D_N), got null");
        }
        this.group = group;
        this.rotations = group.rotations();
        this.reflections = group.order() == 2 * group.rotations();
        this.element = element;
        this.seed = seed;
        this.converter = new OpenCVFrameConverter.ToMat();
        if (element == RANDOM) {
            List<String> inexact = inexactElements(group);
            if (!inexact.isEmpty()) {
                throw new IllegalArgumentException("GroupImageTransform.random needs a group whose every element maps the "
                        + "pixel grid onto itself (turns by multiples of 90°: C1, C2, C4, D1, D2, D4); " + group.name()
                        + " has " + inexact + ". Use fixed(" + group.name() + ", g) for its exact elements, or "
                        + "ImageActions.rotation for interpolated turns on arrays");
            }
        } else {
            group.checkElement(element);
            if (!group.isGridExact(element)) {
                throw new IllegalArgumentException("GroupImageTransform: element " + element + " ("
                        + group.elementName(element) + ") of " + group.name() + " turns by "
                        + group.rotationDegrees(element) + "°, not a multiple of 90°, so it is not a permutation of "
                        + "the pixel grid; exact elements of " + group.name() + " are " + exactElements(group));
            }
        }
    }

    /** Applies element {@code g} of {@code group} to every image; g must turn by a multiple of 90°. */
    public static GroupImageTransform fixed(PlanarGroup group, int g) {
        if (g < 0) {
            throw new IllegalArgumentException("GroupImageTransform.fixed: element index must be in 0.."
                    + (group == null ? "|G|-1" : String.valueOf(group.order() - 1)) + ", got " + g);
        }
        return new GroupImageTransform(group, g, 0L);
    }

    /**
     * Applies a uniformly random element of {@code group} to each image, drawn from a stream
     * seeded with {@code seed} (or from the {@link Random} a DataVec pipeline passes in).
     * Every element must turn by a multiple of 90° (C1, C2, C4, D1, D2, D4).
     */
    public static GroupImageTransform random(PlanarGroup group, long seed) {
        return new GroupImageTransform(group, RANDOM, seed);
    }

    /** The group whose elements this transform applies. */
    public PlanarGroup group() {
        return group;
    }

    /** True when each image gets a random element; false for a fixed one. */
    public boolean isRandom() {
        return element == RANDOM;
    }

    /** The fixed element, or −1 in the random mode. */
    public int element() {
        return element;
    }

    /** The seed of the random mode's stream (0 for a fixed element). */
    public long seed() {
        return seed;
    }

    /** The element applied to the last image, or −1 before the first. */
    public int lastElement() {
        return lastElement;
    }

    /**
     * True when this transform may turn an image by 90°, so non-square images are refused: a fixed
     * quarter turn, or the random mode over a group that has one.
     */
    public boolean requiresSquare() {
        if (!isRandom()) {
            return isQuarterTurn(element);
        }
        for (int g = 0; g < group.order(); g++) {
            if (isQuarterTurn(g)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param random the pipeline's stream for the random mode (this transform's own seeded stream
     *               when null); ignored for a fixed element
     */
    @Override
    protected ImageWritable doTransform(ImageWritable image, Random random) {
        if (image == null) {
            return null;
        }
        Mat mat = converter.convert(image.getFrame());
        if (mat == null) {
            return null;
        }
        if (requiresSquare() && mat.rows() != mat.cols()) {
            throw new IllegalArgumentException(this + " turns images by 90°, which needs square images; got "
                    + mat.rows() + "x" + mat.cols() + " (rows x cols). Crop or resize to a square first");
        }
        int g = isRandom() ? (random != null ? random : this.random).nextInt(group.order()) : element;
        lastElement = g;
        return new ImageWritable(converter.convert(apply(g, mat)));
    }

    /**
     * g·x as a new Mat: mirror left-right (flip about the vertical axis) if g is a reflection,
     * then rotate counter-clockwise by g's number of quarter turns. Both are pixel copies.
     */
    private Mat apply(int g, Mat in) {
        Mat current = in;
        if (group.isReflection(g)) {
            Mat mirrored = new Mat();
            flip(current, mirrored, 1);
            current = mirrored;
        }
        int quarterTurns = quarterTurns(g);
        if (quarterTurns == 0) {
            if (current == in) {
                Mat copy = new Mat();
                in.copyTo(copy);
                return copy;
            }
            return current;
        }
        Mat turned = new Mat();
        int code = quarterTurns == 1 ? ROTATE_90_COUNTERCLOCKWISE : quarterTurns == 2 ? ROTATE_180 : ROTATE_90_CLOCKWISE;
        rotate(current, turned, code);
        return turned;
    }

    /** Counter-clockwise quarter turns of g (0..3); g is grid-exact. */
    private int quarterTurns(int g) {
        return 4 * group.rotationSteps(g) / group.rotations();
    }

    private boolean isQuarterTurn(int g) {
        return quarterTurns(g) % 2 == 1;
    }

    private static List<String> inexactElements(PlanarGroup group) {
        List<String> out = new ArrayList<>();
        for (int g = 0; g < group.order(); g++) {
            if (!group.isGridExact(g)) {
                out.add(group.elementName(g) + " (" + group.rotationDegrees(g) + "°)");
            }
        }
        return out;
    }

    private static List<String> exactElements(PlanarGroup group) {
        List<String> out = new ArrayList<>();
        for (int g = 0; g < group.order(); g++) {
            if (group.isGridExact(g)) {
                out.add(g + " (" + group.elementName(g) + ")");
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupImageTransform t && t.group.equals(group) && t.element == element && t.seed == seed;
    }

    @Override
    public int hashCode() {
        return (group.hashCode() * 31 + element) * 31 + Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return "GroupImageTransform[" + group.name() + (isRandom() ? ", random, seed=" + seed
                : ", element " + element + " (" + group.elementName(element) + ")") + "]";
    }
}
