package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Test 4 of issue 3: multiplying a layer's activations by a constant (here: its weights and bias
 * by 7, with an identity activation) leaves normalized values unchanged for COSINE and L2.
 */
class NormalizationTest {

    @ParameterizedTest
    @EnumSource(value = Distance.class, names = {"COSINE", "L2"})
    void normalizedValuesIgnoreTheScaleOfActivations(Distance distance) {
        MultiLayerNetwork plain = TestNetworks.linearConv(5);
        MultiLayerNetwork scaled = TestNetworks.linearConv(5);
        scaled.getLayer("conv").setParam("W", plain.getLayer("conv").getParam("W").mul(7));
        scaled.getLayer("conv").setParam("b", plain.getLayer("conv").getParam("b").mul(7));
        InvarianceEvaluator ev = InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.d4()))
                .distance(distance)
                .layers("conv")
                .maxExamples(96)
                .build();
        InvarianceReport a = ev.evaluate(plain, Datasets.mnist().iterator(32, 0, 96));
        InvarianceReport b = ev.evaluate(scaled, Datasets.mnist().iterator(32, 0, 96));
        for (String key : new String[] {MetricKeys.INVARIANCE_NORMALIZED, MetricKeys.EQUIVARIANCE_NORMALIZED}) {
            assertEquals(a.get("conv", key).mean(), b.get("conv", key).mean(), 1e-6, key);
        }
        double factor = distance == Distance.L2 ? 7 : 1;      // the raw L2 value does scale: the test can fail
        assertEquals(factor * a.get("conv", MetricKeys.INVARIANCE).mean(), b.get("conv", MetricKeys.INVARIANCE).mean(),
                1e-6 * factor * a.get("conv", MetricKeys.INVARIANCE).mean());
    }
}
