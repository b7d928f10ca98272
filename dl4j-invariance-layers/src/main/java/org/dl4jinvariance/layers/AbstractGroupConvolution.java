package org.dl4jinvariance.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.dl4jinvariance.field.EquivariantLayer;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.FiniteGroup;
import java.util.Optional;
import org.dl4jinvariance.group.PlanarGroup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configuration shared by {@link LiftingConvolution} and {@link GroupConvolution}: a convolution
 * whose filters are the {@link FilterExpansion} of base filters, run by DL4J's own
 * {@code ConvolutionLayer} implementation (see {@link ExpandedConvolutionLayer}).
 *
 * <p>{@code nIn} and {@code nOut} count fields: the layer reads {@code nIn·|H|} channels
 * (|H| = 1 for lifting, |G| for group input) and writes {@code nOut·|G|} channels, channel
 * {@code f·|G| + g} holding field f at group element g ({@link FieldType#regular}).
 */
public abstract class AbstractGroupConvolution extends FeedForwardLayer implements EquivariantLayer, ExportsToPlain {

    private static final Logger log = LoggerFactory.getLogger(AbstractGroupConvolution.class);

    protected String groupName;
    protected int[] kernelSize = {5, 5};
    protected int[] stride = {1, 1};
    protected int[] padding = {0, 0};
    protected int[] dilation = {1, 1};
    protected ConvolutionMode convolutionMode = ConvolutionMode.Truncate;
    protected boolean hasBias = true;
    /** Input height and width recorded from the InputType (0 when unknown); used by the exactness check. */
    protected long inputHeight;
    protected long inputWidth;

    private transient boolean exactnessLogged;
    /** The nIn the user gave the builder (0 = none); transient: a loaded configuration has its nIn already. */
    private transient long explicitNIn;

    protected AbstractGroupConvolution() {
    }

    protected AbstractGroupConvolution(ConvBuilder<?> b) {
        super(b);
        String kind = LayerChecks.describe(getClass().getSimpleName(), b.getLayerName());
        PlanarGroup group = LayerChecks.group(kind, b.groupName);
        this.groupName = group.name();
        this.kernelSize = LayerChecks.pair(kind, "kernelSize", b.kernelSize, 1);
        this.stride = LayerChecks.pair(kind, "stride", b.stride, 1);
        this.padding = LayerChecks.pair(kind, "padding", b.padding, 0);
        this.dilation = LayerChecks.pair(kind, "dilation", b.dilation, 1);
        this.convolutionMode = b.convolutionMode == null ? ConvolutionMode.Truncate : b.convolutionMode;
        this.hasBias = b.hasBias;
        if (kernelSize[0] != kernelSize[1]) {
            throw new IllegalArgumentException(kind + ": kernelSize must be square for rotations, got "
                    + Arrays.toString(kernelSize));
        }
        if (kernelSize[0] % 2 == 0 && group.isGridExact()) {
            throw new IllegalArgumentException(kind + ": kernelSize " + kernelSize[0] + " is even; " + group.name()
                    + " is exact only with an odd kernel (a centre pixel to rotate about), use "
                    + (kernelSize[0] - 1) + " or " + (kernelSize[0] + 1));
        }
        if (convolutionMode == ConvolutionMode.Causal) {
            throw new IllegalArgumentException(kind + ": ConvolutionMode.Causal is for 1D convolutions only");
        }
        if (nOut < 1) {
            throw new IllegalArgumentException(kind + ": nOut (output fields) must be >= 1, got " + nOut);
        }
        if (nIn < 0) {
            throw new IllegalArgumentException(kind + ": nIn must be >= 0 (0 = from the InputType), got " + nIn);
        }
        ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
        initializeConstraints(b);
        this.explicitNIn = nIn;
    }

    /** |H|: 1 when the input is plain channels (lifting), |G| when it is regular fields. */
    public abstract int inputGroupOrder();

    /** The group of the output fields. */
    @JsonIgnore
    public PlanarGroup getGroup() {
        return LayerChecks.group(getClass().getSimpleName(), groupName);
    }

    /** Output channels nOut·|G|. */
    public long outputChannels() {
        return nOut * getGroup().order();
    }

    /** Input channels nIn·|H|. */
    public long inputChannels() {
        return nIn * inputGroupOrder();
    }

    @Override
    public FieldType outputField() {
        return FieldType.regular(getGroup(), (int) nOut);
    }

    @Override
    public Optional<FiniteGroup> group() {
        return Optional.of(getGroup());
    }

    @Override
    public boolean readsInputOnly() {
        return true;
    }

    /** [C·|H|, H, W] when the configuration was built with an input type. */
    @Override
    public Optional<long[]> recordedInputShape() {
        return inputHeight > 0 && inputWidth > 0 && nIn > 0
                ? Optional.of(new long[] {inputChannels(), inputHeight, inputWidth}) : Optional.empty();
    }

    /** E.g. {@code C4 gconv 16 3×3}. */
    @Override
    public String summary() {
        return groupName + " " + kindName() + " " + nOut + " " + kernelSize[0] + "×" + kernelSize[1];
    }

    /** {@code lift} or {@code gconv}, for summaries. */
    abstract String kindName();

    /** The expanded convolution with the expanded filters and bias of {@code runtime}. */
    @Override
    public PlainEquivalent toPlain(org.deeplearning4j.nn.api.Layer runtime) {
        Map<String, INDArray> params = new java.util.LinkedHashMap<>();
        INDArray weights = runtime.getParam(GroupConvolutionParamInitializer.WEIGHT_KEY);
        FilterExpansion expansion = filterExpansion(weights.dataType());
        if (hasBias) {
            params.put(org.deeplearning4j.nn.params.ConvolutionParamInitializer.BIAS_KEY,
                    expansion.expandedBias(runtime.getParam(GroupConvolutionParamInitializer.BIAS_KEY)));
        }
        params.put(org.deeplearning4j.nn.params.ConvolutionParamInitializer.WEIGHT_KEY, expansion.expanded(weights));
        return PlainEquivalent.of(toExpandedConvolution(), params);
    }

    /**
     * False when the configuration breaks exact equivariance on a square grid: an interpolated
     * group (not a multiple of 90°), an even kernel, or a stride whose sampling grid is not
     * symmetric on the recorded input size (or an unknown input size). Logged once per layer.
     */
    @Override
    @JsonIgnore
    public boolean isExactlyEquivariant() {
        List<String> problems = exactnessProblems();
        if (!problems.isEmpty() && !exactnessLogged) {
            exactnessLogged = true;
            log.warn("{} is not exactly {}-equivariant: {}", LayerChecks.describe(getClass().getSimpleName(),
                    getLayerName()), groupName, String.join("; ", problems));
        }
        return problems.isEmpty();
    }

    /** Reasons why the layer is not exactly equivariant; empty when it is. */
    public List<String> exactnessProblems() {
        List<String> problems = new ArrayList<>();
        PlanarGroup group = getGroup();
        if (!group.isGridExact()) {
            problems.add(group.name() + " rotates filters by non-multiples of 90° (bilinear interpolation)");
        }
        if (kernelSize[0] % 2 == 0) {
            problems.add("even kernel " + kernelSize[0]);
        }
        if (stride[0] > 1 || stride[1] > 1) {
            if (inputHeight <= 0 || inputWidth <= 0) {
                problems.add("stride " + Arrays.toString(stride) + " on an unknown input size (use setInputType)");
            } else if (!symmetricSampling(inputHeight, 0) || !symmetricSampling(inputWidth, 1)) {
                problems.add("stride " + Arrays.toString(stride) + " samples a " + inputHeight + "x" + inputWidth
                        + " input asymmetrically");
            }
        }
        return problems;
    }

    /** True when the kernel centres of one axis lie symmetrically about the input centre. */
    private boolean symmetricSampling(long size, int axis) {
        int k = (kernelSize[axis] - 1) * dilation[axis] + 1;
        int s = stride[axis];
        long out;
        long padBefore;
        if (convolutionMode == ConvolutionMode.Same) {
            out = (size + s - 1) / s;
            padBefore = Math.max(0, ((out - 1) * s + k - size) / 2);
        } else {
            padBefore = padding[axis];
            out = (size + 2L * padding[axis] - k) / s + 1;
        }
        long first = -padBefore + (k - 1) / 2;
        long last = first + (out - 1) * s;
        return first + last == size - 1;
    }

    /**
     * The plain DL4J convolution that runs this layer: nIn·|H| → nOut·|G| channels, same kernel,
     * stride, padding, dilation, mode, activation, bias and dropout. Its weights are the expanded
     * filters; {@link EquivariantExport} bakes them into exactly this configuration.
     */
    public ConvolutionLayer toExpandedConvolution() {
        ConvolutionLayer.Builder b = new ConvolutionLayer.Builder()
                .nIn(inputChannels())
                .nOut(outputChannels())
                .kernelSize(kernelSize.clone())
                .stride(stride.clone())
                .padding(padding.clone())
                .dilation(dilation.clone())
                .convolutionMode(convolutionMode)
                .hasBias(hasBias)
                .dataFormat(CNN2DFormat.NCHW)
                .activation(activationFn)
                .biasInit(biasInit)
                .updater(iUpdater);
        if (getLayerName() != null) {
            b.name(getLayerName());
        }
        ConvolutionLayer conv = b.build();
        conv.setIDropout(iDropout);
        conv.setWeightInitFn(weightInitFn);
        conv.setRegularization(regularization);
        conv.setRegularizationBias(regularizationBias);
        return conv;
    }

    /** The filter expansion of this configuration for a data type. */
    public FilterExpansion filterExpansion(DataType dataType) {
        return new FilterExpansion(getGroup(), kernelSize[0], inputGroupOrder(), nOut, nIn, dataType);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        String kind = LayerChecks.describe(getClass().getSimpleName(), getLayerName());
        if (nIn < 1) {
            throw new IllegalArgumentException(kind + " (layer " + layerIndex
                    + "): nIn is not set; give .nIn(...) or build the network with setInputType(...)");
        }
        isExactlyEquivariant();
        ExpandedConvolutionLayer layer = new ExpandedConvolutionLayer(conf, networkDataType);
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
        return GroupConvolutionParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        String kind = LayerChecks.describe(getClass().getSimpleName(), getLayerName());
        LayerChecks.convolutional(kind, inputType);
        return FieldInputType.carrying(InputTypeUtil.getOutputTypeCnnLayers(inputType, kernelSize, stride, padding,
                dilation, convolutionMode, outputChannels(), layerIndex, getLayerName(), CNN2DFormat.NCHW,
                ConvolutionLayer.class), outputField());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        String kind = LayerChecks.describe(getClass().getSimpleName(), getLayerName());
        InputType.InputTypeConvolutional c = LayerChecks.convolutional(kind, inputType);
        long fields = inputGroupOrder() == 1 ? c.getChannels()
                : LayerChecks.regularFields(kind, getGroup(), c.getChannels());
        if (explicitNIn > 0 && explicitNIn != fields) {
            // DL4J's own layers let the InputType silently replace an explicit nIn; a wrong nIn
            // given on purpose is a mistake worth stopping for.
            throw new IllegalArgumentException(kind + ": nIn = " + explicitNIn + (inputGroupOrder() == 1 ? " channels" : " fields")
                    + " was given but the input has " + c.getChannels() + " channels (" + fields
                    + (inputGroupOrder() == 1 ? " channels)" : " fields of " + getGroup().name() + ")"));
        }
        if (nIn <= 0 || override) {
            nIn = fields;
        } else if (nIn != fields) {
            throw new IllegalArgumentException(kind + ": nIn = " + nIn + (inputGroupOrder() == 1 ? " channels" : " fields")
                    + " but the input has " + c.getChannels() + " channels (" + fields
                    + (inputGroupOrder() == 1 ? " channels)" : " fields of " + getGroup().name() + ")"));
        }
        inputHeight = c.getHeight();
        inputWidth = c.getWidth();
        FieldInputType.requireField(inputType, inputField(), kind);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return toExpandedConvolution().getMemoryReport(inputType);
    }

    @Override
    public AbstractGroupConvolution clone() {
        AbstractGroupConvolution clone = (AbstractGroupConvolution) super.clone();
        clone.kernelSize = kernelSize.clone();
        clone.stride = stride.clone();
        clone.padding = padding.clone();
        clone.dilation = dilation.clone();
        return clone;
    }

    // Bean accessors: DL4J serializes layer configurations with Jackson through getters and setters.

    public String getGroupName() {
        return groupName;
    }

    public void setGroupName(String groupName) {
        this.groupName = groupName;
    }

    public int[] getKernelSize() {
        return kernelSize;
    }

    public void setKernelSize(int[] kernelSize) {
        this.kernelSize = kernelSize;
    }

    public int[] getStride() {
        return stride;
    }

    public void setStride(int[] stride) {
        this.stride = stride;
    }

    public int[] getPadding() {
        return padding;
    }

    public void setPadding(int[] padding) {
        this.padding = padding;
    }

    public int[] getDilation() {
        return dilation;
    }

    public void setDilation(int[] dilation) {
        this.dilation = dilation;
    }

    public ConvolutionMode getConvolutionMode() {
        return convolutionMode;
    }

    public void setConvolutionMode(ConvolutionMode convolutionMode) {
        this.convolutionMode = convolutionMode;
    }

    public boolean isHasBias() {
        return hasBias;
    }

    public void setHasBias(boolean hasBias) {
        this.hasBias = hasBias;
    }

    public boolean hasBias() {
        return hasBias;
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

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AbstractGroupConvolution other) || o.getClass() != getClass() || !super.equals(o)) {
            return false;
        }
        return Objects.equals(groupName, other.groupName) && Arrays.equals(kernelSize, other.kernelSize)
                && Arrays.equals(stride, other.stride) && Arrays.equals(padding, other.padding)
                && Arrays.equals(dilation, other.dilation) && convolutionMode == other.convolutionMode
                && hasBias == other.hasBias && inputHeight == other.inputHeight && inputWidth == other.inputWidth;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), groupName, Arrays.hashCode(kernelSize), Arrays.hashCode(stride),
                Arrays.hashCode(padding), Arrays.hashCode(dilation), convolutionMode, hasBias);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(name=" + getLayerName() + ", group=" + groupName + ", nIn=" + nIn
                + ", nOut=" + nOut + ", kernel=" + Arrays.toString(kernelSize) + ", stride=" + Arrays.toString(stride)
                + ", padding=" + Arrays.toString(padding) + ", dilation=" + Arrays.toString(dilation)
                + ", mode=" + convolutionMode + ", bias=" + hasBias + ", activation=" + activationFn + ")";
    }

    /**
     * Builder options shared by the group convolutions, named as in DL4J's ConvolutionLayer
     * builder.
     */
    @SuppressWarnings("unchecked")
    public abstract static class ConvBuilder<T extends ConvBuilder<T>> extends FeedForwardLayer.Builder<T> {
        protected String groupName;
        protected int[] kernelSize = {5, 5};
        protected int[] stride = {1, 1};
        protected int[] padding = {0, 0};
        protected int[] dilation = {1, 1};
        protected ConvolutionMode convolutionMode;
        protected boolean hasBias = true;

        /** The group: C_N or D_N. */
        public T group(PlanarGroup group) {
            this.groupName = Objects.requireNonNull(group, "group").name();
            return (T) this;
        }

        /** The group by name, {@code "C4"}, {@code "D4"}, {@code "C8"}…; unknown names fail here. */
        public T group(String name) {
            this.groupName = org.dl4jinvariance.group.Groups.byName(name).name();
            return (T) this;
        }

        /** Kernel size (square; odd for exact groups). */
        public T kernelSize(int... kernelSize) {
            this.kernelSize = kernelSize;
            return (T) this;
        }

        public T stride(int... stride) {
            this.stride = stride;
            return (T) this;
        }

        public T padding(int... padding) {
            this.padding = padding;
            return (T) this;
        }

        public T dilation(int... dilation) {
            this.dilation = dilation;
            return (T) this;
        }

        public T convolutionMode(ConvolutionMode convolutionMode) {
            this.convolutionMode = convolutionMode;
            return (T) this;
        }

        /** Whether to learn one bias per output field (shared by its |G| channels); default true. */
        public T hasBias(boolean hasBias) {
            this.hasBias = hasBias;
            return (T) this;
        }
    }
}
