package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class SampleElementsTest {

    private static MultiLayerNetwork net;

    @BeforeAll
    static void network() {
        net = TestNetworks.smallCnn(11, DataType.FLOAT);
    }

    private static InvarianceReport evaluate(PlanarGroup g, int k, int n) {
        InvarianceEvaluator.Builder b = InvarianceEvaluator.builder().inputAction(ImageActions.rotation(g)).maxExamples(n);
        if (k > 0) {
            b.sampleElements(k);
        }
        return b.build().evaluate(net, Datasets.mnist().iterator(100, 0, n));
    }

    @Test
    void explore() {
        for (PlanarGroup g : new PlanarGroup[] {Groups.byName("C8"), Groups.byName("C16")}) {
            long t = System.nanoTime();
            InvarianceReport full = evaluate(g, 0, 300);
            long t1 = System.nanoTime();
            InvarianceReport s = evaluate(g, 4, 300);
            long t2 = System.nanoTime();
            System.out.println(g.name() + " full ms " + (t1 - t) / 1e6 + " sampled ms " + (t2 - t1) / 1e6);
            for (String l : full.layers()) {
                for (Map.Entry<String, MetricValue> e : full.values().get(l).entrySet()) {
                    MetricValue sv = s.get(l, e.getKey());
                    boolean in = sv.isApplicable() && e.getValue().mean() >= sv.ciLow() && e.getValue().mean() <= sv.ciHigh();
                    System.out.println("  " + l + " " + e.getKey() + " full " + e.getValue() + " sampled " + sv + (in ? "" : "  MISS"));
                }
            }
        }
    }
}
