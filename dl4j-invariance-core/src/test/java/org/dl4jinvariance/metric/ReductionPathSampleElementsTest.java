package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link EvaluatorSettings#reduction(ReductionPath)} with {@link EvaluatorSettings#sampleElements(int)}:
 * only the Java reduction handles per-example sampled elements, so AUTO takes it and ND4J is
 * refused when the evaluator is built; whole orbits (k = |G|) still run on ND4J.
 */
class ReductionPathSampleElementsTest {

    private static final int N = 40;
    private static MultiLayerNetwork net;

    @BeforeAll
    static void network() {
        net = TestNetworks.smallCnn(11, DataType.FLOAT);
    }

    private static InvarianceEvaluator.Builder builder(PlanarGroup g, ReductionPath path, int k) {
        InvarianceEvaluator.Builder b = InvarianceEvaluator.builder().inputAction(ImageActions.rotation(g)).maxExamples(N)
                .reduction(path);
        if (k > 0) {
            b.sampleElements(k);
        }
        return b;
    }

    private static InvarianceReport evaluate(InvarianceEvaluator e) {
        return e.evaluate(net, Datasets.mnist().iterator(20, 0, N));
    }

    @Test
    void nd4jWithSampledElementsIsRefusedAtBuildNamingBothSettings() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> builder(Groups.byName("C8"), ReductionPath.ND4J, 4).build());
        assertTrue(ex.getMessage().contains("sampleElements(4)"), ex.getMessage());
        assertTrue(ex.getMessage().contains("reduction(ND4J)"), ex.getMessage());
    }

    @Test
    void autoWithSampledElementsRunsTheJavaReductionAndMatchesIt() {
        InvarianceReport auto = evaluate(builder(Groups.byName("C8"), ReductionPath.AUTO, 4).build());
        InvarianceReport java = evaluate(builder(Groups.byName("C8"), ReductionPath.JAVA, 4).build());
        assertEquals("JAVA", auto.settings().get("reduction"));
        assertTrue(auto.settings().get("sampleElements").startsWith("4 of 8"), auto.settings().toString());
        assertEquals(java, auto);
    }

    @Test
    void nd4jWithTheWholeGroupAsSampleRunsOnNd4jAndMatchesJava() {
        InvarianceReport nd4j = evaluate(builder(Groups.c4(), ReductionPath.ND4J, 4).build());
        InvarianceReport java = evaluate(builder(Groups.c4(), ReductionPath.JAVA, 0).build());
        assertEquals("ND4J", nd4j.settings().get("reduction"));
        for (String layer : java.layers()) {
            java.values().get(layer).forEach((key, v) -> {
                MetricValue w = nd4j.get(layer, key);
                if (Double.isNaN(v.mean())) {
                    assertTrue(Double.isNaN(w.mean()), layer + " " + key);
                } else {
                    assertEquals(v.mean(), w.mean(), 1e-6, layer + " " + key);
                }
            });
        }
    }

    @Test
    void withoutLabelMetricsKeepsTheReductionAndTheSampling() {
        InvarianceEvaluator e = builder(Groups.byName("C8"), ReductionPath.JAVA, 4).build().withoutLabelMetrics();
        InvarianceReport r = evaluate(e);
        assertEquals("JAVA", r.settings().get("reduction"));
        assertTrue(r.settings().get("sampleElements").startsWith("4 of 8"), r.settings().toString());
        InvarianceReport nd4j = evaluate(builder(Groups.c4(), ReductionPath.ND4J, 0).build().withoutLabelMetrics());
        assertEquals("ND4J", nd4j.settings().get("reduction"));
    }
}
