package org.dl4jinvariance.metric;

import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.util.ConvolutionUtils;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.field.EquivariantLayer;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.FiniteGroup;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.probe.ModelProbe;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

/**
 * Which ρ acts on each layer's output, in this order: the user's per-layer override; the
 * layer configuration's own {@link EquivariantLayer#outputField()}; {@code spatial(G)} for plain
 * {@link ConvolutionLayer}, {@link SubsamplingLayer} and {@link BatchNormalization} feature maps
 * when the input action is an image rotation/reflection; for {@link GlobalPoolingLayer} the
 * pooled field of its input layer (regular fields stay regular on the [B, C·|G|] vector, spatial
 * fields become trivial); activation and dropout layers keep their input's field. Otherwise
 * unknown, with the reason.
 */
final class LayerFields {

    /** ρ or, when unknown, why. */
    record Resolved(FieldType field, String reason) {
    }

    private final ModelProbe probe;
    private final FiniteGroup group;
    private final boolean imageRotation;
    private final Map<String, FieldType> overrides;

    LayerFields(ModelProbe probe, FiniteGroup group, GroupAction action, Map<String, FieldType> overrides) {
        this.probe = probe;
        this.group = group;
        this.overrides = overrides;
        String d = action.describe();
        while (d.startsWith("flat(")) {
            d = d.substring("flat(".length());
        }
        this.imageRotation = group instanceof PlanarGroup && d.startsWith("rotation(");
    }

    Resolved resolve(String layer) {
        FieldType override = overrides.get(layer);
        if (override != null) {
            return new Resolved(override, null);
        }
        Layer conf = probe.layerConfig(layer);
        if (conf instanceof EquivariantLayer eq) {
            FieldType f = eq.outputField();
            if (f instanceof FieldType.Regular r && (r.group().order() != group.order() || !r.group().name().equals(group.name()))) {
                return new Resolved(null, "layer '" + layer + "' declares " + f.describe() + ", not a field of " + group.name());
            }
            return new Resolved(f, null);
        }
        if (conf instanceof ConvolutionLayer || conf instanceof SubsamplingLayer || conf instanceof BatchNormalization) {
            return imageRotation ? new Resolved(FieldType.spatial((PlanarGroup) group), null)
                    : new Resolved(null, "plain feature maps of layer '" + layer + "' follow the input action only for "
                    + "image rotations/reflections; give fieldType(\"" + layer + "\", ...)");
        }
        if (conf instanceof GlobalPoolingLayer || conf instanceof ActivationLayer || conf instanceof DropoutLayer) {
            String input = probe.inputLayerOf(layer);
            Resolved in = input == null ? new Resolved(null, "layer '" + layer + "' has no single input layer")
                    : resolve(input);
            if (in.field() == null || !(conf instanceof GlobalPoolingLayer)) {
                return in.field() == null ? new Resolved(null, "no field type known for layer '" + layer
                        + "' (its input: " + in.reason() + ")") : in;
            }
            return new Resolved(in.field() instanceof FieldType.Regular ? in.field() : FieldType.trivial(), null);
        }
        String kind = conf == null ? "a graph vertex without a layer" : conf.getClass().getSimpleName();
        return new Resolved(null, "no field type known for layer '" + layer + "' (" + kind
                + "); give one with fieldType(\"" + layer + "\", ...)");
    }

    /** True when the layer's activation function is a softmax. */
    boolean outputsProbabilities(String layer) {
        return probe.layerConfig(layer) instanceof BaseLayer b && b.getActivationFn() instanceof ActivationSoftmax;
    }

    /** True when the layer emits [B, H, W, C] feature maps. */
    boolean isNhwc(String layer) {
        Layer conf = probe.layerConfig(layer);
        if (conf instanceof BatchNormalization bn) {
            return bn.getCnn2DFormat() == CNN2DFormat.NHWC;
        }
        if (conf == null || !ConvolutionUtils.layerHasConvolutionLayout(conf)) {
            return false;
        }
        try {
            return ConvolutionUtils.getFormatForLayer(conf) == CNN2DFormat.NHWC;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
