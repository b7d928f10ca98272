package org.dl4jinvariance.metric;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a metric key means, for readers of reports: its formula, its range, and (from the typed
 * {@link MetricKey}) which way is better. Each metric class owns the entries of its keys
 * ({@link InvarianceDeviation#GLOSSARY}, {@link OrbitConsistency#GLOSSARY}, ...); this class only
 * finds them by key name, so the text of a metric lives next to its formula.
 *
 * @param key     the typed key (name, direction, scope)
 * @param formula the formula in one line, e.g. {@code mean_x (1/|G|) Σ_g m(f(g·x), c(x))}
 * @param range   the values it takes and what the ends mean, e.g. {@code [0, 2]; 0 = invariant}
 */
public record MetricGlossary(MetricKey key, String formula, String range) {

    /** @throws IllegalArgumentException for a null key or a blank formula or range */
    public MetricGlossary {
        if (key == null || formula == null || formula.isBlank() || range == null || range.isBlank()) {
            throw new IllegalArgumentException("A glossary entry needs a key, a formula and a range, got " + key + ", '"
                    + formula + "', '" + range + "'");
        }
    }

    /** "lower is better" or "higher is better", from the key's direction. */
    public String direction() {
        return key.higherIsBetter() ? "higher is better" : "lower is better";
    }

    /**
     * The normalized form of this entry ({@link MetricKey#normalized()}): the same formula divided
     * by its value on sets of |G| distinct untransformed inputs.
     */
    public MetricGlossary normalized(String range) {
        return new MetricGlossary(key.normalized(), "(" + formula + ") / (the same on sets of |G| distinct inputs)",
                range);
    }

    /**
     * The entry of a report key: every built-in key, {@code accuracy[<element>]} for any group
     * element; empty for keys of users' own metrics (they have no entry unless their metric
     * {@link #register registers} one).
     */
    public static Optional<MetricGlossary> of(String keyName) {
        MetricGlossary known = Known.byName().get(keyName);
        if (known != null) {
            return Optional.of(known);
        }
        String accuracy = MetricKeys.ACCURACY + "[";
        if (keyName != null && keyName.startsWith(accuracy) && keyName.endsWith("]")
                && keyName.length() > accuracy.length() + 1) {
            String element = keyName.substring(accuracy.length(), keyName.length() - 1);
            return Optional.of(OrbitConsistency.accuracyGlossary(element));
        }
        return Optional.empty();
    }

    /** Adds the entry of a metric of one's own, so that report pages explain its key too. */
    public static void register(MetricGlossary entry) {
        if (entry == null) {
            throw new IllegalArgumentException("register(...) needs a glossary entry, got null");
        }
        Known.registered.put(entry.key().name(), entry);
    }

    /** Built-in entries in a holder class, read only after the metric classes are initialized. */
    private static final class Known {
        static final Map<String, MetricGlossary> registered = Collections.synchronizedMap(new LinkedHashMap<>());
        private static final Map<String, MetricGlossary> BUILT_IN = index(List.of(
                InvarianceDeviation.GLOSSARY, InvarianceDeviation.NORMALIZED_GLOSSARY,
                EquivarianceDeviation.GLOSSARY, EquivarianceDeviation.NORMALIZED_GLOSSARY,
                CosineSimilarityRatio.GLOSSARY, PredictionInvariance.GLOSSARY,
                OrbitConsistency.GLOSSARY, OrbitConsistency.ACCURACY_GLOSSARY,
                LieDerivative.ROTATION_GLOSSARY, LieDerivative.TRANSLATION_GLOSSARY, ChannelInvariance.GLOSSARY));

        static Map<String, MetricGlossary> byName() {
            Map<String, MetricGlossary> all = new LinkedHashMap<>(BUILT_IN);
            synchronized (registered) {
                all.putAll(registered);
            }
            return all;
        }

        private static Map<String, MetricGlossary> index(List<MetricGlossary> entries) {
            Map<String, MetricGlossary> map = new LinkedHashMap<>();
            for (MetricGlossary e : new ArrayList<>(entries)) {
                map.put(e.key().name(), e);
            }
            return Collections.unmodifiableMap(map);
        }
    }
}
