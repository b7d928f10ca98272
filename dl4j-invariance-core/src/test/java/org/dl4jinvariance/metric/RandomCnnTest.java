package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Test 3 of issue 3: a randomly initialised plain CNN is clearly not invariant to C4 on MNIST,
 * the trivial group gives exactly 0, and equivariance where no field type is known is "not
 * applicable" rather than an error or a made-up number.
 */
class RandomCnnTest {

    @Test
    void randomCnnIsNotInvariantAndDenseEquivarianceIsNotApplicable() {
        MultiLayerNetwork net = TestNetworks.smallCnn(11, DataType.FLOAT);
        InvarianceReport r = InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.c4()))
                .maxExamples(200)
                .build()
                .evaluate(net, Datasets.mnist().iterator(100, 0, 200));
        // Measured (seed 11, 200 examples): normalized invariance 1.121 [1.087, 1.156] at conv1 and
        // 1.138 [1.100, 1.176] at conv2 — rotated digits are as spread in feature space as different
        // digits; normalized spatial equivariance 0.739 (conv1) and 0.895 (conv2).
        for (String conv : List.of("conv1", "conv2")) {
            double normalized = r.get(conv, MetricKeys.INVARIANCE_NORMALIZED).mean();
            assertTrue(normalized > 0.5 && normalized < 2, conv + ": " + normalized);
            assertTrue(r.get(conv, MetricKeys.EQUIVARIANCE).isApplicable(), "plain conv maps have the spatial field");
        }
        for (String layer : List.of("dense", "output")) {
            MetricValue eq = r.get(layer, MetricKeys.EQUIVARIANCE);
            assertFalse(eq.isApplicable(), layer);
            assertNotNull(eq.notApplicable());
            assertTrue(eq.notApplicable().contains(layer), eq.notApplicable());
            assertFalse(r.get(layer, MetricKeys.EQUIVARIANCE_NORMALIZED).isApplicable());
        }
    }

    @Test
    void theTrivialGroupGivesExactlyZeroEverywhere() {
        MultiLayerNetwork net = TestNetworks.smallCnn(11, DataType.FLOAT);
        InvarianceReport r = InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.trivial()))
                .maxExamples(100)
                .build()
                .evaluate(net, Datasets.mnist().iterator(100, 0, 100));
        for (String layer : r.layers()) {
            for (String key : List.of(MetricKeys.INVARIANCE, MetricKeys.INVARIANCE_NORMALIZED)) {
                assertEquals(0.0, r.get(layer, key).mean(), layer + " " + key);
            }
        }
        for (String conv : List.of("conv1", "pool1", "conv2")) {
            assertEquals(0.0, r.get(conv, MetricKeys.EQUIVARIANCE).mean(), conv);
            assertEquals(0.0, r.get(conv, MetricKeys.EQUIVARIANCE_NORMALIZED).mean(), conv);
        }
        assertEquals(0.0, r.get("output", MetricKeys.PREDICTION_KL).mean());
        assertEquals(1.0, r.get("output", MetricKeys.CONSISTENCY).mean());
    }
}
