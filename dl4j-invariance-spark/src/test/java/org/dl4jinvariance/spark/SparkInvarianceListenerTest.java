package org.dl4jinvariance.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.listeners.report.CsvReporter;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.listeners.report.Reporters;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Spark training (dl4j-spark parameter averaging on local[2]) with an evaluation on the cluster after each epoch. */
class SparkInvarianceListenerTest {

    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start("SparkInvarianceListenerTest");
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static SparkDl4jMultiLayer sparkNet(MultiLayerNetwork net) {
        return new SparkDl4jMultiLayer(sc, net, new ParameterAveragingTrainingMaster.Builder(16)
                .batchSizePerWorker(16).averagingFrequency(2).workerPrefetchNumBatches(0).rngSeed(5).build());
    }

    @Test
    void sparkTrainingWritesOneReportPerEpochThroughTheReporters(@TempDir Path dir) throws Exception {
        SparkDl4jMultiLayer sparkNet = sparkNet(TestNetworks.tinyCnn(3, 3e-3, false));
        JavaRDD<DataSet> train = sc.parallelize(LocalSpark.mnistBatches(0, 128, 16), 2);
        JavaRDD<DataSet> heldOut = sc.parallelize(LocalSpark.mnistBatches(8000, 48, 16), 2);
        List<EpochReport> delivered = new ArrayList<>();
        SparkInvarianceListener listener = SparkInvarianceListener.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).maxExamples(48)
                .evaluate("held-out", heldOut)
                .reportTo(delivered::add, Reporters.csv(dir))
                .runId("spark-run")
                .build();
        double[] before = sparkNet.getNetwork().params().toDoubleVector();

        MultiLayerNetwork trained = listener.fit(sparkNet, train, 2);

        assertFalse(java.util.Arrays.equals(before, trained.params().toDoubleVector()), "Spark training changed the parameters");
        List<EpochReport> history = listener.history();
        assertEquals(List.of(1, 2), history.stream().map(EpochReport::epoch).toList());
        assertTrue(history.stream().noneMatch(EpochReport::failed), history.toString());
        assertEquals(history, delivered, "every record reached the reporters");
        assertNotEquals(history.get(0).report(), history.get(1).report(), "each epoch measured its own parameters");
        // The last record is the single-machine evaluation of the trained network.
        assertEquals(listener.evaluator().evaluator().evaluate(trained, org.dl4jinvariance.data.Datasets.mnist()
                .iterator(16, 8000, 48)), history.get(1).report());

        List<String> csv = Files.readAllLines(dir.resolve(CsvReporter.FILE_NAME));
        assertEquals(CsvReporter.HEADER, csv.get(0));
        Set<String> epochs = new TreeSet<>();
        csv.stream().skip(1).forEach(row -> {
            assertTrue(row.startsWith("spark-run,"), row);
            epochs.add(row.split(",")[1]);
        });
        assertEquals(Set.of("1", "2"), epochs);
    }

    @Test
    void aFailedEvaluationIsRecordedAndEveryEpochsIsHonoured() {
        List<DataSet> wide = new ArrayList<>();
        for (DataSet b : LocalSpark.mnistBatches(0, 32, 16)) {
            wide.add(new DataSet(b.getFeatures(), Nd4j.zeros(DataType.FLOAT, b.numExamples(), 11)));
        }
        SparkInvarianceListener listener = SparkInvarianceListener.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).maxExamples(32).everyEpochs(2)
                .evaluate("bad labels", sc.parallelize(wide, 2)).reportTo().build();
        MultiLayerNetwork net = TestNetworks.tinyCnn(3, 3e-3, false);

        assertEquals(List.of(), listener.onEpochEnd(net, 1), "epoch 1 is not evaluated");
        List<EpochReport> made = listener.onEpochEnd(net, 2);
        assertEquals(1, made.size());
        assertTrue(made.get(0).failed() && made.get(0).failure().contains("has 10 classes"), made.get(0).toString());
        assertThrows(IllegalArgumentException.class, () -> SparkInvarianceListener.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).build(), "no data set");
        assertThrows(IllegalArgumentException.class, () -> SparkInvarianceListener.builder().everyEpochs(0));
    }
}
