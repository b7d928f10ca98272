package org.dl4jinvariance.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.testing.TestData;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The probe sees what DL4J's own inference sees, in one forward pass for any number of layers,
 * and leaves the model exactly as it found it.
 */
class ModelProbeTest {

    private static final DataSet BATCH = TestData.mnistExamples(0, 24);

    @Test
    void activationsEqualFeedForwardForEveryLayer() {
        MultiLayerNetwork net = trainedNet();
        ModelProbe probe = ModelProbe.of(net);
        assertEquals(List.of("conv", "pool", "bn", "dense", "output"), probe.layerNames());
        Map<String, INDArray> acts = probe.activations(BATCH.getFeatures(), probe.layerNames());
        List<INDArray> expected = net.feedForward(BATCH.getFeatures(), false);
        for (int i = 0; i < probe.layerNames().size(); i++) {
            assertEquals(expected.get(i + 1), acts.get(probe.layerNames().get(i)), probe.layerNames().get(i));
        }
        assertEquals(net.output(BATCH.getFeatures(), false), acts.get("output"), "dropout off, BN running statistics");
        assertEquals(acts, probe.activations(BATCH.getFeatures(), probe.layerNames(), 7), "chunked to 7 rows");

        ComputationGraph graph = trainedGraph();
        ModelProbe graphProbe = ModelProbe.of(graph);
        Map<String, INDArray> graphActs = graphProbe.activations(BATCH.getFeatures(), graphProbe.layerNames());
        Map<String, INDArray> graphExpected = graph.feedForward(BATCH.getFeatures(), false);
        for (String layer : graphProbe.layerNames()) {
            assertEquals(graphExpected.get(layer), graphActs.get(layer), layer);
        }
    }

