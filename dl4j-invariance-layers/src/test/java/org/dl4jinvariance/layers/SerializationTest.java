package org.dl4jinvariance.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Issue test 3: JSON and ModelSerializer round trips of MultiLayerNetwork and ComputationGraph
 * holding every equivariant layer give equal configurations, identical outputs, and training
 * that continues exactly as it would have without the round trip (updater state included).
 */
class SerializationTest {

    private static final DataSet BATCH = Datasets.mnist().slice(0, 16);

    private static MultiLayerConfiguration mlnConf(PlanarGroup g) {
        return new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(1e-2)).l2(1e-4).list()
                .layer(new LiftingConvolution.Builder().name("lift").group(g).nOut(3).kernelSize(5).stride(1)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build())
                .layer(new GroupBatchNormalization.Builder().name("gbn").group(g).decay(0.8).build())
                .layer(new GroupConvolution.Builder().name("gconv").group(g).nOut(2).kernelSize(3).padding(1)
                        .dilation(1).hasBias(false).activation(Activation.RELU).build())
                .layer(new GroupPooling.Builder().name("gpool").group(g).mode("mean").build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).build())
                .layer(new OutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build();
    }

    private static ComputationGraphConfiguration graphConf(PlanarGroup g) {
        return new NeuralNetConfiguration.Builder().seed(6).updater(new Adam(1e-2)).graphBuilder()
                .addInputs("in")
                .addLayer("lift", new LiftingConvolution.Builder().group(g).nOut(2).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), "in")
                .addLayer("gbn", new GroupBatchNormalization.Builder().group(g).build(), "lift")
                .addLayer("gconv", new GroupConvolution.Builder().group(g).nOut(2).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), "gbn")
                .addLayer("gpool", new GroupPooling.Builder().group(g).mode("max").build(), "gconv")
                .addLayer("global", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "gpool")
                .addLayer("out", new OutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build(), "global")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(28, 28, 1)).build();
    }

    private static DataSet flat() {
        return new DataSet(BATCH.getFeatures().reshape(16, 784), BATCH.getLabels());
    }

    @Test
    void multiLayerNetworkJsonRoundTrip() {
        MultiLayerConfiguration conf = mlnConf(Groups.d4());
        String json = conf.toJson();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, back);
        assertEquals(json, back.toJson());
        assertTrue(json.contains("\"groupName\" : \"D4\""), "group stored by name");
        MultiLayerNetwork a = Fixtures.init(conf);
        MultiLayerNetwork b = Fixtures.init(back);
        b.setParams(a.params());
        assertEquals(a.output(flat().getFeatures()), b.output(flat().getFeatures()));
    }

    @Test
    void multiLayerNetworkModelSerializerRoundTripAndTrainingContinues() throws IOException {
        MultiLayerNetwork net = Fixtures.init(mlnConf(Groups.c4()));
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
    void computationGraphJsonAndModelSerializerRoundTrips() throws IOException {
        ComputationGraphConfiguration conf = graphConf(Groups.d4());
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
}
