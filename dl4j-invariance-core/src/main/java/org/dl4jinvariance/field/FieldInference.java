package org.dl4jinvariance.field;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.group.FiniteGroup;
import org.dl4jinvariance.probe.ModelProbe;

/**
 * The one rule for which ρ acts on each layer's output under an input action — used by the
 * metrics, {@code EquivarianceAssert}, {@code EquivariantExport} and the Arbiter module, so
 * they cannot disagree. For each layer, in network order, with ρ_in the field of the layer
 * feeding it:
 * <ol>
 *   <li>a field the user gave for the layer;</li>
 *   <li>an {@link EquivariantLayer}'s declared {@link EquivariantLayer#outputField()} when it is
 *       a field of the acting group and ρ_in agrees with its {@link EquivariantLayer#inputField()};
 *       a declared input field that differs from the field another equivariant layer declares
 *       for its output is a configuration error ({@link IllegalArgumentException});</li>
 *   <li>ρ_in for layers that act channel by channel — activation, dropout, local response
 *       normalization, batch normalization, pooling (2D and 1D): they keep any field (a
 *       regular field stays regular: pooling commutes with permuting channels);</li>
 *   <li>for plain convolutions (2D and 1D), and for the channel-wise layers above when ρ_in is
 *       unknown (and not made unknown by a reshape): the field plain feature maps inherit from the input action,
 *       {@link GroupAction#featureMapField()} (e.g. {@code spatial(C4)} under image rotations,
 *       the time shift itself under a cyclic time shift);</li>
 *   <li>global pooling: a regular field stays regular on the pooled vector [B, C·|G|]; any other
 *       known field becomes trivial (pooling over the space or time the group moves);</li>
 *   <li>recurrent layers and per-time-step output layers keep a sequence feature-map field;</li>
 *   <li>dense, output and loss layers after a trivial field stay trivial;</li>
 *   <li>a reshape between layers (an input preprocessor) keeps a trivial field and makes any
 *       other unknown;</li>
 *   <li>under a sequence action, the action's feature-map field is not inferred for a layer
 *       whose output has a time stride (Conv1D or 1D pooling with stride &gt; 1 on its path from
 *       the input): a shift by k steps of the input moves such maps by k/stride steps, which the
 *       action does not describe. The field is unknown there (give it per layer); global
 *       pooling over time after such layers is still trivial;</li>
 *   <li>a layer reading a network input has ρ_in = the action's feature-map field, or trivial
 *       for an input the action does not act on;</li>
 *   <li>otherwise unknown, with the reason (graph vertices without a layer, dense layers after
 *       feature maps, …).</li>
 * </ol>
 */
public final class FieldInference {

    /**
     * The field of one layer's output, or why it is unknown.
     *
     * @param field    ρ, or null when unknown
     * @param reason   why {@code field} is null (null when known)
     * @param declared true when {@code field} comes from an equivariant layer's own declaration
     *                 (directly or carried through channel-wise layers)
     */
    public record LayerField(FieldType field, String reason, boolean declared) {

        static LayerField known(FieldType field, boolean declared) {
            return new LayerField(field, null, declared);
        }

        static LayerField unknown(String reason) {
            return new LayerField(null, reason, false);
        }

        /** True when ρ is known. */
        public boolean isKnown() {
            return field != null;
        }
    }

    private final ModelProbe probe;
    private final GroupAction action;
    private final FiniteGroup group;
    private final Set<String> actedInputs;
    private final Map<String, FieldType> overrides;
    private final Map<String, LayerField> resolved = new HashMap<>();
    private final Map<String, LayerField> unstrided = new HashMap<>();

