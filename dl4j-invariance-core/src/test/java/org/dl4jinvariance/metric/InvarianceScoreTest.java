package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared scoring rule on a hand-made report, so every expected score is plain arithmetic. */
class InvarianceScoreTest {

    private static final double NaN = Double.NaN;

    /** conv → output; equivariance has no value at the output (no field type there). */
    private static final InvarianceReport REPORT = report();

    private static MetricValue value(double mean) {
        return new MetricValue(mean, mean, mean, 10, null, null, null);
    }

    private static InvarianceReport report() {
        Map<String, Map<String, MetricValue>> values = new LinkedHashMap<>();
        Map<String, MetricValue> conv = new LinkedHashMap<>();
        conv.put(MetricKeys.INVARIANCE, value(0.4));
        conv.put(MetricKeys.EQUIVARIANCE, value(0.2));
        conv.put(MetricKeys.COSINE_SIMILARITY_RATIO, value(1.5));
        values.put("conv", conv);
        Map<String, MetricValue> output = new LinkedHashMap<>();
        output.put(MetricKeys.INVARIANCE, value(0.3));
        output.put(MetricKeys.EQUIVARIANCE, MetricValue.notApplicable("layer 'output' has no field type"));
        output.put(MetricKeys.COSINE_SIMILARITY_RATIO, value(1.25));
        output.put(MetricKeys.PREDICTION_KL, value(0.05));
        output.put(MetricKeys.CONSISTENCY, value(0.75));
        output.put(MetricKeys.ACCURACY, value(0.625));
        values.put("output", output);
        return new InvarianceReport(values, Map.of());
    }

    @Test
    void aLowerIsBetterMetricAloneIsMinimizedAsItself() {
        InvarianceScore s = InvarianceScore.builder().metric(MetricKeys.INVARIANCE).build();
        assertTrue(s.minimize());
        InvarianceScore.Result r = s.score(REPORT, NaN, NaN);
        assertEquals(0.3, r.score(), 0.0);
        assertEquals("output", r.layer(), "default: the deepest layer with a value");
        assertTrue(r.feasible());
    }

    @Test
    void aHigherIsBetterMetricAloneIsMaximizedAsItselfWithoutBeingTold() {
        for (MetricKey higher : new MetricKey[] {OrbitConsistency.ACCURACY_KEY, OrbitConsistency.CONSISTENCY_KEY,
                CosineSimilarityRatio.KEY}) {
            InvarianceScore s = InvarianceScore.builder().metric(higher).build();
            assertFalse(s.minimize(), higher.name());
            assertEquals(REPORT.get("output", higher).mean(), s.score(REPORT, NaN, NaN).score(), 0.0, higher.name());
        }
    }

    @Test
    void termsCombineWithTheKeysSign() {
        InvarianceScore accMinusKl = InvarianceScore.builder().metric(PredictionInvariance.KEY).metricWeight(0.5)
                .accuracyWeight(1).build();
        assertFalse(accMinusKl.minimize());
        assertEquals(0.9 - 0.5 * 0.05, accMinusKl.score(REPORT, 0.9, NaN).score(), 1e-15);

        InvarianceScore klPlusLoss = InvarianceScore.builder().metric(PredictionInvariance.KEY).metricWeight(2)
                .lossWeight(1).build();
        assertTrue(klPlusLoss.minimize());
        assertEquals(2 * 0.05 + 0.7, klPlusLoss.score(REPORT, NaN, 0.7).score(), 1e-15);

        // A higher-is-better metric with the loss: maximize accuracy − loss, never accuracy + loss.
        InvarianceScore accMinusLoss = InvarianceScore.builder().metric(OrbitConsistency.ACCURACY_KEY).lossWeight(0.5)
                .build();
        assertFalse(accMinusLoss.minimize());
        assertEquals(0.625 - 0.5 * 0.7, accMinusLoss.score(REPORT, NaN, 0.7).score(), 1e-15);
        assertEquals("maximize accuracy@output - 0.5·loss", accMinusLoss.describe("accuracy@output"));

        InvarianceScore lossOnly = InvarianceScore.builder().metric(CosineSimilarityRatio.KEY).metricWeight(0)
                .lossWeight(1).build();
        assertFalse(lossOnly.readsMetric());
        assertTrue(lossOnly.minimize());
        InvarianceScore.Result r = lossOnly.score(null, NaN, 0.7);
        assertEquals(0.7, r.score(), 0.0);
        assertNull(r.layer());
    }

