package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
 * The core bad-input catalogue (issue 3, test 8; issue 13): bad input is an
 * IllegalArgumentException naming the bad value and what was expected, before the long work;
 * results that would look right and are not (wrong-width labels, masks, 0/0, NaN) are refused
 * or marked.
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
    void withoutLabelsConsistencyIsReportedAndAccuracyLeftOut() {
        DataSetIterator unlabelled = Datasets.mnist().iterator(8, 0, 16);
        unlabelled.setPreProcessor(ds -> ds.setLabels(null));
        DataSetIterator labelled = Datasets.mnist().iterator(8, 0, 16);
        for (InvarianceEvaluator evaluator : List.of(c4().build(), c4().metrics(new OrbitConsistency()).build())) {
            InvarianceReport r = evaluator.evaluate(net, unlabelled);
            String output = r.layers().get(r.layers().size() - 1);
            assertFalse(r.has(output, MetricKeys.ACCURACY) || r.has(output, MetricKeys.accuracyOf("rot90")), r.metrics().toString());
            assertEquals("off (the data has no labels)", r.settings().get("labelMetrics"));
            // consistency compares predictions with each other: the same figure as on the labelled data
            InvarianceReport withLabels = evaluator.evaluate(net, labelled);
            assertEquals(withLabels.get(output, MetricKeys.CONSISTENCY).mean(), r.get(output, MetricKeys.CONSISTENCY).mean(), 0.0);
            assertEquals(withLabels.get(output, MetricKeys.CONSISTENCY).ciLow(), r.get(output, MetricKeys.CONSISTENCY).ciLow(), 0.0);
        }
    }

    @Test
    void aMetricWhoseEveryKeyNeedsLabelsIsRefusedOnUnlabelledData() {
        DataSetIterator unlabelled = Datasets.mnist().iterator(8, 0, 16);
        unlabelled.setPreProcessor(ds -> ds.setLabels(null));
        OrbitMetric labelsOnly = new ThrowingMetric("labelsOnly", true,
                new IllegalStateException("never computed without labels"));
        assertMessage(() -> c4().metrics(labelsOnly).build().evaluate(net, unlabelled), "labelsOnly needs class labels");
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
        assertEquals("conv2", r.settings().get("nanFirstAt"), "the report says where NaN came from");
    }

    private static DataSet digits(int n) {
        return Datasets.mnist().slice(0, n);
    }

    @Test
    void labelsNarrowerOrWiderThanTheOutputAreRejectedNamingBothWidths() {
        for (int width : new int[] {5, 12}) {
            DataSet ds = digits(16);
            ds.setLabels(Nd4j.zeros(DataType.FLOAT, 16, width).putScalar(0, 0, 1).addi(0.1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> c4().build().evaluate(net, new ViewIterator(ds, 8)));
            assertTrue(e.getMessage().contains("[8, " + width + "]") && e.getMessage().contains("10 classes"), e.getMessage());
        }
    }

    @Test
    void allZeroLabelRowsAreRejectedNamingTheRow() {
        DataSet ds = digits(16);
        ds.getLabels().getRow(11).assign(0);
        assertMessage(() -> c4().build().evaluate(net, new ViewIterator(ds, 8)), "Label row 3 of batch 2 sums to 0.0");
    }

    @Test
    void classIndexLabelsOutsideTheClassesAreRejected() {
        DataSet ds = digits(8);
        ds.setLabels(Nd4j.createFromArray(new float[] {0, 1, 2, 3, 4, 5, 6, 10}).reshape(8, 1));
        assertMessage(() -> c4().build().evaluate(net, new ViewIterator(ds, 8)), "Label 7 of batch 1 is 10.0");
    }

    @Test
    void aBatchWithNoExamplesIsRejected() {
        DataSet empty = new DataSet(Nd4j.create(DataType.FLOAT, 0, 1, 28, 28), Nd4j.create(DataType.FLOAT, 0, 10));
        DataSetIterator it = new org.nd4j.linalg.dataset.api.iterator.DataSetIterator() {
            private boolean done;

            public DataSet next(int num) {
                return next();
            }

            public int inputColumns() {
                return 784;
            }

            public int totalOutcomes() {
                return 10;
            }

            public boolean resetSupported() {
                return true;
            }

            public boolean asyncSupported() {
                return false;
            }

            public void reset() {
                done = false;
            }

            public int batch() {
                return 0;
            }

            public void setPreProcessor(org.nd4j.linalg.dataset.api.DataSetPreProcessor p) {
            }

            public org.nd4j.linalg.dataset.api.DataSetPreProcessor getPreProcessor() {
                return null;
            }

            public java.util.List<String> getLabels() {
                return null;
            }

            public boolean hasNext() {
                return !done;
            }

            public DataSet next() {
                done = true;
                return empty;
            }
        };
        assertMessage(() -> c4().build().evaluate(net, it), "0 examples");
    }

    @Test
    void aSecondEvaluationOfAnIteratorThatCannotResetNamesReset() {
        DataSetIterator once = new org.deeplearning4j.datasets.iterator.IteratorDataSetIterator(
                java.util.List.of(digits(16)).iterator(), 8);
        c4().build().evaluate(net, once);
        assertMessage(() -> c4().build().evaluate(net, once), "reset()");
    }

    @Test
    void aDeadLayerIsExactlyInvariantNotZeroOverZero() {
        MultiLayerNetwork dead = TestNetworks.smallCnn(8, DataType.FLOAT);
        dead.getLayer("conv2").getParam("W").assign(0);
        dead.getLayer("conv2").getParam("b").assign(0);
        InvarianceReport r = c4().build().evaluate(dead, Datasets.mnist().iterator(16, 0, 16));
        MetricValue v = r.get("conv2", MetricKeys.INVARIANCE_NORMALIZED);
        assertTrue(v.isApplicable(), v.toString());
        assertEquals(0.0, v.mean(), 0.0, "all-zero features: the orbit does not spread");
    }

    @Test
    void fullyMaskedExamplesAreLeftOutAndCounted() {
        DataSet ds = digits(16);
        INDArray mask = Nd4j.ones(DataType.FLOAT, 16, 1, 1, 1);      // one value per example, as DL4J's CNN→dense masks
        mask.get(org.nd4j.linalg.indexing.NDArrayIndex.point(2)).assign(0);
        mask.get(org.nd4j.linalg.indexing.NDArrayIndex.point(9)).assign(0);
        ds.setFeaturesMaskArray(mask);
        InvarianceReport masked = c4().maxExamples(14).build().evaluate(net, new ViewIterator(ds, 8));
        assertEquals("2", masked.settings().get("excludedFullyMasked"));
        assertEquals("14", masked.settings().get("n"));
        assertTrue(Double.isFinite(masked.get("conv1", MetricKeys.INVARIANCE).mean()), masked.toString());
    }

    @Test
    void aFieldTypeThatCannotActOnTheLayerIsRejectedNamingLayerAndShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c4()
                .fieldType("conv1", org.dl4jinvariance.field.FieldType.regular(Groups.c4(), 3)).build()
                .evaluate(net, Datasets.mnist().iterator(16, 0, 16)));
        assertTrue(e.getMessage().contains("'conv1'") && e.getMessage().contains("regular(C4, 3)")
                && e.getMessage().contains("[8, 24, 24]"), e.getMessage());
    }

    private static void assertMessage(Executable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should name " + expected);
    }

    private static void assertMessage(Supplier<?> call, String expected) {
        assertMessage((Executable) call::get, expected);
    }
}
