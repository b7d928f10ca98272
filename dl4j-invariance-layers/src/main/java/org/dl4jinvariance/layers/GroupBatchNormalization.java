package org.dl4jinvariance.layers;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jinvariance.field.EquivariantLayer;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.FiniteGroup;
import java.util.Optional;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * Batch normalization of regular fields: one mean, variance, γ and β per field, shared by its
 * |G| channels, so the layer commutes with ρ(g) (which only moves space and the group index):
 * <pre>
 *   y[f·|G| + g] = γ_f · (x[f·|G| + g] − μ_f) / √(σ²_f + ε) + β_f
 * </pre>
 * μ_f and σ²_f (biased) are taken over batch, group and space while training; inference uses
 * running estimates μ ← decay·μ + (1 − decay)·μ_batch (likewise σ²). Input [B, C·|G|, H, W] or
 * [B, C·|G|]; {@code nIn = nOut} counts fields. Like DL4J's BatchNormalization it applies no
 * activation (put an ActivationLayer after it).
 */
public class GroupBatchNormalization extends FeedForwardLayer implements EquivariantLayer, ExportsToPlain {

    /** The number of fields the user gave the builder (0 = none); transient: a loaded configuration has it already. */
    private transient long explicitNIn;
    private String groupName;
    private double eps = 1e-5;
    private double decay = 0.9;

    /** For Jackson. */
    public GroupBatchNormalization() {
    }

    protected GroupBatchNormalization(Builder b) {
        super(b);
        String kind = LayerChecks.describe("GroupBatchNormalization", b.getLayerName());
        this.groupName = LayerChecks.group(kind, b.groupName).name();
        if (b.getActivationFn() != null && !(b.getActivationFn() instanceof ActivationIdentity)) {
            throw new IllegalArgumentException(kind + " applies no activation (like DL4J's BatchNormalization), got "
                    + b.getActivationFn() + "; add an ActivationLayer after it");
        }
        this.activationFn = new ActivationIdentity();
        if (!(b.eps > 0)) {
            throw new IllegalArgumentException(kind + ": eps must be > 0, got " + b.eps);
        }
        if (!(b.decay >= 0 && b.decay < 1)) {
            throw new IllegalArgumentException(kind + ": decay must be in [0, 1), got " + b.decay);
        }
        this.eps = b.eps;
        this.decay = b.decay;
        if (nIn > 0 && nOut > 0 && nIn != nOut) {
            throw new IllegalArgumentException(kind + ": nIn (" + nIn + ") and nOut (" + nOut
                    + ") must be equal: batch normalization keeps the fields");
        }
        long fields = Math.max(nIn, nOut);
        this.nIn = fields;
        this.nOut = fields;
        initializeConstraints(b);
        this.explicitNIn = this.nIn;
    }

    /** Same as {@code new GroupBatchNormalization.Builder()}. */
    public static Builder builder() {
        return new Builder();
    }

    @JsonIgnore
    public PlanarGroup getGroup() {
        return LayerChecks.group("GroupBatchNormalization", groupName);
    }

    @Override
    public FieldType outputField() {
        return FieldType.regular(getGroup(), (int) nOut);
    }

    /** regular(G, fields): the same fields as the output; null until the field count is known. */
    @Override
    public FieldType inputField() {
        return nOut > 0 ? FieldType.regular(getGroup(), (int) nOut) : null;
    }

    @Override
    public Optional<FiniteGroup> group() {
        return Optional.of(getGroup());
    }

    /** E.g. {@code C4 gbn 16}. */
    @Override
    public String summary() {
        return groupName + " gbn " + nOut;
    }

    /**
     * A {@code BatchNormalization} over C·|G| channels with every field's γ, β, running mean and
     * variance repeated |G| times (equal in inference mode).
     */
    @Override
    public PlainEquivalent toPlain(org.deeplearning4j.nn.api.Layer runtime) {
        int order = getGroup().order();
        long channels = nOut * order;
        org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder b =
                new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().nIn(channels).nOut(channels)
                        .eps(eps).decay(decay).useLogStd(false).updater(getIUpdater());
        if (getLayerName() != null) {
            b.name(getLayerName());
        }
        // Our parameter keys are BatchNormalizationParamInitializer's (gamma, beta, mean, var).
        Map<String, INDArray> params = new java.util.LinkedHashMap<>();
        for (String key : List.of(GroupBatchNormalizationParamInitializer.GAMMA, GroupBatchNormalizationParamInitializer.BETA,
                GroupBatchNormalizationParamInitializer.GLOBAL_MEAN, GroupBatchNormalizationParamInitializer.GLOBAL_VAR)) {
            params.put(key, repeat(runtime.getParam(key), order));
        }
        return PlainEquivalent.of(b.build(), params);
    }

