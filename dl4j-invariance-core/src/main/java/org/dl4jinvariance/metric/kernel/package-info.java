/**
 * The metric engine's kernels: direct reads of activations in ND4J's native memory
 * ({@link org.dl4jinvariance.metric.kernel.ActivationBuffer}), their per-set Gram and
 * equivariance products ({@link org.dl4jinvariance.metric.kernel.PlaneRows}), and ρ(g) as index
 * maps ({@link org.dl4jinvariance.metric.kernel.FieldTransform}). Internal: used by the
 * evaluator's reducers in {@code org.dl4jinvariance.metric}; not public API, may change in any
 * release.
 */
package org.dl4jinvariance.metric.kernel;
