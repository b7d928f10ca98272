package org.dl4jinvariance.metric;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every metric's per-example values for one chunk of an evaluation: what a worker sends back to
 * the driver, which merges the chunks in {@link #index()} order ({@link ChunkedEvaluation#report}).
 * Per probed layer (network order), one {@link MetricSamples} per metric that applies there;
 * the example order is the chunk's shuffled order, and {@link #classes()} follows it.
 */
public final class ChunkSamples implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int index;
    private final int size;
    private final int[] classes;
    private final LinkedHashMap<String, List<MetricSamples>> layers;

    ChunkSamples(int index, int size, int[] classes, LinkedHashMap<String, List<MetricSamples>> layers) {
        this.index = index;
        this.size = size;
        this.classes = classes;
        this.layers = layers;
    }

    /** Every applicable metric of {@code plan} computed from one chunk's contexts. */
    static ChunkSamples compute(EvaluationPlan plan, Map<String, OrbitActivations> contexts, int index, int size,
            int[] classes) {
        LinkedHashMap<String, List<MetricSamples>> layers = new LinkedHashMap<>();
        for (Map.Entry<String, OrbitActivations> e : contexts.entrySet()) {
            ProbedLayer layer = plan.info.get(e.getKey());
            List<MetricSamples> samples = new ArrayList<>();
            for (OrbitMetric m : plan.metrics) {
                if (EvaluationPlan.applies(m, layer)) {
                    samples.add(m.compute(e.getValue()));
                }
            }
            layers.put(e.getKey(), samples);
        }
        return new ChunkSamples(index, size, classes, layers);
    }

    /** The chunk's position in the evaluation: chunk i holds examples [i·chunkSize, (i+1)·chunkSize). */
    public int index() {
        return index;
    }

    /** The examples in the chunk. */
    public int size() {
        return size;
    }

    /** Class index per example (shuffled order), or null without [B, K] or [B, 1] labels. */
    int[] classes() {
        return classes;
    }

    /** Per probed layer, the samples of each metric that applies there. */
    public Map<String, List<MetricSamples>> layers() {
        return Collections.unmodifiableMap(layers);
    }
}
