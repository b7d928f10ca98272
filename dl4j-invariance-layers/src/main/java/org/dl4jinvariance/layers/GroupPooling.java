package org.dl4jinvariance.layers;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jinvariance.field.EquivariantLayer;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.FiniteGroup;
import java.util.Optional;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * Group pooling: regular fields → invariant channels, by max or mean over each field's |G|
 * channels:
 * <pre>
 *   MAX:  y[f] = max_g x[f·|G| + g]        MEAN: y[f] = (1/|G|) Σ_g x[f·|G| + g]
 * </pre>
 * Transforming the input by ρ(u) only permutes the g index, so y transforms by the spatial
 * action alone: NCHW input [B, C·|G|, H, W] → [B, C, H, W] with {@code FieldType.spatial(group)};
 * feed-forward input [B, C·|G|] (after global pooling) → [B, C], invariant
 * ({@code FieldType.trivial()}).
 */
public class GroupPooling extends NoParamLayer implements EquivariantLayer, ExportsToPlain {

    /** The reduction over the group axis. */
    public enum Mode {
        MAX, MEAN;

        /** {@code "max"} or {@code "mean"} (case-insensitive). */
        public static Mode of(String name) {
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(Objects.requireNonNull(name, "mode").trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("Unknown group pooling mode '" + name + "': expected max or mean");
        }
    }

    /** The number of fields the user gave the builder (0 = none); transient: a loaded configuration has it already. */
    private transient long explicitNIn;
    private String groupName;
    private Mode mode = Mode.MAX;
    /** Input fields (0 = unknown until setInputType or the first forward pass). */
    private long nIn;
    /** Input height/width recorded from the InputType; 0 for feed-forward input or unknown. */
    private long inputHeight;
    private long inputWidth;
    private boolean flatInput;

    /** For Jackson. */
    public GroupPooling() {
    }

    protected GroupPooling(Builder b) {
        super(b);
        String kind = LayerChecks.describe("GroupPooling", b.getLayerName());
        this.groupName = LayerChecks.group(kind, b.groupName).name();
        this.mode = Objects.requireNonNull(b.mode, "mode");
        if (b.nIn < 0) {
            throw new IllegalArgumentException(kind + ": nIn (fields) must be >= 0, got " + b.nIn);
        }
        this.nIn = b.nIn;
        this.explicitNIn = this.nIn;
        initializeConstraints(b);
    }

    /** Same as {@code new GroupPooling.Builder()}. */
    public static Builder builder() {
        return new Builder();
    }

    @JsonIgnore
    public PlanarGroup getGroup() {
        return LayerChecks.group("GroupPooling", groupName);
    }

    @Override
    public FieldType outputField() {
        return flatInput ? FieldType.trivial() : FieldType.spatial(getGroup());
    }

    /** regular(G, nIn); null until the number of fields is known. */
    @Override
    public FieldType inputField() {
        return nIn > 0 ? FieldType.regular(getGroup(), (int) nIn) : null;
    }

    @Override
    public Optional<FiniteGroup> group() {
        return Optional.of(getGroup());
    }

    /** E.g. {@code gpool max}. */
    @Override
    public String summary() {
        return "gpool " + mode.name().toLowerCase(Locale.ROOT);
    }

