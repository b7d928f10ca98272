package org.dl4jinvariance.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.serde.jackson.JsonMapper;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.Precision;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;

/** The score function passes {@code targetPrecision} to its evaluator and keeps it through Arbiter's JSON. */
class TargetPrecisionScoreFunctionTest {

    @Test
    void scoresFromAReportMadeToTheTargetPrecisionAndKeepsItInJson() throws Exception {
        InvarianceScoreFunction fn = InvarianceScoreFunction.builder().metric(MetricKeys.INVARIANCE_NORMALIZED)
                .layer("conv1").maxExamples(400).targetPrecision(0.2).seed(4).build();
        ScoreBreakdown b = fn.breakdown(TestNetworks.smallCnn(7, org.nd4j.linalg.api.buffer.DataType.FLOAT),
                Datasets.mnist().iterator(100, 9_000, 400));
        Precision p = b.report().precision().orElseThrow();
        assertEquals(0.2, p.target());
        assertTrue(p.met() && p.n() < 400, "a loose target stops before maxExamples: " + p);
        assertEquals(b.report().get("conv1", MetricKeys.INVARIANCE_NORMALIZED).mean(), b.metricValue(), 0.0);

        String json = JsonMapper.getMapper().writeValueAsString(fn);
        ScoreFunction back = JsonMapper.getMapper().readValue(json, ScoreFunction.class);
        assertEquals(fn, back);
        assertTrue(json.contains("targetPrecision"), json);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InvarianceScoreFunction.builder().targetPrecision(-1));
        assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
    }
}