    @Test
    void aModelMissingTheBoundRanksBelowEveryModelMeetingIt() {
        InvarianceScore.Builder accuracy = InvarianceScore.builder().metric(PredictionInvariance.KEY).metricWeight(0)
                .accuracyWeight(1);
        InvarianceScore.Result met = accuracy.requireMetricAtMost(0.1).build().score(REPORT, 0.9, NaN);
        assertTrue(met.feasible());
        assertEquals(0.9, met.score(), 0.0);
        assertEquals(0.05, met.metric(), 0.0);
        InvarianceScore.Result missed = accuracy.requireMetricAtMost(0.01).build().score(REPORT, 0.9, NaN);
        assertFalse(missed.feasible());
        assertEquals(-(InvarianceScore.INFEASIBLE_OFFSET + 0.04), missed.score(), 1e-9);

        InvarianceScore minimized = InvarianceScore.builder().metric(InvarianceDeviation.KEY).layer("conv")
                .requireMetricAtMost(0.35).build();
        assertEquals(InvarianceScore.INFEASIBLE_OFFSET + 0.05, minimized.score(REPORT, NaN, NaN).score(), 1e-9);
        InvarianceScore atLeast = InvarianceScore.builder().metric(CosineSimilarityRatio.KEY).requireMetricAtLeast(2)
                .build();
        assertEquals(-(InvarianceScore.INFEASIBLE_OFFSET + 0.75), atLeast.score(REPORT, NaN, NaN).score(), 1e-9);
    }

    @Test
    void theLayerIsTheGivenOneElseTheDeepestWithAnApplicableValue() {
        InvarianceScore eq = InvarianceScore.builder().metric(EquivarianceDeviation.KEY).build();
        assertEquals(new InvarianceScore.Reading("conv", 0.2), eq.read(REPORT));

        IllegalArgumentException atOutput = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScore.builder().metric(EquivarianceDeviation.KEY).layer("output").build().read(REPORT));
        assertTrue(atOutput.getMessage().contains("'output'") && atOutput.getMessage().contains("no field type"),
                atOutput.getMessage());
        IllegalArgumentException nowhere = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScore.builder().metric(LieDerivative.ROTATION_KEY).build().read(REPORT));
        assertTrue(nowhere.getMessage().contains("'lieDerivative'"), nowhere.getMessage());
        IllegalArgumentException noLayer = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScore.builder().metric(InvarianceDeviation.KEY).layer("dense").build().read(REPORT));
        assertTrue(noLayer.getMessage().contains("'dense'"), noLayer.getMessage());
    }

    @Test
    void badSettingsAreRejectedNamingThem() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScore.builder().metric("nonsense"));
        assertTrue(unknown.getMessage().contains("'nonsense'") && unknown.getMessage().contains("invariance.normalized"),
                unknown.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScore.builder().metricWeight(-1));
        assertTrue(negative.getMessage().contains("metricWeight") && negative.getMessage().contains("-1"),
                negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InvarianceScore.builder().lossWeight(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> InvarianceScore.builder().layer(" "));
        assertThrows(IllegalArgumentException.class, () -> InvarianceScore.builder().requireMetricAtMost(Double.NaN));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScore.builder().build());
        assertTrue(none.getMessage().contains("metric"), none.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScore.builder().metric(InvarianceDeviation.KEY).metricWeight(0).build());
        assertTrue(zero.getMessage().contains("metricWeight"), zero.getMessage());
        IllegalArgumentException bounds = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScore.builder().metric(InvarianceDeviation.KEY).requireMetricAtLeast(2)
                        .requireMetricAtMost(1).build());
        assertTrue(bounds.getMessage().contains("requireMetricAtLeast(2.0)"), bounds.getMessage());
    }
}
