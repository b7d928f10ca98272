package org.dl4jinvariance.metric;

import static org.dl4jinvariance.testing.JavaSerialization.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.action.SequenceActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The seam for distributed evaluation: chunks computed separately (in any order, by copies of
 * the evaluator that went through Java serialization) merge into the report {@code evaluate}
 * gives on one machine.
 */
class ChunkedEvaluationTest {

    private static final MultiLayerNetwork NET = TestNetworks.smallCnn(7, DataType.FLOAT);

    private static InvarianceEvaluator c4(int maxExamples) {
        return InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4()))
                .metrics(new InvarianceDeviation(Distance.COSINE), new EquivarianceDeviation(Distance.COSINE),
                        new CosineSimilarityRatio(), new PredictionInvariance(), new OrbitConsistency(),
                        LieDerivative.rotation(1.0))
                // (|G| + 2) = 6 rows per example: chunks of 7 examples
                .maxBatch(42).maxExamples(maxExamples).seed(99).build();
    }

    @Test
    void chunksMergedOutOfOrderGiveTheReportOfEvaluateBitForBit() throws Exception {
        InvarianceEvaluator evaluator = c4(40);
        InvarianceReport expected = evaluator.evaluate(NET, Datasets.mnist().iterator(16, 0, 48));

        InvarianceEvaluator worker = roundTrip(evaluator);
        DataSet first = Datasets.mnist().slice(0, 16);
        ChunkedEvaluation driverSide = evaluator.chunked(NET, first);
        ChunkedEvaluation workerSide = worker.chunked(NET, first);
        int chunk = driverSide.chunkSize();
        assertEquals(7, chunk);
        List<ChunkSamples> computed = new ArrayList<>();
        for (int i = 0; i * chunk < 40; i++) {
            int n = Math.min(chunk, 40 - i * chunk);
            computed.add(roundTrip(workerSide.samples(Datasets.mnist().slice(i * chunk, n), i)));
        }
        Collections.reverse(computed);

        InvarianceReport merged = driverSide.report(computed, 0, "the chunks");
        assertEquals(expected, merged, "every mean, CI, per-class value and setting");
        assertEquals(40, merged.get("conv1", MetricKeys.INVARIANCE_NORMALIZED).n());
    }

    @Test
    void chunkedRefusesATargetPrecisionOrSampledElementsWhichOnlyEvaluateSupports() {
        DataSet first = Datasets.mnist().slice(0, 16);
        IllegalArgumentException precision = assertThrows(IllegalArgumentException.class,
                () -> InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4())).targetPrecision(0.05)
                        .build().chunked(NET, first));
        assertTrue(precision.getMessage().contains("targetPrecision(0.05)"), precision.getMessage());
        IllegalArgumentException sampled = assertThrows(IllegalArgumentException.class,
                () -> InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4())).sampleElements(3)
                        .build().chunked(NET, first));
        assertTrue(sampled.getMessage().contains("sampleElements(3)"), sampled.getMessage());
    }

    @Test
    void reportRefusesMissingRepeatedOrShortChunks() {
        InvarianceEvaluator evaluator = c4(40);
        ChunkedEvaluation e = evaluator.chunked(NET, Datasets.mnist().slice(0, 16));
        ChunkSamples c0 = e.samples(Datasets.mnist().slice(0, 7), 0);
        ChunkSamples c2 = e.samples(Datasets.mnist().slice(14, 7), 2);
        ChunkSamples shortFirst = e.samples(Datasets.mnist().slice(0, 3), 0);
        ChunkSamples c1 = e.samples(Datasets.mnist().slice(7, 7), 1);

        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class, () -> e.report(List.of(c0, c2), 0, "x"));
        assertTrue(gap.getMessage().contains("found index 2"), gap.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.report(List.of(c0, c0), 0, "x"));
        IllegalArgumentException notFull = assertThrows(IllegalArgumentException.class,
                () -> e.report(List.of(shortFirst, c1), 0, "x"));
        assertTrue(notFull.getMessage().contains("Chunk 0 holds 3 examples"), notFull.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.samples(Datasets.mnist().slice(0, 7), -1));
        assertThrows(IllegalArgumentException.class, () -> evaluator.chunked(NET, null));
    }

    /** Regression: dropping rows once wrote the kept count into the batch's own cached shape. */
    @Test
    void admissionDropsFullyMaskedRowsAndLeavesTheBatchAsItWas() throws Exception {
        DataSet batch = Datasets.mnist().slice(0, 8);
        INDArray mask = Nd4j.ones(DataType.FLOAT, 8, 1, 1, 1);
        mask.get(NDArrayIndex.point(3)).assign(0);
        batch.setFeaturesMaskArray(mask);
        BatchAdmission admission = roundTrip(c4(40).chunked(NET, batch).admission());

        DataSet kept = admission.admit(batch, 1, "the batch");
        assertEquals(7, kept.numExamples());
        assertEquals(Datasets.mnist().slice(4, 1).getFeatures(),
                kept.getFeatures().get(NDArrayIndex.interval(3, 4), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()));
        assertEquals(8, batch.getFeatures().size(0), "the batch still holds its 8 rows");
        assertEquals(8, batch.getLabels().size(0));
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class, () -> admission.admit(
                new DataSet(batch.getFeatures(), Nd4j.zeros(DataType.FLOAT, 8, 11)), 3, "the batch"));
        assertTrue(wide.getMessage().startsWith("Labels of batch 3 have shape [8, 11] but the output layer 'output' has 10 classes"),
                wide.getMessage());
    }

    @Test
    void builtInActionsMetricsAndFieldsSurviveJavaSerialization() throws Exception {
        InvarianceEvaluator d4 = InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.d4()))
                .metrics(new InvarianceDeviation(Distance.L2), new EquivarianceDeviation(Distance.COSINE),
                        LieDerivative.translation(1, 0, 0.5))
                .fieldType("dense", FieldType.trivial()).layers("conv1", "dense", "output")
                .maxExamples(12).build();
        InvarianceEvaluator copy = roundTrip(d4);
        assertNotSame(d4, copy);
        assertEquals(d4.group(), copy.group());
        assertEquals(d4.evaluate(NET, Datasets.mnist().iterator(12, 100, 12)),
                copy.evaluate(NET, Datasets.mnist().iterator(12, 100, 12)));

        assertSame(FieldType.trivial(), roundTrip(FieldType.trivial()), "the trivial field stays a singleton");
        assertEquals(FieldType.regular(Groups.c4(), 8), roundTrip(FieldType.regular(Groups.c4(), 8)));
        assertEquals(SequenceActions.cyclicTimeShift(1, 5), roundTrip(SequenceActions.cyclicTimeShift(1, 5)));
        assertEquals(SequenceActions.timeReversal().group(), roundTrip(SequenceActions.timeReversal()).group());
        for (var action : List.of(ImageActions.reflection(), ImageActions.cyclicTranslation(1, 0, 4),
                ImageActions.rotationOfCentreSquare(Groups.c4()),
                ImageActions.forFlatInput(ImageActions.rotation(Groups.c4()), 1, 28, 28))) {
            assertEquals(action.group(), roundTrip(action).group(), action.describe());
        }
    }
}
