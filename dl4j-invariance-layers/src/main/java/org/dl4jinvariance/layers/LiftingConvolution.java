package org.dl4jinvariance.layers;

import org.dl4jinvariance.field.FieldType;

/**
 * Lifting convolution Z² → G: plain input channels → {@code nOut} regular fields
 * ({@code nOut·|G|} channels). Output channel f·|G| + g correlates the input with the base filter
 * ψ_f transformed by g:
 * <pre>
 *   y[f·|G| + g] = σ( Σ_c (T_g ψ[f, c]) ⋆ x[c] + b[f] )
 * </pre>
 * so transforming the input by u transforms space by u and moves channel (f, g) to (f, u·g)
 * ({@code FieldType.regular(group, nOut)}). A drop-in replacement for DL4J's
 * {@code ConvolutionLayer}: {@code nIn} counts input channels, {@code nOut} output fields.
 *
 * <pre>{@code
 * new LiftingConvolution.Builder().group(Groups.c4()).nOut(8).kernelSize(3)
 *         .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build()
 * }</pre>
 */
public class LiftingConvolution extends AbstractGroupConvolution {

    /** For Jackson. */
    public LiftingConvolution() {
    }

    protected LiftingConvolution(Builder builder) {
        super(builder);
    }

    /** Same as {@code new LiftingConvolution.Builder()}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    String kindName() {
        return "lift";
    }

    /** spatial(G): plain images or feature maps on which G acts by moving pixels. */
    @Override
    public FieldType inputField() {
        return FieldType.spatial(getGroup());
    }

    @Override
    public int inputGroupOrder() {
        return 1;
    }

    @Override
    public LiftingConvolution clone() {
        return (LiftingConvolution) super.clone();
    }

    /** DL4J-style builder; see {@link AbstractGroupConvolution.ConvBuilder} for the options. */
    public static class Builder extends ConvBuilder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public LiftingConvolution build() {
            return new LiftingConvolution(this);
        }
    }
}
