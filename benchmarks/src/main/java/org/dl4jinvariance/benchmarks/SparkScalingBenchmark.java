package org.dl4jinvariance.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.spark.SparkInvarianceEvaluator;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The same Spark evaluation (default metrics at LeNet's 5 layers, C4, N = 1000 MNIST examples in
 * 2 partitions of batches of 100, one ND4J thread per task) on {@code local[2]} ("ours") and on
 * {@code local[1]} ("baseline"). The row prints their times, so ratio = time local[2] / time
 * local[1] = 1 / speed-up; the goal, a throughput ratio local[2]/local[1] ≥ 1.6, is the
 * target ≤ 1/1.6 = 0.625.
 *
 * <p>Only one SparkContext may run per JVM, so each timed run gets a fresh context (its start-up
 * is not timed) and the two masters alternate, starting with the other one each round; the
 * figures are medians over the rounds (the runner's repeat count), after one untimed warm-up run.
 */
final class SparkScalingBenchmark implements Benchmark {

    static final int N = 1000;

    private final int rounds;
    private MultiLayerNetwork net;
    private SparkInvarianceEvaluator evaluator;
    private List<DataSet> batches;
    private double sink;

    SparkScalingBenchmark(int rounds) {
        this.rounds = rounds;
    }

    @Override
    public String name() {
        return "Spark evaluation (LeNet, C4, N=1000) time local[2] / local[1]";
    }

    @Override
    public double target() {
        return 1 / 1.6;
    }

    @Override
    public void setUp() {
        net = MetricPassBenchmark.lenet();
        evaluator = SparkInvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.c4()))
                .layers("conv1", "pool1", "conv2", "dense", "output")
                .maxExamples(N)
                .maxBatch(4 * N / 2)          // two chunks of 500 examples: one per task slot
                .ndThreadsPerTask(1)
                .build();
        batches = new ArrayList<>();
        for (int i = 0; i < N; i += 100) {
            batches.add(Datasets.mnist().slice(i, 100));
        }
    }

    @Override
    public void runOurs() {
        timed("local[2]");
    }

    @Override
    public void runBaseline() {
        timed("local[1]");
    }

    @Override
    public double[] measureOnce() {
        setUp();
        timed("local[2]");                    // warm-up: JIT, ND4J, the first context
        double[] two = new double[rounds];
        double[] one = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                two[r] = timed("local[2]");
                one[r] = timed("local[1]");
            } else {
                one[r] = timed("local[1]");
                two[r] = timed("local[2]");
            }
        }
        return new double[] {BenchmarkRunner.median(two), BenchmarkRunner.median(one)};
    }

    /** Milliseconds of one evaluation on a fresh context with this master (start-up and stop not timed). */
    private double timed(String master) {
        JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster(master).setAppName("SparkScalingBenchmark")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
        try {
            JavaRDD<DataSet> rdd = sc.parallelize(batches, 2).cache();
            rdd.count();                      // materialized before the clock starts
            long t0 = System.nanoTime();
            InvarianceReport report = evaluator.evaluate(net, rdd);
            double ms = (System.nanoTime() - t0) / 1e6;
            sink += report.get("conv1", "invariance").mean();
            return ms;
        } finally {
            sc.stop();
        }
    }
}
