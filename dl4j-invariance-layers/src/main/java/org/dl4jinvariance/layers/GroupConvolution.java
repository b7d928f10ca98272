package org.dl4jinvariance.layers;

import org.dl4jinvariance.field.FieldType;

/**
 * Group convolution G → G: {@code nIn} regular fields ({@code nIn·|G|} channels) →
 * {@code nOut} regular fields. With base filters ψ[f, c, h] (one k×k filter per output field,
 * input field and group element):
 * <pre>
 *   y[f·|G| + g] = σ( Σ_{c,h} (T_g ψ[f, c, g⁻¹·h]) ⋆ x[c·|G| + h] + b[f] )
 * </pre>
 * which is equivariant: input transformed by ρ(u) ⇒ output transformed by ρ(u)
 * ({@code FieldType.regular(group, nOut)}). {@code nIn} and {@code nOut} count fields; with
 * {@code setInputType} nIn is inferred and an input whose channel count is not a multiple of |G|
 * is rejected when the configuration is built.
 *
 * <pre>{@code
 * new GroupConvolution.Builder().group(Groups.c4()).nOut(16).kernelSize(3)
 *         .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build()
 * }</pre>
 */
public class GroupConvolution extends AbstractGroupConvolution {

    /** For Jackson. */
    public GroupConvolution() {
    }

    protected GroupConvolution(Builder builder) {
        super(builder);
    }

    /** Same as {@code new GroupConvolution.Builder()}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    String kindName() {
        return "gconv";
    }

    /** regular(G, nIn): nIn fields of |G| channels; null until nIn is known. */
    @Override
    public FieldType inputField() {
        return nIn > 0 ? FieldType.regular(getGroup(), (int) nIn) : null;
    }

    @Override
    public int inputGroupOrder() {
        return getGroup().order();
    }

    @Override
    public GroupConvolution clone() {
        return (GroupConvolution) super.clone();
    }

    /** DL4J-style builder; see {@link AbstractGroupConvolution.ConvBuilder} for the options. */
    public static class Builder extends ConvBuilder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public GroupConvolution build() {
            return new GroupConvolution(this);
        }
    }
}
