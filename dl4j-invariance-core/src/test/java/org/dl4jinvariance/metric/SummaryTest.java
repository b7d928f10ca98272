package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Test 5 of issue 3: every value summarizes exactly the evaluated examples — n is their number
 * (across several chunks and a partial last mini-batch), the bootstrap CI contains the mean, and
 * the per-class counts sum to n.
 */
class SummaryTest {

    @Test
    void nCountsExamplesCiContainsTheMeanPerClassCountsSumToN() {
        InvarianceReport r = InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.c4()))
                .maxExamples(137)
                .maxBatch(200)                      // 50 examples per forward pass: 3 chunks
                .seed(99)
                .build()
                .evaluate(TestNetworks.smallCnn(2, DataType.FLOAT), Datasets.mnist().iterator(64, 100, 500));
        assertEquals("137", r.settings().get("n"));
        int checked = 0;
        for (String layer : r.layers()) {
            for (Map.Entry<String, MetricValue> e : r.values().get(layer).entrySet()) {
                MetricValue v = e.getValue();
                if (!v.isApplicable()) {
                    continue;
                }
                String what = layer + " " + e.getKey() + " " + v;
                assertEquals(137, v.n(), what);
                assertTrue(v.ciLow() <= v.mean() && v.mean() <= v.ciHigh(), what);
                assertEquals(137, v.perClassCount().values().stream().mapToInt(Integer::intValue).sum(), what);
                assertEquals(10, v.perClass().size(), what);
                checked++;
            }
        }
        assertTrue(checked >= 5 * 3 + 4, "applicable values checked: " + checked);
        assertEquals(r, InvarianceReport.fromJson(r.toJson()), "JSON round trip");
        assertTrue(r.toString().contains(MetricKeys.INVARIANCE_NORMALIZED), r.toString());
    }
}
