package org.dl4jinvariance.arbiter;

import java.util.Objects;
import org.deeplearning4j.arbiter.layers.LayerSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.util.LeafUtils;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.dl4jinvariance.layers.GroupPooling;
import org.nd4j.linalg.activations.Activation;

/**
 * Arbiter layer space of a {@link GroupPooling} (max or mean over each field's |G| channels). For
 * the group value {@link GroupSpace#PLAIN} there is nothing to pool: the space yields an identity
 * {@code ActivationLayer} of the same name, so plain and equivariant candidates keep the same
 * layer positions and names. The mode is searched as {@code "max"} / {@code "mean"}.
 *
 * <pre>{@code
 * new GroupPoolingSpace.Builder().name("gpool").group(groups).mode("max", "mean").build()
 * }</pre>
 */
public class GroupPoolingSpace extends LayerSpace<Layer> {

    protected GroupSpace group;
    protected ParameterSpace<String> mode;
    protected String layerName;

    /** For Jackson. */
    protected GroupPoolingSpace() {
    }

    protected GroupPoolingSpace(Builder b) {
        super(b);
        if (b.group == null) {
            throw new IllegalArgumentException("GroupPoolingSpace" + (b.layerName == null ? "" : " '" + b.layerName + "'")
                    + " needs a group space: .group(groups), the GroupSpace of the convolutions before it");
        }
        this.group = b.group;
        this.mode = b.mode;
        this.layerName = b.layerName;
        this.numParameters = LeafUtils.countUniqueParameters(collectLeaves());
    }

    @Override
    public Layer getValue(double[] values) {
        String g = group.getValue(values);
        if (GroupSpace.isPlain(g)) {
            ActivationLayer.Builder b = new ActivationLayer.Builder().activation(Activation.IDENTITY);
            setLayerOptionsBuilder(b, values);
            if (layerName != null) {
                b.name(layerName);
            }
            return b.build();
        }
        GroupPooling.Builder b = new GroupPooling.Builder().group(g);
        setLayerOptionsBuilder(b, values);
        if (mode != null) {
            b.mode(mode.getValue(values));
        }
        if (layerName != null) {
            b.name(layerName);
        }
        return b.build();
    }

    public GroupSpace getGroup() {
        return group;
    }

    public String getLayerName() {
        return layerName;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof GroupPoolingSpace s) || o.getClass() != getClass() || !super.equals(o)) {
            return false;
        }
        return Objects.equals(group, s.group) && Objects.equals(mode, s.mode) && Objects.equals(layerName, s.layerName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), group, mode, layerName);
    }

    @Override
    public String toString() {
        return "GroupPoolingSpace(" + (layerName == null ? "" : "name: " + layerName + ", ") + "group: " + group
                + (mode == null ? "" : ", mode: " + mode) + ")";
    }

    /** Builder; {@code group} is required, the mode defaults to the layer's (max). */
    public static class Builder extends LayerSpace.Builder<Builder> {
        protected GroupSpace group;
        protected ParameterSpace<String> mode;
        protected String layerName;

        /** The group space of the convolutions before this layer (the same instance). */
        public Builder group(GroupSpace group) {
            this.group = group;
            return this;
        }

        /** {@code "max"} and/or {@code "mean"}: one is fixed, both are a choice. */
        public Builder mode(String... modes) {
            if (modes == null || modes.length == 0) {
                throw new IllegalArgumentException("mode needs \"max\" and/or \"mean\", got none");
            }
            for (String m : modes) {
                GroupPooling.Mode.of(m);
            }
            return mode(modes.length == 1 ? new FixedValue<>(modes[0]) : new DiscreteParameterSpace<>(modes));
        }

        public Builder mode(ParameterSpace<String> mode) {
            this.mode = mode;
            return this;
        }

        public Builder name(String layerName) {
            this.layerName = layerName;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public GroupPoolingSpace build() {
            return new GroupPoolingSpace(this);
        }
    }
}
