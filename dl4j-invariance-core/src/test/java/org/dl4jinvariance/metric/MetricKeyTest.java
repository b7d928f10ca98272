package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.metric.MetricKey.Direction;
import org.dl4jinvariance.metric.MetricKey.Scope;
import org.junit.jupiter.api.Test;

class MetricKeyTest {

    private static final ProbedLayer HIDDEN = new ProbedLayer("dense", Groups.c4(), false, null, "no field", false);
    private static final ProbedLayer OUTPUT = new ProbedLayer("output", Groups.c4(), true, null, "no field", true);

    /** Every public String constant of MetricKeys, found by reflection so a new constant cannot be forgotten. */
    private static List<String> metricKeysConstants() throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Field f : MetricKeys.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                names.add((String) f.get(null));
            }
        }
        return names;
    }

    @Test
    void everyMetricKeysConstantParsesToTheKeyItsMetricOwns() throws IllegalAccessException {
        List<String> constants = metricKeysConstants();
        assertEquals(10, constants.size(), constants.toString());
        for (String name : constants) {
            MetricKey key = MetricKeys.parse(name);
            assertEquals(name, key.name());
            assertEquals(key, MetricKey.of(name));
        }
        assertSame(InvarianceDeviation.KEY, MetricKey.of(MetricKeys.INVARIANCE));
        assertSame(InvarianceDeviation.NORMALIZED_KEY, MetricKey.of(MetricKeys.INVARIANCE_NORMALIZED));
        assertSame(EquivarianceDeviation.KEY, MetricKey.of(MetricKeys.EQUIVARIANCE));
        assertSame(EquivarianceDeviation.NORMALIZED_KEY, MetricKey.of(MetricKeys.EQUIVARIANCE_NORMALIZED));
        assertSame(CosineSimilarityRatio.KEY, MetricKey.of(MetricKeys.COSINE_SIMILARITY_RATIO));
        assertSame(PredictionInvariance.KEY, MetricKey.of(MetricKeys.PREDICTION_KL));
        assertSame(OrbitConsistency.CONSISTENCY_KEY, MetricKey.of(MetricKeys.CONSISTENCY));
        assertSame(OrbitConsistency.ACCURACY_KEY, MetricKey.of(MetricKeys.ACCURACY));
        assertSame(LieDerivative.ROTATION_KEY, MetricKey.of(MetricKeys.LIE_DERIVATIVE));
        assertSame(LieDerivative.TRANSLATION_KEY, MetricKey.of(MetricKeys.LIE_DERIVATIVE_TRANSLATION));
    }

    @Test
    void perElementAccuracyAndNormalizedFormsParse() {
        MetricKey rot90 = MetricKeys.parse(MetricKeys.accuracyOf("rot90"));
        assertEquals(OrbitConsistency.accuracyKey("rot90"), rot90);
        assertEquals("accuracy[rot90]", rot90.name());
        assertEquals(Direction.HIGHER_IS_BETTER, rot90.direction());
        assertEquals(Scope.NEEDS_LABELS, rot90.scope());
        for (int g = 0; g < Groups.d4().order(); g++) {
            String element = Groups.d4().elementName(g);
            assertEquals(OrbitConsistency.accuracyKey(element), MetricKey.of(MetricKeys.accuracyOf(element)));
        }

        assertEquals(InvarianceDeviation.NORMALIZED_KEY, MetricKey.of(MetricKeys.normalized(MetricKeys.INVARIANCE)));
        assertEquals(EquivarianceDeviation.NORMALIZED_KEY, MetricKey.of(MetricKeys.normalized(MetricKeys.EQUIVARIANCE)));
        // Dividing by a positive baseline keeps the order: the normalized form keeps direction and scope.
        assertEquals(InvarianceDeviation.NORMALIZED_KEY, InvarianceDeviation.KEY.normalized());
        assertEquals(InvarianceDeviation.KEY.direction(), InvarianceDeviation.NORMALIZED_KEY.direction());
        assertEquals(InvarianceDeviation.KEY.scope(), InvarianceDeviation.NORMALIZED_KEY.scope());
    }

    @Test
    void anUnknownKeyIsRejectedNamingItAndListingTheKnownOnes() {
        for (String bad : List.of("nonsense", "Invariance", "accuracy[]", "accuracy[rot90", "predictionKL.normalized", " ")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricKeys.parse(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains(MetricKeys.INVARIANCE_NORMALIZED), e.getMessage());
            assertTrue(e.getMessage().contains(MetricKeys.COSINE_SIMILARITY_RATIO), e.getMessage());
            assertTrue(e.getMessage().contains("accuracy[<element>]"), e.getMessage());
        }
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> MetricKey.of(null));
        assertTrue(none.getMessage().contains("'null'"), none.getMessage());
    }

    @Test
    void accuracyConsistencyAndCosineSimilarityRatioAreHigherIsBetterTheRestLower() {
        for (String higher : List.of(MetricKeys.COSINE_SIMILARITY_RATIO, MetricKeys.ACCURACY, MetricKeys.accuracyOf("rot180"),
                MetricKeys.CONSISTENCY)) {
            assertEquals(Direction.HIGHER_IS_BETTER, MetricKey.of(higher).direction(), higher);
            assertTrue(MetricKey.of(higher).higherIsBetter(), higher);
            assertEquals(1, MetricKey.of(higher).direction().sign(), higher);
        }
        for (String lower : List.of(MetricKeys.INVARIANCE, MetricKeys.INVARIANCE_NORMALIZED, MetricKeys.EQUIVARIANCE,
                MetricKeys.EQUIVARIANCE_NORMALIZED, MetricKeys.PREDICTION_KL, MetricKeys.LIE_DERIVATIVE,
                MetricKeys.LIE_DERIVATIVE_TRANSLATION)) {
            assertEquals(Direction.LOWER_IS_BETTER, MetricKey.of(lower).direction(), lower);
            assertEquals(-1, MetricKey.of(lower).direction().sign(), lower);
        }
    }

    @Test
    void isBetterFollowsTheDirectionAndNeverPrefersNaN() {
        assertTrue(InvarianceDeviation.KEY.isBetter(0.1, 0.2));
        assertFalse(InvarianceDeviation.KEY.isBetter(0.2, 0.1));
        assertFalse(InvarianceDeviation.KEY.isBetter(0.2, 0.2));
        assertTrue(OrbitConsistency.ACCURACY_KEY.isBetter(0.9, 0.8));
        assertFalse(OrbitConsistency.ACCURACY_KEY.isBetter(0.8, 0.9));
        assertFalse(OrbitConsistency.ACCURACY_KEY.isBetter(Double.NaN, 0.1));
        assertTrue(PredictionInvariance.KEY.isBetter(5, Double.NaN));
    }

    @Test
    void scopesSayWhereAKeyIsReportedAndWhetherItNeedsLabels() {
        for (MetricKey everywhere : List.of(InvarianceDeviation.KEY, EquivarianceDeviation.NORMALIZED_KEY,
                CosineSimilarityRatio.KEY, LieDerivative.ROTATION_KEY)) {
            assertEquals(Scope.EVERY_LAYER, everywhere.scope(), everywhere.name());
            assertTrue(everywhere.reportedAt(HIDDEN) && everywhere.reportedAt(OUTPUT), everywhere.name());
            assertFalse(everywhere.needsLabels(), everywhere.name());
        }
        assertEquals(Scope.OUTPUT_ONLY, PredictionInvariance.KEY.scope());
        assertEquals(Scope.OUTPUT_ONLY, OrbitConsistency.CONSISTENCY_KEY.scope());
        assertEquals(Scope.NEEDS_LABELS, OrbitConsistency.ACCURACY_KEY.scope());
        for (MetricKey outputOnly : List.of(PredictionInvariance.KEY, OrbitConsistency.CONSISTENCY_KEY,
                OrbitConsistency.ACCURACY_KEY, OrbitConsistency.accuracyKey("rot90"))) {
            assertTrue(outputOnly.outputOnly(), outputOnly.name());
            assertFalse(outputOnly.reportedAt(HIDDEN), outputOnly.name());
            assertTrue(outputOnly.reportedAt(OUTPUT), outputOnly.name());
        }
        assertTrue(OrbitConsistency.ACCURACY_KEY.needsLabels(), "a needs-labels key is output-only too");
        assertFalse(PredictionInvariance.KEY.needsLabels());
    }

    @Test
    void metricsDeriveWhereTheyReportAndWhetherTheyNeedLabelsFromTheirKeys() {
        List<OrbitMetric> metrics = new ArrayList<>(InvarianceEvaluator.defaultMetrics(Distance.COSINE));
        metrics.add(LieDerivative.rotation(1));
        for (OrbitMetric m : metrics) {
            List<MetricKey> keys = m.metricKeys(OUTPUT);
            for (MetricKey k : keys) {
                assertEquals(k, MetricKey.of(k.name()), "the metric's key is the parsed one: " + k);
            }
            boolean outputOnly = keys.stream().allMatch(MetricKey::outputOnly);
            assertEquals(!outputOnly, m.reportsAt(HIDDEN), m.describe());
            assertTrue(m.reportsAt(OUTPUT), m.describe());
            assertEquals(keys.stream().anyMatch(MetricKey::needsLabels), m.needsLabels(), m.describe());
            assertEquals(keys.stream().map(MetricKey::name).toList(), m.keys(OUTPUT), m.describe());
        }
        assertEquals(List.of("consistency", "accuracy", "accuracy[id]", "accuracy[rot90]", "accuracy[rot180]",
                "accuracy[rot270]"), new OrbitConsistency().keys(OUTPUT));
        assertEquals(List.of(), new OrbitConsistency().keys(HIDDEN));
    }

    @Test
    void aMetricOfOnesOwnMakesItsKeyWithTheConstructor() {
        MetricKey own = new MetricKey("lieDerivative.scale", Direction.LOWER_IS_BETTER, Scope.EVERY_LAYER);
        assertEquals(own, new LieDerivative(org.dl4jinvariance.action.ImageActions.continuousRotation(), 1,
                "lieDerivative.scale").key());
        assertEquals("lieDerivative.scale", own.toString());
        assertThrows(IllegalArgumentException.class, () -> new MetricKey(" ", Direction.LOWER_IS_BETTER, Scope.EVERY_LAYER));
        assertThrows(IllegalArgumentException.class, () -> new MetricKey("x", null, Scope.EVERY_LAYER));
    }
}
