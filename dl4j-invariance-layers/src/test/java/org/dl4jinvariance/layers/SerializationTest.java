package org.dl4jinvariance.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.EquivariantTestNetworks;
import org.dl4jinvariance.testing.TestData;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Issue test 3: JSON and ModelSerializer round trips of MultiLayerNetwork and ComputationGraph
 * holding every equivariant layer give equal configurations, identical outputs, and training
 * that continues exactly as it would have without the round trip (updater state included).
 */
class SerializationTest {

    private static final DataSet BATCH = TestData.mnistExamples(0, 16);

    private static DataSet flat() {
        return new DataSet(BATCH.getFeatures().reshape(16, 784), BATCH.getLabels());
    }

    @Test
    void multiLayerNetworkJsonRoundTripGivesAnEqualConfigurationAndEqualOutputs() {
        MultiLayerConfiguration conf = EquivariantTestNetworks.everyLayerFlatInput(Groups.d4(), 5);
        String json = conf.toJson();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, back);
        assertEquals(json, back.toJson());
        assertTrue(json.contains("\"groupName\" : \"D4\""), "group stored by name");
        MultiLayerNetwork a = TestNetworks.init(conf);
        MultiLayerNetwork b = TestNetworks.init(back);
        b.setParams(a.params());
        assertEquals(a.output(flat().getFeatures()), b.output(flat().getFeatures()));
    }

    @Test
    void multiLayerNetworkModelSerializerRoundTripAndTrainingContinues() throws IOException {
        MultiLayerNetwork net = TestNetworks.init(EquivariantTestNetworks.everyLayerFlatInput(Groups.c4(), 5));
        DataSet ds = flat();
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);

        assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(net.params(), restored.params());
        assertEquals(net.output(ds.getFeatures()), restored.output(ds.getFeatures()));

        double before = restored.score(ds);
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
            restored.fit(ds);
        }
        assertEquals(net.params(), restored.params(), "restored network trains exactly like the original");
        assertTrue(restored.score(ds) < before, "training continues after restore: " + before + " -> " + restored.score(ds));
    }

    @Test
    void computationGraphJsonAndModelSerializerRoundTripsKeepOutputsAndTrainingContinues() throws IOException {
        ComputationGraphConfiguration conf = EquivariantTestNetworks.everyLayerGraph(Groups.d4(), 6);
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);

        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        for (int i = 0; i < 3; i++) {
            net.fit(BATCH);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertEquals(net.getConfiguration(), restored.getConfiguration());
        assertEquals(net.outputSingle(BATCH.getFeatures()), restored.outputSingle(BATCH.getFeatures()));

        double before = restored.score(BATCH);
        for (int i = 0; i < 3; i++) {
            net.fit(BATCH);
            restored.fit(BATCH);
        }
        assertEquals(net.params(), restored.params(), "restored graph trains exactly like the original");
        assertNotEquals(before, restored.score(BATCH));
        assertTrue(restored.score(BATCH) < before, "training continues after restore");
    }

    /** DL4J's own tooling reads the layers like built-in ones: summary, memory report, parameter counts. */
    @Test
    void dl4jSummaryMemoryReportAndParameterCountsReadTheLayersLikeBuiltInOnes() {
        MultiLayerConfiguration conf = EquivariantTestNetworks.everyLayerFlatInput(Groups.c4(), 5);
        MultiLayerNetwork net = TestNetworks.init(conf);
        String summary = net.summary();
        assertTrue(summary.contains("gconv (ExpandedConvolutionLayer)") && summary.contains("W:{2,3,4,3,3}")
                && summary.contains("gpool (GroupPoolingLayer)"), summary);
        assertTrue(conf.getMemoryReport(InputType.convolutionalFlat(28, 28, 1)).getTotalMemoryBytes(16,
                org.deeplearning4j.nn.conf.memory.MemoryUseMode.TRAINING,
                org.deeplearning4j.nn.conf.CacheMode.NONE) > 0);
        // lift: 3 fields × 1 channel × 5×5 + 3 biases; gbn: 4 × 3; gconv: 2 × 3 × |C4| × 3×3, no bias; out: 2×10 + 10
        assertEquals(3 * 25 + 3, net.getLayer(0).numParams());
        assertEquals(12, net.getLayer(1).numParams());
        assertEquals(2 * 3 * 4 * 9, net.getLayer(2).numParams());
        assertEquals(2 * 10 + 10, net.getLayer(5).numParams());
    }
}
