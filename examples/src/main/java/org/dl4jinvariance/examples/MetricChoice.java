package org.dl4jinvariance.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.dl4jinvariance.metric.CosineSimilarityRatio;
import org.dl4jinvariance.metric.Distance;
import org.dl4jinvariance.metric.EquivarianceDeviation;
import org.dl4jinvariance.metric.InvarianceDeviation;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.OrbitConsistency;
import org.dl4jinvariance.metric.OrbitMetric;
import org.dl4jinvariance.metric.PredictionInvariance;

/**
 * The metrics {@code evaluate --metrics} names, by the report key each one writes (so the option
 * and the CSV columns use the same words). The default, all five, is the evaluator's default set.
 */
enum MetricChoice {
    INVARIANCE(MetricKeys.INVARIANCE, () -> new InvarianceDeviation(Distance.COSINE)),
    EQUIVARIANCE(MetricKeys.EQUIVARIANCE, () -> new EquivarianceDeviation(Distance.COSINE)),
    COSINE_SIMILARITY_RATIO(MetricKeys.COSINE_SIMILARITY_RATIO, CosineSimilarityRatio::new),
    PREDICTION_KL(MetricKeys.PREDICTION_KL, PredictionInvariance::new),
    /** Consistency and accuracy (overall and per group element): needs labels for accuracy. */
    CONSISTENCY(MetricKeys.CONSISTENCY, OrbitConsistency::new);

    static final String OPTION = "--metrics";

    private final String key;
    private final Supplier<OrbitMetric> metric;

    MetricChoice(String key, Supplier<OrbitMetric> metric) {
        this.key = key;
        this.metric = metric;
    }

    String key() {
        return key;
    }

    OrbitMetric metric() {
        return metric.get();
    }

    /** Every name the option accepts, comma-separated. */
    static String names() {
        return String.join(",", Arrays.stream(values()).map(MetricChoice::key).toList());
    }

    /**
     * The metrics of a comma-separated list of keys (case-insensitive), in the given order; null
     * or blank gives all of them.
     *
     * @throws UsageException naming the unknown or repeated key and the accepted ones
     */
    static List<MetricChoice> parse(String text) {
        if (text == null) {
            return List.of(values());
        }
        List<MetricChoice> chosen = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String name = part.trim();
            MetricChoice found = null;
            for (MetricChoice m : values()) {
                if (m.key.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    found = m;
                }
            }
            if (found == null) {
                throw new UsageException(OPTION + " " + text + ": '" + name + "' is not a metric; expected a comma-"
                        + "separated list of " + names());
            }
            if (chosen.contains(found)) {
                throw new UsageException(OPTION + " " + text + ": '" + name + "' is named twice; expected each of "
                        + names() + " at most once");
            }
            chosen.add(found);
        }
        return List.copyOf(chosen);
    }
}
