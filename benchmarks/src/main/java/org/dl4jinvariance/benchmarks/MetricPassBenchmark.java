package org.dl4jinvariance.benchmarks;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.data.IdxDataset;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The full metric pass (default metrics — invariance, equivariance, their normalized forms,
 * cosine similarity ratio, prediction KL, consistency/accuracy — at 5 layers of a LeNet-sized
 * CNN, C4, N = 1000 MNIST examples, evaluator defaults) against the plain inference forward
 * passes it needs: {@code output(x, false)} over the same 4 × 1000 rotated inputs, prepared
 * beforehand and fed in the same 4,000-row batch. Target ≤ 1.10.
 */
final class MetricPassBenchmark implements Benchmark {

    static final int N = 1000;

    private MultiLayerNetwork net;
    private InvarianceEvaluator evaluator;
    private DataSetIterator data;
    private INDArray orbit;
    private double sink;

    @Override
    public String name() {
        return "metric pass (5 layers, C4, N=1000 MNIST) / output() on 4x1000";
    }

    @Override
    public double target() {
        return 1.10;
    }

    @Override
    public void setUp() {
        net = lenet();
        GroupAction c4 = ImageActions.rotation(Groups.c4());
        evaluator = InvarianceEvaluator.builder()
                .inputAction(c4)
                .layers("conv1", "pool1", "conv2", "dense", "output")
                .maxExamples(N)
                .build();
        IdxDataset mnist = Datasets.mnist();
        data = mnist.iterator(250, 0, N);
        orbit = c4.orbit(mnist.slice(0, N).getFeatures());
    }

    @Override
    public void runOurs() {
        InvarianceReport report = evaluator.evaluate(net, data);
        sink += report.get("conv1", "invariance").mean();
    }

    @Override
    public void runBaseline() {
        INDArray out = net.output(orbit, false);
        sink += out.getDouble(0);
    }

    /** LeNet: conv 5×5×20, max-pool, conv 5×5×50, max-pool, dense 500, softmax 10 (431k parameters). */
    static MultiLayerNetwork lenet() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv1").nOut(20).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool1").kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv2").nOut(50).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool2").kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("dense").nOut(500).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
