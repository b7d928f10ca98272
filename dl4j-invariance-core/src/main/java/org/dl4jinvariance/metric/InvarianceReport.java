package org.dl4jinvariance.metric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * The result of one evaluation: for every probed layer (in network order) and every metric
 * (named by its key, e.g. {@code invariance}, {@code invariance.normalized}), a
 * {@link MetricValue}; plus the settings that produced it.
 */
public final class InvarianceReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Map<String, MetricValue>> values;
    private final Map<String, String> settings;

    @JsonCreator
    public InvarianceReport(@JsonProperty("values") Map<String, Map<String, MetricValue>> values,
                            @JsonProperty("settings") Map<String, String> settings) {
        Map<String, Map<String, MetricValue>> copy = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((layer, metrics) -> copy.put(layer, Collections.unmodifiableMap(new LinkedHashMap<>(metrics))));
        }
        this.values = Collections.unmodifiableMap(copy);
        this.settings = settings == null ? Collections.emptyMap() : Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** Layer → metric → value, layers in network order. */
    @JsonProperty
    public Map<String, Map<String, MetricValue>> values() {
        return values;
    }

    /** How the report was made: group, action, distance, examples, seed, ... */
    @JsonProperty
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * How precise the report is, when it was made with a
     * {@link EvaluatorSettings#targetPrecision(double) targetPrecision}: the target, whether it
     * was met, n, and the largest 95% CI half-width with its layer and metric (read from
     * {@link #settings()}, so it survives JSON). Empty for a report without a target.
     */
    public Optional<Precision> precision() {
        return Precision.from(settings);
    }

    /** Probed layers in network order. */
    public List<String> layers() {
        return new ArrayList<>(values.keySet());
    }

    /** Every metric key that appears at some layer, in first-seen order. */
    public List<String> metrics() {
        Set<String> keys = new LinkedHashSet<>();
        values.values().forEach(m -> keys.addAll(m.keySet()));
        return new ArrayList<>(keys);
    }

    /**
     * The value of {@code metric} at {@code layer}.
     *
     * @throws IllegalArgumentException naming the layer or metric when the report has none
     */
    public MetricValue get(String layer, String metric) {
        Map<String, MetricValue> m = values.get(layer);
        if (m == null) {
            throw new IllegalArgumentException("No layer '" + layer + "' in this report; layers: " + values.keySet());
        }
        MetricValue v = m.get(metric);
        if (v == null) {
            throw new IllegalArgumentException("No metric '" + metric + "' at layer '" + layer + "'; metrics: " + m.keySet());
        }
        return v;
    }

    /** {@link #get(String, String)} by a typed key. */
    public MetricValue get(String layer, MetricKey key) {
        return get(layer, key.name());
    }

    /**
     * The deepest layer that has a value of {@code metric}: present and applicable (a
     * {@link MetricValue#notApplicable} entry does not count). Empty when no layer has one.
     */
    public Optional<String> deepestLayerWith(String metric) {
        List<String> layers = layers();
        for (int i = layers.size() - 1; i >= 0; i--) {
            MetricValue v = values.get(layers.get(i)).get(metric);
            if (v != null && v.isApplicable()) {
                return Optional.of(layers.get(i));
            }
        }
        return Optional.empty();
    }

    /** {@link #deepestLayerWith(String)} by a typed key. */
    public Optional<String> deepestLayerWith(MetricKey key) {
        return deepestLayerWith(key.name());
    }

    /** True when the report holds {@code metric} at {@code layer}. */
    public boolean has(String layer, String metric) {
        return values.containsKey(layer) && values.get(layer).containsKey(metric);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static InvarianceReport fromJson(String json) {
        try {
            return JSON.readValue(json, InvarianceReport.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not an InvarianceReport JSON document: " + e.getMessage(), e);
        }
    }

    /** An aligned table: one row per layer, one column per metric, mean [95% CI]. */
    @Override
    public String toString() {
        List<String> metrics = metrics();
        int layerWidth = Math.max(5, values.keySet().stream().mapToInt(String::length).max().orElse(5));
        int[] widths = new int[metrics.size()];
        for (int c = 0; c < metrics.size(); c++) {
            widths[c] = Math.max(metrics.get(c).length(), 26);
        }
        StringBuilder sb = new StringBuilder();
        if (!settings.isEmpty()) {
            sb.append(settings).append('\n');
        }
        sb.append(pad("layer", layerWidth));
        for (int c = 0; c < metrics.size(); c++) {
            sb.append("  ").append(pad(metrics.get(c), widths[c]));
        }
        sb.append('\n');
        for (Map.Entry<String, Map<String, MetricValue>> row : values.entrySet()) {
            sb.append(pad(row.getKey(), layerWidth));
            for (int c = 0; c < metrics.size(); c++) {
                MetricValue v = row.getValue().get(metrics.get(c));
                sb.append("  ").append(pad(v == null ? "-" : v.format(), widths[c]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return String.format(Locale.ROOT, "%-" + width + "s", s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InvarianceReport r && r.values.equals(values) && r.settings.equals(settings);
    }

    @Override
    public int hashCode() {
        return values.hashCode() * 31 + settings.hashCode();
    }
}
