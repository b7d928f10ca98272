package org.dl4jinvariance.action;

import java.util.Optional;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.FiniteGroup;
import org.dl4jinvariance.group.PlanarGroup;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How the elements of a finite group act on a batch of inputs. An action is a homomorphism:
 * apply(g, apply(h, x)) equals apply(g·h, x), and apply(e, x) equals x.
 *
 * <p>What the engine needs to know about an action it reads from typed capabilities, never from
 * {@link #describe()}: {@link #group()}, the {@link #layout()} it acts on, whether it is the
 * planar action of a {@link PlanarGroup} ({@link #planarGroup()}), and the field that plain
 * feature maps computed from such inputs inherit ({@link #featureMapField()}). A user-written
 * action only has to implement {@link #group()} and {@link #apply}; it then works end to end with
 * field types given per layer (e.g. {@code InvarianceEvaluator.Builder.fieldType}).
 */
public interface GroupAction extends java.io.Serializable {

    /** The group that acts. */
    FiniteGroup group();

    /**
     * g·x for every example of the batch. Returns a new array; {@code x} is never modified.
     *
     * @throws IllegalArgumentException when g is not an element or x has a shape this action
     *                                  cannot transform (the message names the shape)
     */
    INDArray apply(int g, INDArray x);

    /** The input layout this action acts on; {@link InputLayout#any()} unless the action says more. */
    default InputLayout layout() {
        return InputLayout.any();
    }

    /**
     * The planar group when this is its action on the plane of an image (rotations, mirrors),
     * so plain feature maps inherit it as {@code FieldType.spatial(group)}; empty otherwise.
     */
    default Optional<PlanarGroup> planarGroup() {
        return Optional.empty();
    }

    /**
     * ρ for plain feature maps computed from inputs of this layout (convolutions, pooling,
     * normalization channel by channel): how "equivariant" is read at such a layer. Empty when
     * plain feature maps have no natural action (the user then gives field types per layer).
     */
    default Optional<FieldType> featureMapField() {
        return planarGroup().map(FieldType::spatial);
    }

    /**
     * g acting on a features mask of a batch: a mask with the input's rank (one value per
     * pixel or channel) is transformed like the input; any other mask (one value per example)
     * is returned unchanged. Actions on sequences move per-time-step masks [B, T] with time.
     */
    default INDArray applyToMask(int g, INDArray mask, INDArray input) {
        return mask.rank() == input.rank() ? apply(g, mask) : mask.dup();
    }

    /**
     * The whole orbit of a batch stacked into one batch, group-major: rows
     * {@code [k·B, (k+1)·B)} hold g_k·x, so one forward pass sees every transformed copy.
     */
    default INDArray orbit(INDArray x) {
        int order = group().order();
        INDArray[] parts = new INDArray[order];
        for (int g = 0; g < order; g++) {
            parts[g] = apply(g, x);
        }
        return order == 1 ? parts[0] : Nd4j.concat(0, parts);
    }

    /** The features mask of {@link #orbit}: {@link #applyToMask} per element, stacked the same way. */
    default INDArray orbitMask(INDArray mask, INDArray x) {
        int order = group().order();
        INDArray[] parts = new INDArray[order];
        for (int g = 0; g < order; g++) {
            parts[g] = applyToMask(g, mask, x);
        }
        return order == 1 ? parts[0] : Nd4j.concat(0, parts);
    }

    /** A short description for display, e.g. {@code rotation(C4)}; no behaviour depends on it. */
    default String describe() {
        return getClass().getSimpleName() + "(" + group().name() + ")";
    }
}
