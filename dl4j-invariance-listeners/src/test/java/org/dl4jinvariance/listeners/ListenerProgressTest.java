package org.dl4jinvariance.listeners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.metric.EvaluationProgress;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.testing.TestData;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;

/**
 * The listener's {@link EvaluationProgress}: told each data set's name and epoch, never able
 * to break training or change a record.
 */
class ListenerProgressTest {

    @Test
    void theCallbackIsToldEachDataSetAndEpochWithCountsEndingAtTheTotal() {
        List<EvaluationProgress.Update> updates = new ArrayList<>();
        InvarianceListener listener = InvarianceListenerTest.listener().progress(updates::add).build();
        MultiLayerNetwork net = TestNetworks.tinyCnn(5, 1e-3, false);
        listener.evaluateNow(net);
        net.addListeners(listener);
        net.fit(TestData.mnistTraining128(), 1);

        List<String> finished = updates.stream().filter(EvaluationProgress.Update::finished)
                .map(u -> u.epoch().orElse(-1) + ":" + u.dataSet() + ":" + u.examplesDone()).toList();
        assertEquals(List.of("0:heldOut:48", "0:ood:48", "1:heldOut:48", "1:ood:48"), finished);
        assertEquals(new EvaluationProgress.Update("heldOut", OptionalInt.of(0), 0, 48), updates.get(0),
                "the first call comes before any chunk is measured");
    }

    @Test
    void aThrowingCallbackBreaksNeitherTrainingNorTheRecords() {
        MultiLayerNetwork quiet = TestNetworks.tinyCnn(6, 1e-3, true);
        InvarianceListener without = InvarianceListenerTest.listener().build();
        quiet.addListeners(without);
        quiet.fit(TestData.mnistTraining128(), 1);

        int[] calls = {0};
        MultiLayerNetwork noisy = TestNetworks.tinyCnn(6, 1e-3, true);
        InvarianceListener with = InvarianceListenerTest.listener().progress(u -> {
            calls[0]++;
            throw new IllegalStateException("the progress bar's terminal is closed");
        }).build();
        noisy.addListeners(with);
        noisy.fit(TestData.mnistTraining128(), 1);

        assertEquals(quiet.params(), noisy.params(), "training is unchanged");
        assertEquals(2, calls[0], "dropped after its first throw in the evaluation of each data set");
        assertFalse(with.history().stream().anyMatch(EpochReport::failed), "no failure record");
        List<InvarianceReport> a = without.history().stream().map(EpochReport::report).toList();
        List<InvarianceReport> b = with.history().stream().map(EpochReport::report).toList();
        assertEquals(a, b, "the same reports");
        assertTrue(with.settings(noisy).values().keySet().stream().noneMatch(k -> k.contains("progress")),
                "a progress callback is no setting of the run");
    }
}
