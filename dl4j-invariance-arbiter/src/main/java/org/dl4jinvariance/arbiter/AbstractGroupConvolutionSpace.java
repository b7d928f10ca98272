package org.dl4jinvariance.arbiter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.arbiter.layers.FeedForwardLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.util.LeafUtils;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.layers.AbstractGroupConvolution;

/**
 * What {@link LiftingConvolutionSpace} and {@link GroupConvolutionSpace} share: a convolution
 * layer space whose group is itself searched. For a group value G the space yields the
 * equivariant layer with {@code nOut = widthScaling.fields(w, |G|)} fields; for
 * {@link GroupSpace#PLAIN} it yields DL4J's own {@code ConvolutionLayer} with w channels and the
 * same kernel, stride, padding, mode, bias, activation, initialization and updater.
 *
 * <p>{@code nOut} is the searched width w (see {@link WidthScaling}); the kernel is square,
 * searched as one size. Leave {@code nIn} unset and give the network an input type: the number of
 * input channels or fields differs between groups and DL4J infers it.
 */
public abstract class AbstractGroupConvolutionSpace extends FeedForwardLayerSpace<FeedForwardLayer> {

    protected GroupSpace group;
    protected WidthScaling widthScaling = WidthScaling.FIELDS;
    protected ParameterSpace<Integer> kernelSize;
    protected ParameterSpace<Integer> stride;
    protected ParameterSpace<Integer> padding;
    protected ParameterSpace<ConvolutionMode> convolutionMode;
    protected ParameterSpace<Boolean> hasBias;
    protected String layerName;

    /** For Jackson. */
    protected AbstractGroupConvolutionSpace() {
    }

    protected AbstractGroupConvolutionSpace(Builder<?> b) {
        super(b);
        String kind = getClass().getSimpleName() + (b.layerName == null ? "" : " '" + b.layerName + "'");
        if (b.group == null) {
            throw new IllegalArgumentException(kind + " needs a group space: .group(GroupSpace.of(\"plain\", \"C4\", \"D4\")) "
                    + "or .group(\"C4\")");
        }
        if (nOut == null) {
            throw new IllegalArgumentException(kind + " needs a width: .nOut(16) or .nOut(new DiscreteParameterSpace<>(8, 16))");
        }
        if (b.widthScaling == null) {
            throw new IllegalArgumentException(kind + ": widthScaling must not be null");
        }
        this.group = b.group;
        this.widthScaling = b.widthScaling;
        this.kernelSize = b.kernelSize;
        this.stride = b.stride;
        this.padding = b.padding;
        this.convolutionMode = b.convolutionMode;
        this.hasBias = b.hasBias;
        this.layerName = b.layerName;
        this.numParameters = LeafUtils.countUniqueParameters(collectLeaves());
    }

    /** A fresh builder of the equivariant layer this space makes for a group. */
    protected abstract AbstractGroupConvolution.ConvBuilder<?> equivariantBuilder();

    @Override
    public FeedForwardLayer getValue(double[] values) {
        String g = group.getValue(values);
        int width = nOut.getValue(values);
        if (GroupSpace.isPlain(g)) {
            ConvolutionLayer.Builder b = new ConvolutionLayer.Builder();
            setLayerOptionsBuilder(b, values);
            b.nOut(width);
            if (kernelSize != null) {
                int k = kernelSize.getValue(values);
                b.kernelSize(k, k);
            }
            if (stride != null) {
                int s = stride.getValue(values);
                b.stride(s, s);
            }
            if (padding != null) {
                int p = padding.getValue(values);
                b.padding(p, p);
            }
            if (convolutionMode != null) {
                b.convolutionMode(convolutionMode.getValue(values));
            }
            if (hasBias != null) {
                b.hasBias(hasBias.getValue(values));
            }
            if (layerName != null) {
                b.name(layerName);
            }
            return b.build();
        }
        AbstractGroupConvolution.ConvBuilder<?> b = equivariantBuilder();
        setLayerOptionsBuilder(b, values);
        b.group(g);
        b.nOut(widthScaling.fields(width, Groups.byName(g).order()));
        if (kernelSize != null) {
            b.kernelSize(kernelSize.getValue(values));
        }
        if (stride != null) {
            b.stride(stride.getValue(values));
        }
        if (padding != null) {
            b.padding(padding.getValue(values));
        }
        if (convolutionMode != null) {
            b.convolutionMode(convolutionMode.getValue(values));
        }
        if (hasBias != null) {
            b.hasBias(hasBias.getValue(values));
        }
        if (layerName != null) {
            b.name(layerName);
        }
        return b.build();
    }