    private FieldInference(ModelProbe probe, GroupAction action, Collection<String> actedInputs,
            Map<String, FieldType> overrides) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.action = Objects.requireNonNull(action, "action");
        this.group = action.group();
        this.actedInputs = Set.copyOf(actedInputs);
        this.overrides = Map.copyOf(overrides);
        for (String layer : probe.layerNames()) {
            field(layer);
        }
    }

    /** The fields of every layer of {@code model} under {@code action} acting on every network input. */
    public static FieldInference of(Model model, GroupAction action) {
        ModelProbe probe = ModelProbe.of(model);
        return new FieldInference(probe, action, probe.networkInputs(), Map.of());
    }

    /**
     * The fields of every layer of the probed model.
     *
     * @param actedInputs the network inputs the action transforms (the others are left as they are)
     * @param overrides   user-given fields per layer key; they win over the rules
     * @throws IllegalArgumentException when an equivariant layer is fed a field another
     *                                  equivariant layer declares and that it does not accept
     */
    public static FieldInference of(ModelProbe probe, GroupAction action, Collection<String> actedInputs,
            Map<String, FieldType> overrides) {
        return new FieldInference(probe, action, actedInputs, overrides);
    }

    /** Every layer key (network order) with its field. */
    public Map<String, LayerField> all() {
        Map<String, LayerField> out = new LinkedHashMap<>();
        for (String layer : probe.layerNames()) {
            out.put(layer, field(layer));
        }
        return out;
    }

    /** The field of {@code layer} (key, name or index). */
    public LayerField field(String layer) {
        String key = probe.resolve(layer);
        LayerField f = resolved.get(key);
        if (f == null) {
            f = infer(key);
            resolved.put(key, f);
        }
        return f;
    }

    /** The rules, then the time-stride guard for fields inferred from a sequence action. */
    private LayerField infer(String key) {
        LayerField f = rules(key);
        if (f.isKnown() && !f.declared() && !overrides.containsKey(key) && action.layout().isSequence()
                && action.featureMapField().map(f.field()::equals).orElse(false)) {
            long stride = timeStride(key);
            if (stride > 1) {
                return LayerField.unknown("layer '" + key + "' has a time stride of " + stride + " from the input: a "
                        + "shift by k steps of the input moves its maps by k/" + stride + " steps, which "
                        + action.describe() + " does not describe; give fieldType(\"" + key + "\", ...)");
            }
        }
        return f;
    }

    /** The field the rules give without the time-stride guard (what global pooling over time reads). */
    private LayerField unstridedField(String key) {
        LayerField f = unstrided.get(key);
        if (f == null) {
            f = rules(key);
            unstrided.put(key, f);
        }
        return f;
    }

    /** The product of the time strides of {@code key} and the layers before it, back to the input. */
    private long timeStride(String key) {
        long stride = 1;
        for (String at = key; at != null; at = probe.inputLayerOf(at)) {
            Layer conf = probe.layerConfig(at);
            if (conf instanceof ConvolutionLayer c && c.getStride() != null && c.getStride().length > 0) {
                stride *= c.getStride()[0];
            } else if (conf instanceof SubsamplingLayer p && p.getStride() != null && p.getStride().length > 0) {
                stride *= p.getStride()[0];
            }
        }
        return stride;
    }

    private LayerField rules(String key) {
        FieldType override = overrides.get(key);
        if (override != null) {
            return LayerField.known(override, false);
        }
        Layer conf = probe.layerConfig(key);
        if (conf == null) {
            return LayerField.unknown("'" + key + "' is a graph vertex without a layer; give fieldType(\"" + key
                    + "\", ...)");
        }
        LayerField in = inputField(key);
        if (conf instanceof EquivariantLayer eq) {
            return declared(key, eq, in);
        }
        boolean channelWise = conf instanceof ActivationLayer || conf instanceof DropoutLayer
                || conf instanceof LocalResponseNormalization || conf instanceof BatchNormalization
                || conf instanceof SubsamplingLayer;
        if (channelWise && (in.isKnown() || reshapedBetweenLayers(key))) {
            return in;
        }
        boolean featureMaps = conf instanceof ConvolutionLayer || conf instanceof SubsamplingLayer
                || conf instanceof BatchNormalization || conf instanceof LocalResponseNormalization;
        if (featureMaps) {
            return action.featureMapField().map(f -> LayerField.known(f, false)).orElseGet(() -> LayerField.unknown(
                    "plain feature maps of layer '" + key + "' have no natural action of " + group.name() + " under "
                            + action.describe() + "; give fieldType(\"" + key + "\", ...)"));
        }
        if (conf instanceof GlobalPoolingLayer && !in.isKnown() && action.layout().isSequence()) {
            // ρ_in unknown only because of a time stride: pooling over all of time still forgets the shift
            String from = probe.inputLayerOf(key);
            LayerField raw = from == null || probe.inputPreProcessorOf(key) != null ? null : unstridedField(from);
            if (raw != null && raw.isKnown() && !(raw.field() instanceof FieldType.Regular)) {
                return LayerField.known(FieldType.trivial(), false);
            }
        }
        if (!in.isKnown()) {
            return LayerField.unknown("no field type known for layer '" + key + "' (" + conf.getClass().getSimpleName()
                    + "; its input: " + in.reason() + ")");
        }
        if (conf instanceof GlobalPoolingLayer) {
            if (in.field() instanceof FieldType.Regular) {
                return in;
            }
            // Pooling forgets where things are, so it is invariant to actions that only move
            // positions (rotations, mirrors, shifts, reversal); a user's action on values may not be.
            return in.field().movesPositionsOnly() ? LayerField.known(FieldType.trivial(), in.declared())
                    : LayerField.unknown("global pooling of layer '" + key + "' after " + in.field().describe()
                            + ", an action that may change values, not only positions; give fieldType(\"" + key + "\", ...)");
        }
        if (in.field().isTrivial() && (conf instanceof FeedForwardLayer || conf instanceof LossLayer
                || conf instanceof RnnLossLayer || conf instanceof ActivationLayer)) {
            return in;
        }
        boolean perTimeStep = conf instanceof BaseRecurrentLayer || conf instanceof RnnOutputLayer
                || conf instanceof RnnLossLayer;
        if (perTimeStep && action.layout().isSequence() && action.featureMapField().isPresent()
                && in.field().equals(action.featureMapField().get())) {
            return in;
        }
        String kind = conf instanceof BaseOutputLayer ? "output layer" : conf.getClass().getSimpleName();
        return LayerField.unknown("no field type known for layer '" + key + "' (" + kind + " after "
                + in.field().describe() + "); give fieldType(\"" + key + "\", ...)");
    }

    private LayerField declared(String key, EquivariantLayer eq, LayerField in) {
        FieldType expected = eq.inputField();
        if (expected != null && in.isKnown() && in.declared() && !expected.equals(in.field())) {
            throw new IllegalArgumentException("Layer '" + key + "' (" + eq.summary() + ") expects input field "
                    + expected.describe() + " but its input carries " + in.field().describe()
                    + "; the layers' groups or channel counts do not match");
        }
        FieldType out = eq.outputField();
        if (!out.isFieldOf(group)) {
            return LayerField.unknown("layer '" + key + "' declares " + out.describe() + ", not a field of "
                    + group.name() + " (the group acting on the input)");
        }
        if (expected != null && in.isKnown() && !in.declared() && !expected.equals(in.field())) {
            return LayerField.unknown("layer '" + key + "' expects input field " + expected.describe()
                    + " but receives " + in.field().describe() + " from " + action.describe());
        }
        return LayerField.known(out, true);
    }

    /** True when an input preprocessor reshapes the output of another layer before {@code key}. */
    private boolean reshapedBetweenLayers(String key) {
        return probe.inputLayerOf(key) != null && probe.inputPreProcessorOf(key) != null;
    }

    /**
     * ρ_in of a layer: the field of its single input layer or of the network input it reads. A
     * reshape between layers (an input preprocessor) keeps only a trivial field: the axes a
     * field moves are gone. Flat image input reshaped for the first layer is the action's own.
     */
    private LayerField inputField(String key) {
        String from = probe.inputLayerOf(key);
        if (from != null) {
            LayerField in = field(from);
            InputPreProcessor reshape = probe.inputPreProcessorOf(key);
            if (reshape == null || !in.isKnown() || in.field().isTrivial()) {
                return in;
            }
            return LayerField.unknown("the input of layer '" + key + "' is reshaped by "
                    + reshape.getClass().getSimpleName() + ", so " + in.field().describe() + " no longer applies");
        }
        return probe.networkInputOf(key).map(input -> actedInputs.contains(input)
                ? action.featureMapField().map(f -> LayerField.known(f, false)).orElseGet(() -> LayerField.unknown(
                        action.describe() + " gives no field for feature maps of its inputs"))
                : LayerField.known(FieldType.trivial(), false))
                .orElseGet(() -> LayerField.unknown("layer '" + key + "' has no single input layer"));
    }
}
