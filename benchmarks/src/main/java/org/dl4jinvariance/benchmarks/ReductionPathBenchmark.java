package org.dl4jinvariance.benchmarks;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.ReductionPath;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The metric pass of {@link MetricPassBenchmark} (default metrics at 5 layers of the LeNet-sized
 * CNN, C4, N = 1000 MNIST examples) reduced on the ND4J path against the same pass on the Java
 * path: same network, same data, same settings but {@code reduction(...)}. No target: the ND4J
 * path exists for GPU backends, where the Java path would copy every activation to the host; on
 * the CPU backend it is expected to be slower (it copies each layer's orbits to double arrays and
 * cannot overlap the next layer's forward pass as the Java path does).
 */
final class ReductionPathBenchmark implements Benchmark {

    private MultiLayerNetwork net;
    private InvarianceEvaluator nd4j;
    private InvarianceEvaluator java;
    private DataSetIterator data;
    private double sink;

    @Override
    public String name() {
        return "metric pass, ND4J path / Java path (5 layers, C4, N=1000 MNIST)";
    }

    @Override
    public double target() {
        return Double.NaN;
    }

    @Override
    public void setUp() {
        net = MetricPassBenchmark.lenet();
        InvarianceEvaluator.Builder config = InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.c4()))
                .layers("conv1", "pool1", "conv2", "dense", "output")
                .maxExamples(MetricPassBenchmark.N);
        nd4j = config.reduction(ReductionPath.ND4J).build();
        java = config.reduction(ReductionPath.JAVA).build();
        data = Datasets.mnist().iterator(250, 0, MetricPassBenchmark.N);
    }

    @Override
    public void runOurs() {
        sink += nd4j.evaluate(net, data).get("conv1", "invariance").mean();
    }

    @Override
    public void runBaseline() {
        sink += java.evaluate(net, data).get("conv1", "invariance").mean();
    }
}