    public GroupSpace getGroup() {
        return group;
    }

    public WidthScaling getWidthScaling() {
        return widthScaling;
    }

    public String getLayerName() {
        return layerName;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass() || !super.equals(o)) {
            return false;
        }
        AbstractGroupConvolutionSpace s = (AbstractGroupConvolutionSpace) o;
        return Objects.equals(group, s.group) && widthScaling == s.widthScaling && Objects.equals(kernelSize, s.kernelSize)
                && Objects.equals(stride, s.stride) && Objects.equals(padding, s.padding)
                && Objects.equals(convolutionMode, s.convolutionMode) && Objects.equals(hasBias, s.hasBias)
                && Objects.equals(layerName, s.layerName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), group, widthScaling, kernelSize, stride, padding, convolutionMode, hasBias,
                layerName);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + (layerName == null ? "" : "name: " + layerName + ", ") + "group: " + group
                + ", width: " + nOut + " (" + widthScaling + ")" + (kernelSize == null ? "" : ", kernelSize: " + kernelSize)
                + (stride == null ? "" : ", stride: " + stride) + (padding == null ? "" : ", padding: " + padding)
                + (convolutionMode == null ? "" : ", convolutionMode: " + convolutionMode) + ", " + super.toString() + ")";
    }

    /** One value fixed, several a uniform choice. */
    static ParameterSpace<Integer> choice(String what, int... values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException(what + " needs at least one value, got none");
        }
        if (values.length == 1) {
            return new FixedValue<>(values[0]);
        }
        List<Integer> list = new ArrayList<>();
        for (int v : values) {
            list.add(v);
        }
        return new DiscreteParameterSpace<>(list);
    }

    /**
     * Builder options shared by the two convolution spaces, named as in Arbiter's
     * {@code ConvolutionLayerSpace} and the layers' own builders; activation, weight init,
     * updater, l2, dropout, ... come from Arbiter's {@code FeedForwardLayerSpace.Builder}.
     */
    @SuppressWarnings("unchecked")
    public abstract static class Builder<T extends Builder<T>> extends FeedForwardLayerSpace.Builder<T> {
        protected GroupSpace group;
        protected WidthScaling widthScaling = WidthScaling.FIELDS;
        protected ParameterSpace<Integer> kernelSize;
        protected ParameterSpace<Integer> stride;
        protected ParameterSpace<Integer> padding;
        protected ParameterSpace<ConvolutionMode> convolutionMode;
        protected ParameterSpace<Boolean> hasBias;
        protected String layerName;

        /** The group space; share one instance between the layers of a network. */
        public T group(GroupSpace group) {
            this.group = group;
            return (T) this;
        }

        /** One fixed group, or a choice: {@code .group("plain", "C4", "D4")} (a new space each call: not shared). */
        public T group(String... names) {
            return group(GroupSpace.of(names));
        }

        /** How the width nOut becomes a number of fields (default {@link WidthScaling#FIELDS}). */
        public T widthScaling(WidthScaling scaling) {
            this.widthScaling = scaling;
            return (T) this;
        }

        /** Square kernel sizes: one value is fixed, several are a uniform choice (odd sizes for exact C4/D4). */
        public T kernelSize(int... sizes) {
            return kernelSize(choice("kernelSize", sizes));
        }

        public T kernelSize(ParameterSpace<Integer> size) {
            this.kernelSize = size;
            return (T) this;
        }

        public T stride(int stride) {
            return stride(new FixedValue<>(stride));
        }

        public T stride(ParameterSpace<Integer> stride) {
            this.stride = stride;
            return (T) this;
        }

        public T padding(int padding) {
            return padding(new FixedValue<>(padding));
        }

        public T padding(ParameterSpace<Integer> padding) {
            this.padding = padding;
            return (T) this;
        }

        public T convolutionMode(ConvolutionMode mode) {
            return convolutionMode(new FixedValue<>(mode));
        }

        public T convolutionMode(ParameterSpace<ConvolutionMode> mode) {
            this.convolutionMode = mode;
            return (T) this;
        }

        public T hasBias(boolean hasBias) {
            return hasBias(new FixedValue<>(hasBias));
        }

        public T hasBias(ParameterSpace<Boolean> hasBias) {
            this.hasBias = hasBias;
            return (T) this;
        }

        /** The layer name given to every layer this space makes (used by the metrics and reports). */
        public T name(String layerName) {
            this.layerName = layerName;
            return (T) this;
        }
    }
}