    /** v[f] → [v[0] ×|G|, v[1] ×|G|, …] as a row vector [1, C·|G|]. */
    private static INDArray repeat(INDArray perField, int order) {
        long fields = perField.length();
        return perField.reshape(fields, 1).repeat(1, order).reshape('c', 1, fields * order);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        if (nOut < 1) {
            throw new IllegalArgumentException(LayerChecks.describe("GroupBatchNormalization", getLayerName())
                    + " (layer " + layerIndex + "): the number of fields is not set; give .nOut(...) or use setInputType(...)");
        }
        GroupBatchNormalizationLayer layer = new GroupBatchNormalizationLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return GroupBatchNormalizationParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        String kind = LayerChecks.describe("GroupBatchNormalization", getLayerName());
        if (inputType instanceof InputType.InputTypeFeedForward ff) {
            LayerChecks.regularFields(kind, getGroup(), ff.getSize());
            return inputType;
        }
        LayerChecks.regularFields(kind, getGroup(), LayerChecks.convolutional(kind, inputType).getChannels());
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        String kind = LayerChecks.describe("GroupBatchNormalization", getLayerName());
        long channels = inputType instanceof InputType.InputTypeFeedForward ff ? ff.getSize()
                : LayerChecks.convolutional(kind, inputType).getChannels();
        long fields = LayerChecks.regularFields(kind, getGroup(), channels);
        if (explicitNIn > 0 && explicitNIn != fields) {
            // An explicit field count that the input contradicts is a mistake, not something to replace silently.
            throw new IllegalArgumentException(kind + ": nIn = " + explicitNIn + " fields was given but the input has "
                    + fields + " fields of " + groupName);
        }
        if (nIn <= 0 || override) {
            nIn = fields;
            nOut = fields;
        } else if (nIn != fields) {
            throw new IllegalArgumentException(kind + ": nIn = " + nIn + " fields but the input has " + fields
                    + " fields of " + groupName);
        }
        FieldInputType.requireField(inputType, inputField(), kind);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        if (inputType instanceof InputType.InputTypeConvolutionalFlat) {
            return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
        }
        return null;
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return null;
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return GroupBatchNormalizationParamInitializer.isRunningStatistic(paramName) ? new NoOp() : iUpdater;
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, GroupBatchNormalization.class, inputType, inputType)
                .standardMemory(params, iUpdater == null ? 0 : iUpdater.stateSize(2 * nOut))
                .workingMemory(0, 2 * inputType.arrayElementsPerExample(), 4 * nOut,
                        4 * inputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public GroupBatchNormalization clone() {
        return (GroupBatchNormalization) super.clone();
    }

    public String getGroupName() {
        return groupName;
    }

    public void setGroupName(String groupName) {
        this.groupName = groupName;
    }

    public double getEps() {
        return eps;
    }

    public void setEps(double eps) {
        this.eps = eps;
    }

    public double getDecay() {
        return decay;
    }

    public void setDecay(double decay) {
        this.decay = decay;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupBatchNormalization other && super.equals(o)
                && Objects.equals(groupName, other.groupName) && eps == other.eps && decay == other.decay;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), groupName, eps, decay);
    }

    @Override
    public String toString() {
        return "GroupBatchNormalization(name=" + getLayerName() + ", group=" + groupName + ", fields=" + nOut
                + ", eps=" + eps + ", decay=" + decay + ")";
    }

    /** DL4J-style builder: {@code .group(...)}, {@code .nOut(fields)} (or from the InputType), eps, decay. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private String groupName;
        private double eps = 1e-5;
        private double decay = 0.9;

        public Builder group(PlanarGroup group) {
            this.groupName = Objects.requireNonNull(group, "group").name();
            return this;
        }

        public Builder group(String name) {
            this.groupName = Groups.byName(name).name();
            return this;
        }

        /** ε added to the variance; default 1e-5. */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** Running-average decay of the inference statistics; default 0.9. */
        public Builder decay(double decay) {
            this.decay = decay;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public GroupBatchNormalization build() {
            return new GroupBatchNormalization(this);
        }
    }
}
