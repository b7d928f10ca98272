package org.dl4jinvariance.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.dl4jinvariance.field.FieldType;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * The convolutional input type DL4J passes from layer to layer while it builds a configuration,
 * carrying the field the producing equivariant layer declares, so the next equivariant layer can
 * reject a mismatched input (e.g. a D4 layer after a C4 one with a channel count both accept)
 * when the configuration is built. Plain layers that build a new input type drop the field; the
 * {@link org.dl4jinvariance.field.FieldInference} run by the evaluator, the assert and the export
 * checks those chains.
 */
final class FieldInputType extends InputType.InputTypeConvolutional {

    @JsonIgnore
    private final transient FieldType field;

    private FieldInputType(InputType.InputTypeConvolutional type, FieldType field) {
        super(type.getHeight(), type.getWidth(), type.getChannels(), type.getFormat());
        this.field = field;
    }

    /** {@code type} carrying {@code field}, when it is convolutional; else {@code type} as it is. */
    static InputType carrying(InputType type, FieldType field) {
        return type instanceof InputType.InputTypeConvolutional c ? new FieldInputType(c, field) : type;
    }

    /**
     * Throws when {@code input} carries a declared field other than {@code expected}.
     *
     * @param who names the receiving layer in the message
     */
    static void requireField(InputType input, FieldType expected, String who) {
        if (input instanceof FieldInputType f && expected != null && !expected.equals(f.field)) {
            throw new IllegalArgumentException(who + " expects input field " + expected.describe()
                    + " but the layer before it declares " + f.field.describe()
                    + "; the layers' groups or field counts do not match");
        }
    }
}