    @Test
    void layersAreKeyedByNameOrIndex() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).build())
                .layer(new OutputLayer.Builder().name("out").nOut(2).build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        ModelProbe probe = ModelProbe.of(net);
        assertEquals(List.of("0", "out"), probe.layerNames());
        assertEquals("0", probe.resolve("layer0"));
        assertEquals("out", probe.resolve("1"));
        assertEquals("out", probe.outputLayer());
    }

    @Test
    void probingNeverChangesTheNetwork() {
        MultiLayerNetwork net = trainedNet();
        INDArray outputBefore = net.output(BATCH.getFeatures(), false);   // output() itself stores its input
        INDArray storedInput = BATCH.getFeatures().dup();
        INDArray storedLabels = BATCH.getLabels().dup();
        net.setInput(storedInput);
        net.setLabels(storedLabels);
        Snapshot before = Snapshot.of(net);

        ModelProbe probe = ModelProbe.of(net);
        probe.activations(BATCH.getFeatures(), probe.layerNames());
        probe.forward(BATCH.getFeatures(), Nd4j.ones(DataType.FLOAT, 24, 1, 1, 1), List.of("dense"), (l, a) -> { });
        evaluator().evaluate(probe, Datasets.mnist().iterator(32, 0, 64));

        assertEquals(before, Snapshot.of(net));
        assertSame(storedInput, net.getInput());
        assertSame(storedLabels, net.getLabels());
        assertEquals(outputBefore, net.output(BATCH.getFeatures(), false));
    }

    @Test
    void probingNeverChangesTheGraph() {
        ComputationGraph graph = trainedGraph();
        INDArray outputBefore = graph.outputSingle(false, BATCH.getFeatures());
        INDArray stored = BATCH.getFeatures().dup();
        graph.setInputs(stored);
        Snapshot before = Snapshot.of(graph);
        evaluator().evaluate(graph, Datasets.mnist().iterator(32, 0, 64));
        ModelProbe.of(graph).forward(BATCH.getFeatures(), Nd4j.ones(DataType.FLOAT, 24, 1, 1, 1), List.of("dense"), (l, a) -> { });
        assertEquals(before, Snapshot.of(graph));
        assertSame(stored, graph.getInputs()[0]);
        assertEquals(outputBefore, graph.outputSingle(false, BATCH.getFeatures()));
    }

    /** Test 6 of issue 3: probing five layers runs exactly as many forward passes as probing one. */
    @Test
    void fiveLayersCostTheForwardPassesOfOne() {
        ModelProbe probe = ModelProbe.of(trainedNet());
        InvarianceEvaluator.Builder b = InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).maxExamples(150).maxBatch(240);   // 60 examples per pass
        long start = probe.forwardPasses();
        b.layers("conv").build().evaluate(probe, Datasets.mnist().iterator(50, 0, 150));
        long one = probe.forwardPasses() - start;
        b.layers("conv", "pool", "bn", "dense", "output").build().evaluate(probe, Datasets.mnist().iterator(50, 0, 150));
        long five = probe.forwardPasses() - start - one;
        assertEquals(4, one, "150 examples in chunks of 60: three passes, after the one-example sizing pass of maxBatchBytes");
        assertEquals(one, five);
    }

    private static InvarianceEvaluator evaluator() {
        return InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.d4())).maxExamples(64).build();
    }

    /** Everything a probe could disturb, compared by value. */
    private record Snapshot(INDArray params, INDArray updaterState, int iterations, int epochs, String config,
                            List<Object> layerFields, long rngPosition) {
        static Snapshot of(MultiLayerNetwork net) {
            return new Snapshot(net.params().dup(), net.getUpdater().getStateViewArray().dup(), net.getIterationCount(),
                    net.getEpochCount(), net.getLayerWiseConfigurations().toJson(), layerFields(net.getLayers()),
                    Nd4j.getRandom().getPosition());
        }

        static Snapshot of(ComputationGraph graph) {
            return new Snapshot(graph.params().dup(), graph.getUpdater().getStateViewArray().dup(),
                    graph.getConfiguration().getIterationCount(), graph.getConfiguration().getEpochCount(),
                    graph.getConfiguration().toJson(), layerFields(graph.getLayers()), Nd4j.getRandom().getPosition());
        }

        private static List<Object> layerFields(Layer[] layers) {
            List<Object> fields = new ArrayList<>();
            for (Layer l : layers) {
                fields.add(String.valueOf(l.input()));
                fields.add(String.valueOf(l.getMaskArray()));
                fields.add(l.getIterationCount());
                fields.add(l.getEpochCount());
            }
            return fields;
        }
    }

    /**
     * At {@code onEpochEnd} the layers still hold inputs from DL4J's closed training workspace; the
     * probe must not put those back (it used to, and DL4J threw ND4JWorkspaceException).
     */
    @Test
    void evaluatorRunsInsideAUsersOnEpochEnd() {
        InvarianceEvaluator evaluator = InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).maxExamples(24).build();
        List<InvarianceReport> inside = new ArrayList<>();
        TrainingListener user = new BaseTrainingListener() {
            @Override
            public void onEpochEnd(Model model) {
                inside.add(evaluator.evaluate(model, Datasets.mnist().iterator(24, 0, 24)));
            }
        };
        MultiLayerNetwork net = trainedNet();
        net.setListeners(user);
        net.fit(Datasets.mnist().iterator(12, 24, 48));
        ComputationGraph graph = trainedGraph();
        graph.setListeners(user);
        graph.fit(Datasets.mnist().iterator(12, 24, 48));

        assertEquals(2, inside.size());
        assertEquals(evaluator.evaluate(net, Datasets.mnist().iterator(24, 0, 24)).toJson(), inside.get(0).toJson());
        assertEquals(evaluator.evaluate(graph, Datasets.mnist().iterator(24, 0, 24)).toJson(), inside.get(1).toJson());
        net.fit(Datasets.mnist().iterator(12, 24, 48));  // training goes on after the probe cleared the stale inputs
        assertEquals(3, inside.size());
    }

    /** {@link TestNetworks#batchNormCnn} (seed 21), trained for 3 Adam steps on {@link #BATCH}. */
    private static MultiLayerNetwork trainedNet() {
        MultiLayerNetwork net = TestNetworks.batchNormCnn(21);
        for (int i = 0; i < 3; i++) {
            net.fit(BATCH);
        }
        assertTrue(net.getIterationCount() == 3);
        return net;
    }

    /** {@link TestNetworks#batchNormCnnGraph} (seed 21), trained for 3 Adam steps on {@link #BATCH}. */
    private static ComputationGraph trainedGraph() {
        ComputationGraph graph = TestNetworks.batchNormCnnGraph(21);
        for (int i = 0; i < 3; i++) {
            graph.fit(BATCH);
        }
        return graph;
    }
}