    /**
     * A {@code SubsamplingLayer} with kernel [|G|, 1] and stride [|G|, 1] (max or average) on the
     * input reshaped from [B, C·|G|, H, W] to [B, 1, C·|G|, H·W], reshaped back to [B, C, H, W]
     * after it (flat inputs [B, C·|G|] likewise through [B, 1, C·|G|, 1]).
     */
    @Override
    public PlainEquivalent toPlain(org.deeplearning4j.nn.api.Layer runtime) {
        int order = getGroup().order();
        if (nIn < 1) {
            throw new IllegalArgumentException("GroupPooling '" + getLayerName()
                    + "' cannot be exported: its input size is unknown; build the configuration with setInputType(...)");
        }
        long channels = nIn * order;
        SubsamplingLayer.Builder b = new SubsamplingLayer.Builder(mode == Mode.MAX ? PoolingType.MAX : PoolingType.AVG,
                new int[] {order, 1}, new int[] {order, 1}, new int[] {0, 0}).convolutionMode(ConvolutionMode.Truncate);
        if (getLayerName() != null) {
            b.name(getLayerName());
        }
        SubsamplingLayer pooling = b.build();
        if (flatInput) {
            return new PlainEquivalent(pooling, Map.of(), new FeedForwardToCnnPreProcessor(channels, 1, 1),
                    new CnnToFeedForwardPreProcessor(nIn, 1, 1));
        }
        long h = inputHeight;
        long w = inputWidth;
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("GroupPooling '" + getLayerName()
                    + "' cannot be exported: its input height/width are unknown; build the configuration with setInputType(...)");
        }
        InputPreProcessor before = new ComposableInputPreProcessor(new CnnToFeedForwardPreProcessor(h, w, channels),
                new FeedForwardToCnnPreProcessor(channels, h * w, 1));
        InputPreProcessor after = new ComposableInputPreProcessor(new CnnToFeedForwardPreProcessor(nIn, h * w, 1),
                new FeedForwardToCnnPreProcessor(h, w, nIn));
        return new PlainEquivalent(pooling, Map.of(), before, after);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        GroupPoolingLayer layer = new GroupPoolingLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        String kind = LayerChecks.describe("GroupPooling", getLayerName());
        if (inputType instanceof InputType.InputTypeFeedForward ff) {
            return InputType.feedForward(LayerChecks.regularFields(kind, getGroup(), ff.getSize()));
        }
        InputType.InputTypeConvolutional c = LayerChecks.convolutional(kind, inputType);
        return InputType.convolutional(c.getHeight(), c.getWidth(),
                LayerChecks.regularFields(kind, getGroup(), c.getChannels()), CNN2DFormat.NCHW);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        String kind = LayerChecks.describe("GroupPooling", getLayerName());
        long fields;
        if (inputType instanceof InputType.InputTypeFeedForward ff) {
            fields = LayerChecks.regularFields(kind, getGroup(), ff.getSize());
            flatInput = true;
            inputHeight = 0;
            inputWidth = 0;
        } else {
            InputType.InputTypeConvolutional c = LayerChecks.convolutional(kind, inputType);
            fields = LayerChecks.regularFields(kind, getGroup(), c.getChannels());
            flatInput = false;
            inputHeight = c.getHeight();
            inputWidth = c.getWidth();
        }
        if (explicitNIn > 0 && explicitNIn != fields) {
            // An explicit field count that the input contradicts is a mistake, not something to replace silently.
            throw new IllegalArgumentException(kind + ": nIn = " + explicitNIn + " fields was given but the input has "
                    + fields + " fields of " + groupName);
        }
        if (nIn <= 0 || override) {
            nIn = fields;
        } else if (nIn != fields) {
            throw new IllegalArgumentException(kind + ": nIn = " + nIn + " fields but the input has " + fields
                    + " fields of " + groupName);
        }
        FieldInputType.requireField(inputType, inputField(), kind);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        if (inputType instanceof InputType.InputTypeFeedForward) {
            return null;
        }
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        return new LayerMemoryReport.Builder(layerName, GroupPooling.class, inputType, out)
                .standardMemory(0, 0)
                .workingMemory(0, inputType.arrayElementsPerExample(), 0, 2 * inputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public GroupPooling clone() {
        return (GroupPooling) super.clone();
    }

    public String getGroupName() {
        return groupName;
    }

    public void setGroupName(String groupName) {
        this.groupName = groupName;
    }

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public long getNIn() {
        return nIn;
    }

    public void setNIn(long nIn) {
        this.nIn = nIn;
    }

    public long getInputHeight() {
        return inputHeight;
    }

    public void setInputHeight(long inputHeight) {
        this.inputHeight = inputHeight;
    }

    public long getInputWidth() {
        return inputWidth;
    }

    public void setInputWidth(long inputWidth) {
        this.inputWidth = inputWidth;
    }

    public boolean isFlatInput() {
        return flatInput;
    }

    public void setFlatInput(boolean flatInput) {
        this.flatInput = flatInput;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupPooling p && Objects.equals(layerName, p.layerName)
                && Objects.equals(groupName, p.groupName) && mode == p.mode && nIn == p.nIn
                && inputHeight == p.inputHeight && inputWidth == p.inputWidth && flatInput == p.flatInput
                && Objects.equals(iDropout, p.iDropout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(layerName, groupName, mode, nIn, inputHeight, inputWidth, flatInput);
    }

    @Override
    public String toString() {
        return "GroupPooling(name=" + layerName + ", group=" + groupName + ", mode="
                + mode.name().toLowerCase(Locale.ROOT) + ", nIn=" + nIn + ")";
    }

    /** DL4J-style builder: {@code .group(...)}, {@code .mode(...)}, optional {@code .nIn(fields)}. */
    public static class Builder extends org.deeplearning4j.nn.conf.layers.Layer.Builder<Builder> {
        private String groupName;
        private Mode mode = Mode.MAX;
        private long nIn;

        public Builder group(PlanarGroup group) {
            this.groupName = Objects.requireNonNull(group, "group").name();
            return this;
        }

        public Builder group(String name) {
            this.groupName = Groups.byName(name).name();
            return this;
        }

        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** {@code "max"} or {@code "mean"}. */
        public Builder mode(String mode) {
            return mode(Mode.of(mode));
        }

        /** Input fields (optional; inferred from the InputType). */
        public Builder nIn(int fields) {
            this.nIn = fields;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public GroupPooling build() {
            return new GroupPooling(this);
        }
    }
}
