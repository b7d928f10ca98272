package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class InvarianceReportTest {

    @Test
    void metricValueSummarizesPerExampleValuesWithABootstrapCi() {
        double[] values = new double[200];
        int[] classes = new int[200];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 10) / 10.0;
            classes[i] = i % 3;
        }
        MetricValue v = MetricValue.of(values, classes, 1);
        assertEquals(0.45, v.mean(), 1e-12);
        assertEquals(200, v.n());
        assertTrue(v.ciLow() <= v.mean() && v.mean() <= v.ciHigh());
        assertTrue(v.ciHigh() - v.ciLow() > 0.01 && v.ciHigh() - v.ciLow() < 0.2, v.toString());
        assertEquals(200, v.perClassCount().values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(v, MetricValue.of(values, classes, 1), "seeded bootstrap repeats");
        assertThrows(IllegalArgumentException.class, () -> MetricValue.of(new double[0], null, 1));
    }

    @Test
    void reportRoundTripsThroughJsonAndPrintsATable() {
        Map<String, Map<String, MetricValue>> values = new LinkedHashMap<>();
        values.put("conv1", Map.of("invariance", MetricValue.of(new double[] {0.1, 0.3, 0.2}, new int[] {0, 1, 1}, 3)));
        values.put("dense", Map.of("invariance", MetricValue.of(new double[] {0.5, 0.7}, null, 3),
                "equivariance", MetricValue.notApplicable("no field type")));
        InvarianceReport report = new InvarianceReport(values, Map.of("group", "C4"));
        InvarianceReport back = InvarianceReport.fromJson(report.toJson());
        assertEquals(report, back);
        assertEquals(List.of("conv1", "dense"), back.layers());
        assertFalse(back.get("dense", "equivariance").isApplicable());
        String table = report.toString();
        assertTrue(table.contains("conv1") && table.contains("0.2000 [") && table.contains("n/a"), table);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> report.get("nope", "invariance"));
        assertTrue(e.getMessage().contains("nope"));
    }

    /**
     * conv1 → pool1 → conv2 → dense → output under C4: equivariance has a value at the spatial
     * layers only, so its deepest layer is conv2, not the output where it is "not applicable";
     * every-layer keys reach the output; a key no metric wrote has no layer.
     */
    @Test
    void deepestLayerWithIsTheDeepestLayerWhereTheKeyHasAnApplicableValue() {
        InvarianceReport r = InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4())).maxExamples(40)
                .build().evaluate(TestNetworks.smallCnn(11, DataType.FLOAT), Datasets.mnist().iterator(40, 0, 40));
        assertEquals(List.of("conv1", "pool1", "conv2", "dense", "output"), r.layers());
        assertFalse(r.get("output", EquivarianceDeviation.KEY).isApplicable());

        assertEquals(Optional.of("conv2"), r.deepestLayerWith(EquivarianceDeviation.KEY));
        assertEquals(Optional.of("conv2"), r.deepestLayerWith(MetricKeys.EQUIVARIANCE_NORMALIZED));
        assertEquals(Optional.of("output"), r.deepestLayerWith(InvarianceDeviation.NORMALIZED_KEY));
        assertEquals(Optional.of("output"), r.deepestLayerWith(PredictionInvariance.KEY));
        assertEquals(Optional.of("output"), r.deepestLayerWith(OrbitConsistency.accuracyKey("rot90")));
        assertEquals(Optional.empty(), r.deepestLayerWith(LieDerivative.ROTATION_KEY));
        assertEquals(r.get("dense", MetricKeys.INVARIANCE), r.get("dense", InvarianceDeviation.KEY));
    }
}
