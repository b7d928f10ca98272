package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
