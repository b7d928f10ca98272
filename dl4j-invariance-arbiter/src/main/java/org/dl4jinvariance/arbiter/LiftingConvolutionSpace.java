package org.dl4jinvariance.arbiter;

import org.dl4jinvariance.layers.AbstractGroupConvolution;
import org.dl4jinvariance.layers.LiftingConvolution;

/**
 * Arbiter layer space of a {@link LiftingConvolution} (plain channels → regular fields), or of a
 * plain {@code ConvolutionLayer} when the group value is {@link GroupSpace#PLAIN}. See
 * {@link AbstractGroupConvolutionSpace} for the options.
 *
 * <pre>{@code
 * GroupSpace groups = GroupSpace.of("plain", "C4", "D4");        // shared by the network's layers
 * new LiftingConvolutionSpace.Builder().name("conv1").group(groups)
 *         .nOut(new DiscreteParameterSpace<>(8, 16)).widthScaling(WidthScaling.PARAMETERS)
 *         .kernelSize(3).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build()
 * }</pre>
 */
public class LiftingConvolutionSpace extends AbstractGroupConvolutionSpace {

    /** For Jackson. */
    protected LiftingConvolutionSpace() {
    }

    protected LiftingConvolutionSpace(Builder b) {
        super(b);
    }

    @Override
    protected AbstractGroupConvolution.ConvBuilder<?> equivariantBuilder() {
        return new LiftingConvolution.Builder();
    }

    /** Builder; {@code group} and {@code nOut} are required. */
    public static class Builder extends AbstractGroupConvolutionSpace.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public LiftingConvolutionSpace build() {
            return new LiftingConvolutionSpace(this);
        }
    }
}
