package org.dl4jinvariance.listeners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.metric.Precision;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;

/** The listener evaluates each data set to its {@code targetPrecision} and says so in its settings. */
class TargetPrecisionListenerTest {

    @Test
    void everyEpochReportIsMadeToTheTargetPrecision() {
        InvarianceListener listener = InvarianceListener.builder()
                .inputAction(ImageActions.rotation(Groups.c4()))
                .layers("conv", "output")
                .evaluate("heldOut", Datasets.mnist().iterator(100, 8_000, 400))
                .maxExamples(400)
                .targetPrecision(0.2)
                .reportTo()
                .build();
        MultiLayerNetwork net = TestNetworks.tinyCnn(1, 1e-3, false);
        List<EpochReport> reports = listener.evaluateNow(net);
        assertEquals(1, reports.size());
        assertFalse(reports.get(0).failed(), reports.get(0).failure());
        Precision p = reports.get(0).report().precision().orElseThrow();
        assertEquals(0.2, p.target());
        assertTrue(p.met() && p.largestHalfWidth() <= 0.2 && p.n() < 400, "a loose target stops early: " + p);
        assertEquals(0.2, listener.evaluator().targetPrecision().orElseThrow());
        assertEquals("0.2", listener.settings(null).values().get("targetPrecision"));
    }
}
