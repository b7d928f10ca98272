package org.dl4jinvariance.arbiter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.arbiter.ComputationGraphSpace;
import org.deeplearning4j.arbiter.DL4JConfiguration;
import org.deeplearning4j.arbiter.GraphConfiguration;
import org.deeplearning4j.arbiter.MultiLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.util.LeafUtils;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.layers.GroupConvolution;
import org.dl4jinvariance.layers.GroupPooling;
import org.dl4jinvariance.layers.LiftingConvolution;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class LayerSpacesTest {

    private static List<Candidate> candidates(ParameterSpace<?> space, int n, long seed) {
        RandomSearchGenerator generator = new RandomSearchGenerator(space, null);
        generator.setRngSeed(seed);
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(generator.getCandidate());
        }
        return out;
    }

    private static MultiLayerConfiguration conf(Candidate c) {
        assertNull(c.getException(), () -> "candidate " + c.getIndex() + " failed: " + c.getException());
        return ((DL4JConfiguration) c.getValue()).getMultiLayerConfiguration();
    }

    private static Layer layer(MultiLayerConfiguration conf, int i) {
        return conf.getConf(i).getLayer();
    }

    @Test
    void oneSpaceYieldsPlainC4AndD4NetworksWithOneGroupPerNetwork() {
        MultiLayerSpace space = TinySpaces.network(GroupSpace.of("plain", "C4", "D4"),
                new DiscreteParameterSpace<>(8, 16), new FixedValue<>(16), new int[] {3}, 7);
        Set<String> seen = new TreeSet<>();
        for (Candidate c : candidates(space, 40, 11)) {
            MultiLayerConfiguration conf = conf(c);
            Layer conv1 = layer(conf, 0);
            Layer conv2 = layer(conf, 2);
            Layer gpool = layer(conf, 3);
            assertEquals("conv1", conv1.getLayerName());
            assertEquals("conv2", conv2.getLayerName());
            assertEquals("gpool", gpool.getLayerName());
            if (conv1.getClass() == ConvolutionLayer.class) {
                seen.add("plain");
                assertEquals(ConvolutionLayer.class, conv2.getClass());
                assertEquals(ActivationLayer.class, gpool.getClass());
                long width = ((ConvolutionLayer) conv1).getNOut();
                assertTrue(width == 8 || width == 16, "plain width " + width);
                assertEquals(16, ((ConvolutionLayer) conv2).getNOut());
                assertArrayEquals(new int[] {3, 3}, ((ConvolutionLayer) conv1).getKernelSize());
            } else {
                LiftingConvolution lift = (LiftingConvolution) conv1;
                GroupConvolution group = (GroupConvolution) conv2;
                GroupPooling pool = (GroupPooling) gpool;
                String g = lift.getGroupName();
                seen.add(g);
                assertEquals(g, group.getGroupName(), "every layer of a candidate has the same group");
                assertEquals(g, pool.getGroupName());
                // WidthScaling.PARAMETERS: fields = round(width / sqrt|G|)
                Set<Long> allowed = g.equals("C4") ? Set.of(4L, 8L) : Set.of(3L, 6L);
                assertTrue(allowed.contains(lift.getNOut()), g + " lifting fields " + lift.getNOut());
                assertEquals(g.equals("C4") ? 8 : 6, group.getNOut());
                assertEquals(lift.getNOut(), group.getNIn(), "nIn inferred from the input type, in fields");
            }
            // Arbiter's updater space with the fixed Adam constants
            Adam adam = (Adam) ((org.deeplearning4j.nn.conf.layers.BaseLayer) layer(conf, 5)).getIUpdater();
            assertEquals(0.9, adam.getBeta1());
            assertEquals(0.999, adam.getBeta2());
            assertEquals(1e-8, adam.getEpsilon());
        }
        assertEquals(Set.of("plain", "C4", "D4"), seen);
    }

    @Test
    void everyGroupBuildsANetworkThatRuns() {
        for (String g : List.of("plain", "C4", "D4")) {
            MultiLayerSpace space = TinySpaces.network(GroupSpace.of(g), new FixedValue<>(8), new FixedValue<>(8),
                    new int[] {3}, 3);
            MultiLayerNetwork net = new MultiLayerNetwork(conf(candidates(space, 1, 1).get(0)));
            net.init();
            assertArrayEquals(new long[] {2, 10}, net.output(Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28)).shape(), g);
        }
    }

    @Test
    void networkSpaceRoundTripsThroughJsonKeepingTheSharedGroup() {
        MultiLayerSpace space = TinySpaces.network(GroupSpace.of("plain", "C4", "D4"),
                new DiscreteParameterSpace<>(8, 16), new DiscreteParameterSpace<>(8, 12, 16), new int[] {3, 5}, 7);
        String json = space.toJson();
        assertTrue(json.contains("@groupSpaceId"), json);
        MultiLayerSpace back = MultiLayerSpace.fromJson(json);
        // (MultiLayerSpace.equals itself is false here: Arbiter's FixedValue compares the int[] of its
        // own SubsamplingLayerSpace by reference; the JSON and every equivariant space are compared instead)
        for (int i : new int[] {0, 2, 3}) {
            assertEquals(space.getLayerSpace(i), back.getLayerSpace(i), "layer space " + i);
        }
        assertEquals(json, back.toJson());
        assertEquals(space.numParameters(), back.numParameters());
        // one group parameter, one per width, one kernel choice: the shared GroupSpace is one object again
        assertEquals(4, LeafUtils.getUniqueObjects(back.collectLeaves()).stream().filter(p -> p.numParameters() > 0).count());
        GroupSpace g0 = ((LiftingConvolutionSpace) back.getLayerSpace(0)).getGroup();
        assertSame(g0, ((GroupConvolutionSpace) back.getLayerSpace(2)).getGroup());
        assertSame(g0, ((GroupPoolingSpace) back.getLayerSpace(3)).getGroup());

        List<Candidate> a = candidates(space, 12, 5);
        List<Candidate> b = candidates(back, 12, 5);
        Set<String> groups = new HashSet<>();
        for (int i = 0; i < a.size(); i++) {
            MultiLayerConfiguration ca = conf(a.get(i));
            assertEquals(ca.toJson(), conf(b.get(i)).toJson(), "candidate " + i);
            groups.add(layer(ca, 0).getClass().getSimpleName());
        }
        assertTrue(groups.size() > 1, "the candidates differ: " + groups);
    }

    @Test
    void graphSpaceRoundTripsThroughJsonAndBuildsGraphs() {
        ComputationGraphSpace space = TinySpaces.graph(GroupSpace.of("plain", "C4", "D4"),
                new DiscreteParameterSpace<>(4, 6), new DiscreteParameterSpace<>(4, 6), 3);
        String json = space.toJson();
        ComputationGraphSpace back = ComputationGraphSpace.fromJson(json);
        // (ComputationGraphSpace.equals is false: Arbiter's FixedValue compares its InputType[] by reference)
        assertEquals(space.getLayerSpaces(), back.getLayerSpaces());
        assertEquals(json, back.toJson());
        Set<String> kinds = new TreeSet<>();
        List<Candidate> a = candidates(space, 8, 9);
        List<Candidate> b = candidates(back, 8, 9);
        for (int i = 0; i < a.size(); i++) {
            assertNull(a.get(i).getException());
            GraphConfiguration ga = (GraphConfiguration) a.get(i).getValue();
            GraphConfiguration gb = (GraphConfiguration) b.get(i).getValue();
            assertEquals(ga.getConfiguration().toJson(), gb.getConfiguration().toJson());
            Layer conv1 = ((org.deeplearning4j.nn.conf.graph.LayerVertex) ga.getConfiguration().getVertices()
                    .get("conv1")).getLayerConf().getLayer();
            kinds.add(conv1.getClass().getSimpleName());
        }
        assertTrue(kinds.size() > 1, "plain and equivariant candidates: " + kinds);
        for (Candidate c : a.subList(0, 3)) {
            ComputationGraph graph = new ComputationGraph(((GraphConfiguration) c.getValue()).getConfiguration());
            graph.init();
            assertArrayEquals(new long[] {2, 10}, graph.outputSingle(Nd4j.rand(DataType.FLOAT, 2, 1, 12, 12)).shape());
        }
    }

    @Test
    void fixedNamedLayersRoundTripThroughJsonWhereArbitersFixedLayerSpaceDoesNot() {
        GroupSpace groups = GroupSpace.of("plain", "C4");
        MultiLayerSpace.Builder common = new MultiLayerSpace.Builder().seed(1).updater(AdamSpaces.adam(1e-3))
                .addLayer(new LiftingConvolutionSpace.Builder().name("conv1").group(groups).nOut(4).kernelSize(3)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build())
                .addLayer(new GroupPoolingSpace.Builder().name("gpool").group(groups).build());
        org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer gap = new org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer
                .Builder(org.deeplearning4j.nn.conf.layers.PoolingType.AVG).name("gap").build();
        org.deeplearning4j.nn.conf.layers.OutputLayer out = new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build();
        MultiLayerSpace space = common.addLayer(new FixedJsonLayerSpace(gap)).addLayer(new FixedJsonLayerSpace(out))
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(12, 12, 1)).build();
        String json = space.toJson();
        MultiLayerSpace back = MultiLayerSpace.fromJson(json);
        assertEquals(json, back.toJson());
        assertEquals(space.getLayerSpace(3), back.getLayerSpace(3));
        for (int i = 0; i < 4; i++) {
            MultiLayerConfiguration a = conf(candidates(space, 4, 2).get(i));
            MultiLayerConfiguration b = conf(candidates(back, 4, 2).get(i));
            assertEquals(a.toJson(), b.toJson());
            assertEquals("output", layer(a, 3).getLayerName());
            assertEquals(1e-3, ((Adam) ((org.deeplearning4j.nn.conf.layers.BaseLayer) layer(a, 3)).getIUpdater())
                    .getLearningRate(), "global settings reach the fixed layer");
        }
        // Arbiter's own FixedLayerSpace writes JSON it cannot read
        MultiLayerSpace arbiters = new MultiLayerSpace.Builder().layer(out)
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(4)).build();
        assertThrows(RuntimeException.class, () -> MultiLayerSpace.fromJson(arbiters.toJson()));
    }

    @Test
    void groupTypeAndRotationsAreParameterSpaces() {
        GroupSpace space = GroupSpace.of(new DiscreteParameterSpace<>("C", "D"), new DiscreteParameterSpace<>(2, 4));
        assertEquals(2, space.numParameters());
        Set<String> values = new TreeSet<>();
        for (Candidate c : candidates(space, 60, 3)) {
            values.add((String) c.getValue());
        }
        assertEquals(Set.of("C2", "C4", "D2", "D4"), values);
        GroupSpace plainOrC8 = GroupSpace.of(new DiscreteParameterSpace<>("plain", "c"), new FixedValue<>(8));
        Set<String> more = new TreeSet<>();
        for (Candidate c : candidates(plainOrC8, 30, 3)) {
            more.add((String) c.getValue());
        }
        assertEquals(Set.of("plain", "C8"), more);
    }

    @Test
    void widthScalingKeepsFieldsChannelsOrParameters() {
        assertEquals(16, WidthScaling.FIELDS.fields(16, 8));
        assertEquals(4, WidthScaling.CHANNELS.fields(16, 4));
        assertEquals(2, WidthScaling.CHANNELS.fields(16, 8));
        assertEquals(8, WidthScaling.PARAMETERS.fields(16, 4));
        assertEquals(6, WidthScaling.PARAMETERS.fields(16, 8));
        assertEquals(1, WidthScaling.CHANNELS.fields(3, 8), "never fewer than one field");
        assertEquals(16, WidthScaling.PARAMETERS.fields(16, 1), "plain: width channels");
        assertThrows(IllegalArgumentException.class, () -> WidthScaling.FIELDS.fields(0, 4));
    }

    @Test
    void badSettingsAreRejectedNamingTheValue() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> GroupSpace.of("C4", "Q7"));
        assertTrue(unknown.getMessage().contains("Q7"), unknown.getMessage());
        IllegalArgumentException noGroup = assertThrows(IllegalArgumentException.class,
                () -> new GroupConvolutionSpace.Builder().name("conv2").nOut(8).build());
        assertTrue(noGroup.getMessage().contains("conv2") && noGroup.getMessage().contains("group"), noGroup.getMessage());
        IllegalArgumentException noWidth = assertThrows(IllegalArgumentException.class,
                () -> new LiftingConvolutionSpace.Builder().group("C4").build());
        assertTrue(noWidth.getMessage().contains("width"), noWidth.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GroupPoolingSpace.Builder().group(GroupSpace.of("C4"))
                .mode("median").build());
    }

    @Test
    void anEvenKernelUnderD4FailsWhenTheCandidateIsBuiltNamingTheLayer() {
        MultiLayerSpace space = TinySpaces.network(GroupSpace.of("D4"), new FixedValue<>(8), new FixedValue<>(8),
                new int[] {4}, 1);
        Candidate c = candidates(space, 1, 1).get(0);
        assertNotNull(c.getException());
        String message = c.getException().getMessage();
        assertTrue(message.contains("conv2") && message.contains("kernelSize 4"), message);
    }
}
