package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Test 7 of issue 3: the same network as MultiLayerNetwork and as ComputationGraph gives the same report. */
class GraphEquivalenceTest {

    @Test
    void multiLayerNetworkAndComputationGraphAgree() {
        MultiLayerNetwork net = TestNetworks.smallCnn(4, DataType.DOUBLE);
        ComputationGraph graph = TestNetworks.smallCnnGraph(4, DataType.DOUBLE);
        graph.setParams(net.params());
        InvarianceEvaluator ev = InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.d4()))
                .maxExamples(64)
                .build();
        InvarianceReport a = ev.evaluate(net, Datasets.mnist().iterator(32, 0, 64));
        InvarianceReport b = ev.evaluate(graph, Datasets.mnist().iterator(32, 0, 64));
        assertEquals(a.layers(), b.layers());
        assertEquals(a.metrics(), b.metrics());
        for (String layer : a.layers()) {
            for (Map.Entry<String, MetricValue> e : a.values().get(layer).entrySet()) {
                MetricValue x = e.getValue();
                MetricValue y = b.get(layer, e.getKey());
                assertEquals(x.isApplicable(), y.isApplicable(), layer + " " + e.getKey());
                if (x.isApplicable()) {
                    assertEquals(x.mean(), y.mean(), 1e-9, layer + " " + e.getKey());
                    assertEquals(x.ciHigh(), y.ciHigh(), 1e-9, layer + " " + e.getKey());
                }
            }
        }
    }
}
