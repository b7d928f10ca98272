package org.dl4jinvariance.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.listeners.report.Reporter;
import org.dl4jinvariance.listeners.report.RunSettings;
import org.dl4jinvariance.listeners.report.StatsStorageReporter;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricValue;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** {@link SessionData} from hand-made records: no training, no server. */
class SessionDataTest {

    static MetricValue value(double mean) {
        return new MetricValue(mean, mean - 0.1, mean + 0.1, 10, null, null, null);
    }

    /** Layers a, b; metric invariance everywhere, consistency at b only (like an output-only key). */
    static InvarianceReport report(double invarianceAtA) {
        Map<String, Map<String, MetricValue>> values = new LinkedHashMap<>();
        Map<String, MetricValue> a = new LinkedHashMap<>();
        a.put("invariance", value(invarianceAtA));
        a.put("equivariance", MetricValue.notApplicable("no field type at a"));
        values.put("a", a);
        Map<String, MetricValue> b = new LinkedHashMap<>();
        b.put("invariance", value(0.5));
        b.put("consistency", value(0.9));
        values.put("b", b);
        return new InvarianceReport(values, Map.of());
    }

    static Reporter started(InMemoryStatsStorage storage, String session, String worker, String run) throws Exception {
        Reporter r = new StatsStorageReporter(storage, session, worker);
        r.start(new RunSettings(run, List.of("heldOut"), Map.of("group", "C4")));
        return r;
    }

    @Test
    void keepsNonFiniteValuesReasonsAndFailuresAndLetsALaterRecordWin() throws Exception {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        Reporter r = started(storage, "s", "w", "run-1");
        r.record(EpochReport.of(1, "heldOut", report(0.3), 5));
        r.record(EpochReport.of(2, "heldOut", report(Double.NaN), 5));
        r.record(EpochReport.evaluationFailed(3, "heldOut", new IllegalStateException("boom"), 1));
        r.record(EpochReport.of(1, "heldOut", report(0.25), 5)); // epoch 1 again: the later record wins

        SessionData data = SessionData.read(storage, "s");
        assertEquals("run-1", data.runId());
        assertEquals(Map.of("group", "C4"), data.settings());
        assertEquals(List.of("a", "b"), data.layers());
        assertEquals(List.of(1, 2, 3), data.epochs());
        assertEquals(List.of("invariance", "equivariance", "consistency"),
                data.metrics().stream().map(MetricLabel::key).toList());

        SessionData.Series atA = data.series().stream()
                .filter(s -> s.layer().equals("a") && s.metric().equals("invariance")).findFirst().orElseThrow();
        assertEquals(List.of(1, 2), atA.points().stream().map(SessionData.Point::epoch).toList());
        assertEquals(0.25, atA.points().get(0).value().mean(), 0.0);
        assertTrue(Double.isNaN(atA.points().get(1).value().mean()), "NaN kept as NaN");
        assertTrue(data.series().stream().noneMatch(s -> s.layer().equals("a") && s.metric().equals("consistency")),
                "no series where a metric is not reported");
        SessionData.Series equivariance = data.series().stream()
                .filter(s -> s.metric().equals("equivariance")).findFirst().orElseThrow();
        assertEquals("no field type at a", equivariance.points().get(0).value().notApplicable());

        assertEquals(List.of(new SessionData.Failure(3, "heldOut", "java.lang.IllegalStateException: boom")),
                data.failures());
        SessionData.Profile profile = data.profiles().stream().filter(p -> p.metric().equals("invariance"))
                .findFirst().orElseThrow();
        assertEquals(2, profile.epoch(), "the last epoch with a report");
        assertEquals(List.of("a", "b"), profile.layers().stream().map(SessionData.LayerValue::layer).toList());

        String json = new ObjectMapper().writeValueAsString(data);
        assertTrue(json.contains("\"mean\":\"NaN\""), "NaN written as the string \"NaN\", which JSON.parse accepts: " + json);
    }

    @Test
    void recordsOfTwoWorkersInOneSessionAreNotMergedIntoOneCurve() throws Exception {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        Reporter first = started(storage, "s", "w1", "run-1");
        Reporter second = started(storage, "s", "w2", "run-2");
        first.record(EpochReport.of(1, "heldOut", report(0.1), 5));
        second.record(EpochReport.of(1, "heldOut", report(0.2), 5));

        SessionData data = SessionData.read(storage, "s");
        assertEquals(List.of("w1/heldOut", "w2/heldOut"), data.dataSets());
        double w1 = data.series().stream().filter(s -> s.dataSet().equals("w1/heldOut") && s.layer().equals("a")
                && s.metric().equals("invariance")).findFirst().orElseThrow().points().get(0).value().mean();
        assertEquals(0.1, w1, 0.0);
    }
}
