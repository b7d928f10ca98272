package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link EvaluatorSettings#targetPrecision(double)}: examples are added in a seeded random order
 * until every reported 95% CI half-width is at most h, or maxExamples is reached.
 */
class TargetPrecisionTest {

    private static final int MAX = 1000;
    private static MultiLayerNetwork net;
    private static InvarianceReport full;

    @BeforeAll
    static void fullEvaluation() {
        net = TestNetworks.smallCnn(11, DataType.FLOAT);
        full = evaluator().build().evaluate(net, Datasets.mnist().iterator(250, 0, MAX));
    }

    private static InvarianceEvaluator.Builder evaluator() {
        return InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4())).maxExamples(MAX);
    }

    @Test
    void explore() {
        for (double h : new double[] {0.1, 0.01}) {
            for (long seed = 1; seed <= 2; seed++) {
                long t = System.nanoTime();
                InvarianceReport r = evaluator().seed(seed).targetPrecision(h).build().evaluate(net, Datasets.mnist().iterator(250, 0, MAX));
                int in = 0, all = 0;
                for (String l : r.layers()) {
                    for (Map.Entry<String, MetricValue> e : r.values().get(l).entrySet()) {
                        if (!e.getValue().isApplicable()) continue;
                        all++;
                        double m = full.get(l, e.getKey()).mean();
                        if (m >= e.getValue().ciLow() && m <= e.getValue().ciHigh()) in++;
                        else System.out.println("  miss " + l + " " + e.getKey() + " full " + full.get(l, e.getKey()) + " run " + e.getValue());
                    }
                }
                System.out.println("h=" + h + " seed=" + seed + " " + r.precision().orElseThrow() + " covered " + in + "/" + all
                        + " ms=" + (System.nanoTime() - t) / 1_000_000);
            }
        }
    }
}
