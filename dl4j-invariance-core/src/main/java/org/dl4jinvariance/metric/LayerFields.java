package org.dl4jinvariance.metric;

import java.util.Collection;
import java.util.Map;
import org.dl4jinvariance.field.FieldInference;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.util.ConvolutionUtils;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.probe.ModelProbe;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

/**
 * What the evaluator reads about each probed layer besides its activations: ρ from the one
 * {@link FieldInference} shared with {@code EquivarianceAssert} and the export, whether the
 * output is already a softmax, and whether feature maps are NHWC.
 */
final class LayerFields {

    /** ρ or, when unknown, why. */
    record Resolved(FieldType field, String reason) {
    }

    private final ModelProbe probe;
    private final FieldInference inference;

    LayerFields(ModelProbe probe, GroupAction action, Collection<String> actedInputs, Map<String, FieldType> overrides) {
        this.probe = probe;
        this.inference = FieldInference.of(probe, action, actedInputs, overrides);
    }

    Resolved resolve(String layer) {
        FieldInference.LayerField f = inference.field(layer);
        return new Resolved(f.field(), f.reason());
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
