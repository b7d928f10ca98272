package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.probe.ModelProbe;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * An evaluator remembers its last sizing pass ({@link MemoryBudget.SizingMemo}): measuring the same model on
 * inputs of the same shape again (a listener's every epoch) skips that forward pass and gives
 * the same report; another model object is measured afresh.
 */
class SizingMemoTest {

    private static final int N = 24;

    private static InvarianceEvaluator c4() {
        return InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4())).maxExamples(N).build();
    }

    @Test
    void aSecondEvaluationOfTheSameModelSkipsTheSizingPassAndReportsTheSame() {
        InvarianceEvaluator evaluator = c4();
        ModelProbe probe = ModelProbe.of(TestNetworks.smallCnn(3, DataType.FLOAT));
        InvarianceReport first = evaluator.evaluate(probe, Datasets.mnist().iterator(8, 0, N));
        long firstPasses = probe.forwardPasses();
        InvarianceReport second = evaluator.evaluate(probe, Datasets.mnist().iterator(8, 0, N));
        assertEquals(firstPasses - 1, probe.forwardPasses() - firstPasses, "every pass again but the sizing pass");
        assertEquals(first, second);
        // a copy with progress (as the listener makes every epoch) shares what was measured
        evaluator.withProgress(EvaluationProgress.NONE).evaluate(probe, Datasets.mnist().iterator(8, 0, N));
        assertEquals(3 * firstPasses - 2, probe.forwardPasses());
    }

    @Test
    void anotherModelObjectIsSizedAgain() {
        InvarianceEvaluator evaluator = c4();
        MultiLayerNetwork net = TestNetworks.smallCnn(3, DataType.FLOAT);
        ModelProbe probe = ModelProbe.of(net);
        evaluator.evaluate(probe, Datasets.mnist().iterator(8, 0, N));
        long passes = probe.forwardPasses();
        ModelProbe clone = ModelProbe.of(net.clone());
        InvarianceReport cloned = evaluator.evaluate(clone, Datasets.mnist().iterator(8, 0, N));
        assertEquals(passes, clone.forwardPasses(), "the sizing pass ran for the other model");
        assertEquals(c4().evaluate(ModelProbe.of(net), Datasets.mnist().iterator(8, 0, N)), cloned);
    }
}
