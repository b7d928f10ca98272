package org.dl4jinvariance.listeners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.data.ImageFolder;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.testing.ImageFiles;
import org.dl4jinvariance.testing.TestData;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder of images as an out-of-distribution set is one line in the listener's builder. */
class ImageFolderListenerTest {

    @Test
    void anUnlabelledImageFolderIsMeasuredEveryEpochWithoutLabelMetrics(@TempDir Path dir) {
        ImageFiles.writeFlat(dir, Datasets.fashionMnist(), 0, 48, "png");
        MultiLayerNetwork net = TestNetworks.tinyCnn(5, 3e-3, false);
        InvarianceListener listener = InvarianceListener.builder()
                .inputAction(ImageActions.rotation(Groups.c4()))
                .evaluate("ood", ImageFolder.of(dir).size(28, 28, 1).build())
                .build();
        net.addListeners(listener);
        net.fit(TestData.mnistTraining128(), 2);

        Map<Integer, InvarianceReport> ood = listener.history("ood");
        assertEquals(2, ood.size(), "one report per epoch: " + ood.keySet());
        InvarianceReport last = ood.get(2);
        assertEquals("48", last.settings().get("n"));
        assertTrue(last.has("output", MetricKeys.PREDICTION_KL));
        assertFalse(last.has("output", MetricKeys.ACCURACY), "an unlabelled folder has no accuracy");
    }
}
