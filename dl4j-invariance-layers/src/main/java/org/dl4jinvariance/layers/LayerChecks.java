package org.dl4jinvariance.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;

/** Build-time validation shared by the layer configurations; every failure names the bad value. */
final class LayerChecks {

    private LayerChecks() {
    }

    static String describe(String kind, String layerName) {
        return layerName == null ? kind : kind + " '" + layerName + "'";
    }

    /** The group named by {@code name} (C<n> or D<n>), or an IllegalArgumentException naming it. */
    static PlanarGroup group(String kind, String name) {
        if (name == null) {
            throw new IllegalArgumentException(kind + " needs a group: call .group(Groups.c4()) or .group(\"C4\")");
        }
        return Groups.byName(name);
    }

    /** A square size from one or two values (kernel, stride, padding, dilation). */
    static int[] pair(String kind, String what, int[] values, int min) {
        if (values == null || values.length < 1 || values.length > 2) {
            throw new IllegalArgumentException(kind + ": " + what + " takes 1 or 2 values, got "
                    + Arrays.toString(values));
        }
        int[] out = values.length == 1 ? new int[] {values[0], values[0]} : values.clone();
        for (int v : out) {
            if (v < min) {
                throw new IllegalArgumentException(kind + ": " + what + " must be >= " + min + ", got "
                        + Arrays.toString(values));
            }
        }
        return out;
    }

    /** The convolutional input type, NCHW, or an IllegalArgumentException naming what arrived. */
    static InputType.InputTypeConvolutional convolutional(String kind, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional c)) {
            throw new IllegalArgumentException(kind + " expects convolutional input (InputType.convolutional), got "
                    + inputType);
        }
        if (c.getFormat() != CNN2DFormat.NCHW) {
            throw new IllegalArgumentException(kind + " supports NCHW activations only, got " + c.getFormat());
        }
        return c;
    }

    /** Channels of a regular input: a multiple of |G|, or an IllegalArgumentException explaining why. */
    static long regularFields(String kind, PlanarGroup group, long channels) {
        if (channels % group.order() != 0) {
            throw new IllegalArgumentException(kind + ": input has " + channels + " channels, not a multiple of |"
                    + group.name() + "| = " + group.order() + "; it expects regular " + group.name()
                    + " fields (fields·|G| channels, e.g. the output of a LiftingConvolution)");
        }
        return channels / group.order();
    }
}
