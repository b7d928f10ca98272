package org.dl4jinvariance.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.LieDerivative;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * On local[2], the Spark evaluator gives the single-machine evaluator's report on the same
 * batches: equal as objects (every mean, CI bound, per-class value and setting, compared with
 * {@code Double.compare}), for any partitioning.
 */
class SparkInvarianceEvaluatorTest {

    private static JavaSparkContext sc;
    private static final MultiLayerNetwork NET = TestNetworks.smallCnn(11, DataType.FLOAT);

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start("SparkInvarianceEvaluatorTest");
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    /** C4 with a Lie derivative; maxBatch 150 rows = chunks of 25 examples, cut across the batches of 16. */
    private static SparkInvarianceEvaluator c4(int maxExamples) {
        return SparkInvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4()))
                .metrics(InvarianceEvaluator.defaultMetrics(org.dl4jinvariance.metric.Distance.COSINE).toArray(
                        new org.dl4jinvariance.metric.OrbitMetric[0]))
                .maxBatch(100).maxExamples(maxExamples).seed(2024).build();
    }

    @Test
    void sameReportAsOneMachineFor1And2And7Partitions() {
        SparkInvarianceEvaluator spark = c4(120);
        InvarianceReport oneMachine = spark.evaluator().evaluate(NET, Datasets.mnist().iterator(16, 0, 136));
        assertEquals("25", oneMachine.settings().get("chunkSize"), "several chunks, cut across batches");
        assertEquals(120, oneMachine.get("conv1", MetricKeys.INVARIANCE_NORMALIZED).n());
        List<DataSet> batches = LocalSpark.mnistBatches(0, 136, 16);
        for (int partitions : new int[] {1, 2, 7}) {
            InvarianceReport onSpark = spark.evaluate(NET, sc.parallelize(batches, partitions));
            assertEquals(oneMachine, onSpark, partitions + " partitions");
        }
    }

    @Test
    void fullyMaskedExamplesAndALieDerivativeMergeAsOnOneMachine() {
        SparkInvarianceEvaluator spark = SparkInvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4()))
                .metrics(new org.dl4jinvariance.metric.InvarianceDeviation(org.dl4jinvariance.metric.Distance.COSINE),
                        LieDerivative.rotation(2.0))
                .maxBatch(60).maxExamples(50).seed(5).build();
        List<DataSet> batches = LocalSpark.mnistBatches(300, 64, 8);
        for (DataSet b : batches) {
            INDArray mask = Nd4j.ones(DataType.FLOAT, b.numExamples(), 1, 1, 1);
            mask.get(NDArrayIndex.point(1)).assign(0);      // one fully masked example per batch
            b.setFeaturesMaskArray(mask);
        }
        InvarianceReport oneMachine = spark.evaluator().evaluate(NET,
                new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(copies(batches), 1));
        assertEquals("8", oneMachine.settings().get("excludedFullyMasked"), oneMachine.settings().toString());
        InvarianceReport onSpark = spark.evaluate(NET, sc.parallelize(batches, 3));
        assertEquals(oneMachine, onSpark);
    }

    @Test
    void computationGraphGivesTheSameReportAsOneMachine() {
        ComputationGraph graph = TestNetworks.smallCnnGraph(11, DataType.FLOAT);
        SparkInvarianceEvaluator spark = c4(90);
        InvarianceReport oneMachine = spark.evaluator().evaluate(graph, Datasets.mnist().iterator(16, 1000, 96));
        InvarianceReport onSpark = spark.evaluate(graph, sc.parallelize(LocalSpark.mnistBatches(1000, 96, 16), 3));
        assertEquals(oneMachine, onSpark);
    }

    @Test
    void aDl4jSparkNetworkIsEvaluatedThroughItsNetwork() {
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, NET, new ParameterAveragingTrainingMaster.Builder(16).build());
        JavaRDD<DataSet> rdd = sc.parallelize(LocalSpark.mnistBatches(0, 64, 16), 2);
        assertEquals(c4(64).evaluate(NET, rdd), c4(64).evaluate(sparkNet, rdd));
    }

    @Test
    void targetPrecisionAndSampleElementsAreRefusedAtBuildNamingTheSetting() {
        IllegalArgumentException precision = assertThrows(IllegalArgumentException.class,
                () -> SparkInvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4()))
                        .targetPrecision(0.05).build());
        assertTrue(precision.getMessage().contains("targetPrecision(0.05)"), precision.getMessage());
        IllegalArgumentException sampled = assertThrows(IllegalArgumentException.class,
                () -> SparkInvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4()))
                        .sampleElements(2).build());
        assertTrue(sampled.getMessage().contains("sampleElements(2)"), sampled.getMessage());
    }

    @Test
    void anEmptyRddIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c4(10).evaluate(NET, sc.<DataSet>emptyRDD()));
        assertTrue(e.getMessage().contains("holds no DataSet; an evaluation needs at least one example"), e.getMessage());
    }

    @Test
    void labelsOfTheWrongWidthGiveCoresMessageNamingThePartition() {
        List<DataSet> wide = new ArrayList<>();
        for (DataSet b : LocalSpark.mnistBatches(0, 48, 16)) {
            wide.add(new DataSet(b.getFeatures(), Nd4j.zeros(DataType.FLOAT, b.numExamples(), 11)));
        }
        IllegalArgumentException local = assertThrows(IllegalArgumentException.class, () -> c4(48).evaluator().evaluate(NET,
                new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(wide, 1)));
        IllegalArgumentException spark = assertThrows(IllegalArgumentException.class,
                () -> c4(48).evaluate(NET, sc.parallelize(wide, 2)));
        assertTrue(local.getMessage().startsWith("Labels of batch 1 have shape [16, 11] but the output layer 'output' has 10"),
                local.getMessage());
        assertTrue(spark.getMessage().startsWith(local.getMessage() + " (in partition 0 of RDD "), spark.getMessage());
    }

    @Test
    void aBadBatchAfterTheFirstMaxExamplesIsNotReadAsOnOneMachine() {
        List<DataSet> batches = LocalSpark.mnistBatches(0, 48, 16);
        batches.set(2, new DataSet(batches.get(2).getFeatures(), Nd4j.zeros(DataType.FLOAT, 16, 11)));
        InvarianceReport oneMachine = c4(32).evaluator().evaluate(NET,
                new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(batches, 1));
        assertEquals(oneMachine, c4(32).evaluate(NET, sc.parallelize(batches, 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c4(33).evaluate(NET, sc.parallelize(batches, 3)));
        assertTrue(e.getMessage().contains("(in partition 2 of RDD"), e.getMessage());
    }

    @Test
    void otherModelsAndNullsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> c4(10).evaluate((MultiLayerNetwork) null, sc.parallelize(List.of())));
        assertThrows(IllegalArgumentException.class, () -> c4(10).evaluate(NET, null));
        assertThrows(IllegalArgumentException.class, () -> SparkInvarianceEvaluator.builder().ndThreadsPerTask(-1));
        assertThrows(IllegalArgumentException.class, () -> SparkInvarianceEvaluator.builder().build());
    }

    private static List<DataSet> copies(List<DataSet> batches) {
        List<DataSet> out = new ArrayList<>();
        batches.forEach(b -> out.add(b.copy()));
        return out;
    }
}
