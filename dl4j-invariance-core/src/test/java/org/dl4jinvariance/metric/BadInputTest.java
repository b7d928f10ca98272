package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test 8 of issue 3: bad input is an IllegalArgumentException naming the bad value; NaN
 * activations are NaN values (with a warning), not an exception.
 */
class BadInputTest {

    private final MultiLayerNetwork net = TestNetworks.smallCnn(8, DataType.FLOAT);

    private static InvarianceEvaluator.Builder c4() {
        return InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4())).maxExamples(16);
    }

    @Test
    void nonSquareImagesUnderRotationAreRejectedNamingTheShape() {
        INDArray wide = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 20);
        // refused for the first batch of 4, by the sizing pass of maxBatchBytes, before any chunk
        assertMessage(() -> c4().build().evaluate(net, new ViewIterator(new DataSet(wide, Nd4j.eye(10).getRows(0, 1, 2, 3, 4, 5, 6, 7)), 4)),
                "[4, 1, 28, 20]");
    }

    @Test
    void unknownLayerNamesAreRejectedNamingThem() {
        assertMessage(() -> c4().layers("conv1", "nope").build().evaluate(net, Datasets.mnist().iterator(16, 0, 16)), "nope");
        assertMessage(() -> c4().fieldType("ghost", org.dl4jinvariance.field.FieldType.trivial()).build()
                .evaluate(net, Datasets.mnist().iterator(16, 0, 16)), "ghost");
    }

    @Test
    void anEmptyIteratorIsRejectedAsHavingNoExamples() {
        assertMessage(() -> c4().build().evaluate(net, Datasets.mnist().iterator(16, 0, 0)), "no examples");
    }

    @Test
    void aGroupThatDoesNotMatchTheInputActionIsRejectedNamingIt() {
        assertMessage(() -> c4().group(Groups.d4()).build(), "D4");
    }

    @Test
    void consistencyWithoutLabelsIsRejectedAndTheDefaultMetricsLeaveItOut() {
        DataSetIterator unlabelled = Datasets.mnist().iterator(8, 0, 16);
        unlabelled.setPreProcessor(ds -> ds.setLabels(null));
        assertMessage(() -> c4().metrics(new OrbitConsistency()).build().evaluate(net, unlabelled), "labels");
        // with the default metrics, consistency/accuracy are left out instead
        InvarianceReport r = c4().build().evaluate(net, unlabelled);
        assertTrue(!r.has(r.layers().get(r.layers().size() - 1), MetricKeys.CONSISTENCY) && r.has("conv1", MetricKeys.INVARIANCE));
    }

    @Test
    void badSettingsAreRejectedNamingTheValue() {
        assertMessage(() -> c4().maxExamples(0), "0");
        assertMessage(() -> c4().maxBatch(-3), "-3");
        assertMessage(() -> InvarianceEvaluator.builder().build(), "inputAction");
        assertMessage(() -> c4().metrics(java.util.Arrays.asList(new InvarianceDeviation(Distance.COSINE), null)), "null");
        // Immutable lists are fine (List.contains(null) would throw on them).
        assertEquals(4, c4().metrics(java.util.List.of(new InvarianceDeviation(Distance.COSINE))).build().group().order());
        assertMessage(() -> org.dl4jinvariance.probe.ModelProbe.of(null), "null");
    }

    @Test
    void nanActivationsGiveNanValuesNotExceptions() {
        MultiLayerNetwork broken = TestNetworks.smallCnn(8, DataType.FLOAT);
        broken.getLayer("conv2").getParam("W").putScalar(0, Float.NaN);
        InvarianceReport r = c4().build().evaluate(broken, Datasets.mnist().iterator(16, 0, 16));
        assertTrue(Double.isNaN(r.get("conv2", MetricKeys.INVARIANCE).mean()), r.toString());
        assertTrue(Double.isNaN(r.get("output", MetricKeys.PREDICTION_KL).mean()), r.toString());
        assertTrue(!Double.isNaN(r.get("conv1", MetricKeys.INVARIANCE).mean()), "layers before the NaN stay finite");
    }

    private static void assertMessage(Executable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should name " + expected);
    }

    private static void assertMessage(Supplier<?> call, String expected) {
        assertMessage((Executable) call::get, expected);
    }
}
