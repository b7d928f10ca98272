package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.probe.ModelProbe;
import org.dl4jinvariance.testing.TestData;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Per-channel invariance: hand-computed values, n/a at dense layers, off by default, no extra forward pass. */
class ChannelInvarianceTest {

    private static final int N = 6;

    @Test
    void eachChannelsValueIsTheInvarianceFormulaOnThatChannelsMap() {
        MultiLayerNetwork net = TestNetworks.tinyCnn(3, 1e-3, false);
        GroupAction c4 = ImageActions.rotation(Groups.c4());
        DataSet data = TestData.mnistExamples(0, N);
        InvarianceReport report = InvarianceEvaluator.builder().inputAction(c4).layers("conv", "dense")
                .metrics(new ChannelInvariance()).maxExamples(N).build()
                .evaluate(net, new ListDataSetIterator<>(data.asList(), N));

        MetricValue conv = report.get("conv", ChannelInvariance.KEY);
        assertEquals(4, conv.perChannel().size(), "one value per channel of conv");
        // By hand: channel c of f(g·x) for each g, its centroid, the mean cosine distance to it.
        INDArray x = data.getFeatures();
        double overall = 0;
        for (int c = 0; c < 4; c++) {
            double sum = 0;
            for (int b = 0; b < N; b++) {
                double[][] maps = new double[4][];
                for (int g = 0; g < 4; g++) {
                    INDArray moved = c4.apply(g, x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b, b + 1)));
                    INDArray act = net.feedForward(moved, false).get(1);     // activations of conv
                    maps[g] = act.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(c)).dup().reshape(-1).toDoubleVector();
                }
                sum += Centroids.meanDistance(Distance.COSINE, maps);
            }
            double expected = sum / N;
            assertEquals(expected, conv.perChannel().get(c), 1e-5, "channel " + c);
            overall += expected;
        }
        assertEquals(overall / 4, conv.mean(), 1e-5, "the value is the mean over channels");
        assertFalse(report.get("dense", ChannelInvariance.KEY).isApplicable(), "dense units have no map");
        assertTrue(InvarianceReport.fromJson(report.toJson()).equals(report), "per-channel means survive JSON");
    }

    @Test
    void offByDefaultAndNoExtraForwardPass() {
        MultiLayerNetwork net = TestNetworks.tinyCnn(3, 1e-3, false);
        GroupAction c4 = ImageActions.rotation(Groups.c4());
        DataSet data = TestData.mnistExamples(0, N);
        InvarianceReport defaults = InvarianceEvaluator.builder().inputAction(c4).maxExamples(N).build()
                .evaluate(net, new ListDataSetIterator<>(data.asList(), N));
        assertFalse(defaults.metrics().contains(ChannelInvariance.KEY.name()));

        ModelProbe without = ModelProbe.of(net);
        InvarianceEvaluator.builder().inputAction(c4).maxExamples(N).build()
                .evaluate(without, new ListDataSetIterator<>(data.asList(), N));
        ModelProbe with = ModelProbe.of(net);
        List<OrbitMetric> metrics = new java.util.ArrayList<>(InvarianceEvaluator.defaultMetrics(Distance.COSINE));
        metrics.add(new ChannelInvariance());
        InvarianceEvaluator.builder().inputAction(c4).metrics(metrics).maxExamples(N).build()
                .evaluate(with, new ListDataSetIterator<>(data.asList(), N));
        assertEquals(without.forwardPasses(), with.forwardPasses(), "the channel values come from the same pass");
    }
}
