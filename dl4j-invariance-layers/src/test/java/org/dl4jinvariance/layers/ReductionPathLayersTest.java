package org.dl4jinvariance.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.ReductionPath;
import org.dl4jinvariance.testing.EquivariantTestNetworks;
import org.dl4jinvariance.testing.ReductionPaths;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On a network of equivariant layers, whose regular fields the evaluator infers from the layers
 * themselves, the ND4J reduction path gives the Java path's figures to 1e-6 at every layer and
 * metric — in particular the equivariance of the regular fields, which ρ(g) computes by moving
 * channels as well as pixels.
 */
class ReductionPathLayersTest {

    static Stream<PlanarGroup> groups() {
        return Stream.of(Groups.c4(), Groups.d4());
    }

    @ParameterizedTest
    @MethodSource("groups")
    void theFourLayerStackGivesTheSameFiguresOnBothPaths(PlanarGroup group) {
        MultiLayerNetwork net = TestNetworks.init(EquivariantTestNetworks.fourLayerStack(group, GroupPooling.Mode.MAX, 11));
        InvarianceEvaluator.Builder config = InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(group)).maxExamples(16);
        double diff = ReductionPaths.assertSameFigures(config, net, Datasets.mnist().iterator(16, 0, 16));
        InvarianceReport nd4j = config.reduction(ReductionPath.ND4J).build().evaluate(net, Datasets.mnist().iterator(16, 0, 16));
        // the comparison covered regular-field equivariance, and it is the near-zero of an equivariant layer
        double eq = nd4j.get("gconv2", MetricKeys.EQUIVARIANCE_NORMALIZED).mean();
        assertTrue(eq < 1e-4, "gconv2 equivariance on the ND4J path: " + nd4j);
        System.out.printf("four-layer stack, %s: largest |JAVA - ND4J| = %.3g; gconv2 equivariance.normalized %.3g%n",
                group.name(), diff, eq);
    }
}
