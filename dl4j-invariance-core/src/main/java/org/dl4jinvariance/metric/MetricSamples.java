package org.dl4jinvariance.metric;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a metric computed for one chunk of examples: per metric key, one value per example, and
 * for ratio keys (normalized forms) the per-set reference values whose mean divides them.
 */
public final class MetricSamples implements java.io.Serializable {

    private final Map<String, double[]> values = new LinkedHashMap<>();
    private final Map<String, double[]> references = new LinkedHashMap<>();
    private final Map<String, String> notApplicable = new LinkedHashMap<>();
    private final Map<String, double[][]> perChannel = new LinkedHashMap<>();

    /**
     * Per-channel values under {@code key}: [channel][example]; the report keeps each channel's
     * mean ({@link MetricValue#perChannel()}) beside the key's per-example values.
     */
    public MetricSamples putPerChannel(MetricKey key, double[][] channelByExample) {
        perChannel.put(key.name(), channelByExample);
        return this;
    }

    public Map<String, double[][]> perChannel() {
        return Collections.unmodifiableMap(perChannel);
    }

    /** One value per example of the chunk under {@code key}. */
    public MetricSamples put(String key, double[] perExample) {
        values.put(key, perExample);
        return this;
    }

    /** {@link #put(String, double[])} under {@code key}'s name. */
    public MetricSamples put(MetricKey key, double[] perExample) {
        return put(key.name(), perExample);
    }

    /** {@link #putRatio(String, double[], double[])} under {@code key}'s name. */
    public MetricSamples putRatio(MetricKey key, double[] perExample, double[] reference) {
        return putRatio(key.name(), perExample, reference);
    }

    /** {@link #notApplicable(String, String)} under {@code key}'s name. */
    public MetricSamples notApplicable(MetricKey key, String reason) {
        return notApplicable(key.name(), reason);
    }

    /**
     * A ratio key: the reported value of example x is {@code perExample[x] / mean(reference)},
     * the mean taken over every chunk (0 when perExample[x] is 0).
     */
    public MetricSamples putRatio(String key, double[] perExample, double[] reference) {
        values.put(key, perExample);
        references.put(key, reference);
        return this;
    }

    /** {@code key} has no meaning for this layer; {@code reason} says why. */
    public MetricSamples notApplicable(String key, String reason) {
        notApplicable.put(key, reason);
        return this;
    }

    public Map<String, double[]> values() {
        return Collections.unmodifiableMap(values);
    }

    public Map<String, double[]> references() {
        return Collections.unmodifiableMap(references);
    }

    public Map<String, String> notApplicableKeys() {
        return Collections.unmodifiableMap(notApplicable);
    }
}
