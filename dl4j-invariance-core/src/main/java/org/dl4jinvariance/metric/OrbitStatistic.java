package org.dl4jinvariance.metric;

/**
 * The per-example reductions of a layer's activations that the probe computes while the
 * activations are still in DL4J's workspace. A metric names the ones it reads; the evaluator
 * computes each at most once per layer and chunk, however many metrics read it.
 */
public enum OrbitStatistic {
    /** Per example, the |G|×|G| Gram matrix K_gh = ⟨f(g·x), f(h·x)⟩. */
    GRAM,
    /** Per set of |G| distinct untransformed inputs, their |G|×|G| Gram matrix. */
    BASELINE_GRAM,
    /** Per example and g, ⟨f(g·x), ρ(g)f(x)⟩ and ‖ρ(g)f(x)‖², and the same for the distinct-input sets. */
    EQUIVARIANCE,
    /** The flattened feature vectors themselves (meant for the small output layer). */
    FEATURES,
    /** Per example and perturbation, ‖f(T_ε x) − f(T_−ε x)‖. */
    LIE,
    /** Per example and channel c (feature maps [C, ...]), the |G|×|G| Gram matrix of channel c's map. */
    CHANNEL_GRAM
}
