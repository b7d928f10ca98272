package org.dl4jinvariance.metric.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link OrbitReduction} in Java on the activations' host memory ({@link ActivationBuffer}): one
 * pass over memory per kind of set, ρ(g) as index maps, nothing copied unless the layout
 * cannot be viewed. The pass itself is left to {@link Pass#finish()}, so it can run beside the
 * next layer's forward pass; it is split into {@link SharedTasks}, so that a thread waiting for
 * it can {@linkplain Pass#help() help} instead of blocking. CPU backend only: on CUDA the host view would copy every activation
 * off the device.
 */
public final class JavaReduction implements OrbitReduction {

    @Override
    public Pass start(INDArray act, int examples, int order, int identity, FieldTransform rho, boolean[] permute) {
        return start(act, examples, order, identity, rho, permute, null, null);
    }

    @Override
    public boolean supportsSampledElements() {
        return true;
    }

    @Override
    public Pass start(INDArray act, int examples, int order, int identity, FieldTransform rho, boolean[] permute,
                      int[] orbitElements, int[] baselineElements) {
        ActivationBuffer buffer = ActivationBuffer.of(act);
        // maps stay indexed by group element (|G| of them), members by set row (order of them)
        int elements = permute == null ? order : permute.length;
        int[][] outerMaps = new int[elements][];
        int[][] innerMaps = new int[elements][];
        if (rho != null) {
            for (int g = 0; g < elements; g++) {
                if (permute[g]) {
                    outerMaps[g] = rho.outerMap(g, buffer.outer());
                    innerMaps[g] = rho.innerMap(g, buffer.outer());
                }
            }
        }
        boolean[] wanted = rho == null ? null : permute;
        int sets = examples / order;
        ActivationBuffer.SetJob orbit = buffer.job(examples, 0, 1, examples, order, identity, wanted, outerMaps, innerMaps,
                orbitElements);
        ActivationBuffer.SetJob baseline = buffer.job(sets, identity * examples, order, 1, order, identity, wanted,
                outerMaps, innerMaps, baselineElements);
        int split = orbit.tasks();
        SharedTasks tasks = new SharedTasks(split + baseline.tasks(), t -> {
            if (t < split) {
                orbit.run(t);
            } else {
                baseline.run(t - split);
            }
        });
        return new Pass() {
            @Override
            public Products finish() {
                tasks.runAndAwait();
                return new Products(orbit.products(), baseline.products());
            }

            @Override
            public void help() {
                tasks.runAvailable();
            }

            @Override
            public boolean readsActivations() {
                // a copy lives in the layer's working memory, released when the visit returns
                return !buffer.isCopy();
            }
        };
    }

    @Override
    public String toString() {
        return "JAVA";
    }
}
