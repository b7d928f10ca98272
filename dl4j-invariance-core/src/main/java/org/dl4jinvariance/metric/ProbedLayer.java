package org.dl4jinvariance.metric;

import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.FiniteGroup;

/**
 * What the metrics know about one probed layer before seeing its activations.
 *
 * @param name                 the layer key (see {@link org.dl4jinvariance.probe.ModelProbe})
 * @param group                the group acting on the input
 * @param isOutput             true for the network's output layer
 * @param field                ρ, how the group acts on this layer's output, or null when unknown
 * @param fieldReason          why {@code field} is null (null when it is known)
 * @param outputsProbabilities true when the layer's activation is already a softmax
 */
public record ProbedLayer(String name, FiniteGroup group, boolean isOutput, FieldType field, String fieldReason,
                          boolean outputsProbabilities) {
}
