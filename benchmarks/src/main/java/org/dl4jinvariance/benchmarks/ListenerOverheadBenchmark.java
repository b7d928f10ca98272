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
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.listeners.InvarianceListener;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.listeners.report.Reporters;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * What watching invariance costs per epoch: one {@link InvarianceListener} evaluation with its
 * defaults (every layer, default metrics, C4, 1,000 held-out MNIST + 1,000 Fashion-MNIST
 * examples, the log table rendered to a no-op sink) against one training epoch of the same
 * network on 8,000 MNIST examples (batch 64, Adam). The network is a small MNIST CNN (LeNet:
 * conv 5×5×20, max-pool, conv 5×5×50, max-pool, dense 500, softmax; 431k parameters).
 * Target ≤ 0.10.
 *
 * <p>A second row, {@link #forwardFloor()}, times only the plain inference passes such an
 * evaluation cannot avoid ({@code output(x, false)} on the two 4 × 1,000-row orbits, prepared
 * beforehand) against the same training epoch: the floor under the listener's ratio.
 */
final class ListenerOverheadBenchmark implements Benchmark {

    static final int TRAIN = 8_000;
    static final int HELD_OUT = 1_000;
    static final int OOD = 1_000;

    private final boolean floorOnly;
    private MultiLayerNetwork net;
    private INDArray heldOutOrbit;
    private INDArray oodOrbit;
    private InvarianceListener listener;
    private DataSetIterator train;
    private long sink;

    private ListenerOverheadBenchmark(boolean floorOnly) {
        this.floorOnly = floorOnly;
    }

    /** The listener with its defaults against a training epoch. */
    static ListenerOverheadBenchmark listener() {
        return new ListenerOverheadBenchmark(false);
    }

    /** The plain forward passes of the two orbits against a training epoch (no target). */
    static ListenerOverheadBenchmark forwardFloor() {
        return new ListenerOverheadBenchmark(true);
    }

    @Override
    public String name() {
        return floorOnly ? "output() on the 2 x 4000 orbit rows alone / training epoch (8000 MNIST, LeNet)"
                : "listener per epoch (C4, 1000 held-out + 1000 OOD) / training epoch (8000 MNIST, LeNet)";
    }

    @Override
    public double target() {
        return floorOnly ? Double.NaN : 0.10;
    }

    @Override
    public void setUp() {
        net = lenet();
        train = Datasets.mnist().iterator(64, 0, TRAIN);
        listener = InvarianceListener.builder()
                .inputAction(ImageActions.rotation(Groups.c4()))
                .evaluate("heldOut", Datasets.mnist().iterator(250, TRAIN, HELD_OUT))
                .evaluate("ood-fashion", Datasets.fashionMnist().iterator(250, 0, OOD))
                .reportTo(Reporters.log(table -> sink += table.length()))
                .build();
        GroupAction c4 = ImageActions.rotation(Groups.c4());
        heldOutOrbit = c4.orbit(Datasets.mnist().slice(TRAIN, HELD_OUT).getFeatures());
        oodOrbit = c4.orbit(Datasets.fashionMnist().slice(0, OOD).getFeatures());
    }

    @Override
    public void runOurs() {
        if (floorOnly) {
            sink += net.output(heldOutOrbit, false).length() + net.output(oodOrbit, false).length();
            return;
        }
        // Exactly what onEpochEnd does at the end of an evaluated epoch.
        for (EpochReport r : listener.evaluateNow(net)) {
            if (r.failed()) {
                throw new IllegalStateException("The listener failed during the benchmark: " + r.failure());
            }
        }
    }

    @Override
    public void runBaseline() {
        train.reset();
        net.fit(train);
    }

    /** LeNet: conv 5×5×20, max-pool, conv 5×5×50, max-pool, dense 500, softmax 10 (431k parameters). */
    static MultiLayerNetwork lenet() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv1").nOut(20).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool1").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv2").nOut(50).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool2").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("dense").nOut(500).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }
}
