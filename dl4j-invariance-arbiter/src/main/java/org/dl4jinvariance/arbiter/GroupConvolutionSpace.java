package org.dl4jinvariance.arbiter;

import org.dl4jinvariance.layers.AbstractGroupConvolution;
import org.dl4jinvariance.layers.GroupConvolution;

/**
 * Arbiter layer space of a {@link GroupConvolution} (regular fields → regular fields), or of a
 * plain {@code ConvolutionLayer} when the group value is {@link GroupSpace#PLAIN}. Put it after a
 * {@link LiftingConvolutionSpace} sharing the same {@link GroupSpace}. See
 * {@link AbstractGroupConvolutionSpace} for the options.
 */
public class GroupConvolutionSpace extends AbstractGroupConvolutionSpace {

    /** For Jackson. */
    protected GroupConvolutionSpace() {
    }

    protected GroupConvolutionSpace(Builder b) {
        super(b);
    }

    @Override
    protected AbstractGroupConvolution.ConvBuilder<?> equivariantBuilder() {
        return new GroupConvolution.Builder();
    }

    /** Builder; {@code group} and {@code nOut} are required. */
    public static class Builder extends AbstractGroupConvolutionSpace.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public GroupConvolutionSpace build() {
            return new GroupConvolutionSpace(this);
        }
    }
}
