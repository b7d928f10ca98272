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
import org.dl4jinvariance.metric.Precision;
import java.util.Locale;
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
 *
 * <p>A third row, {@link #targetPrecision(double)}, is the listener with
 * {@code targetPrecision(h)} (issue 16; target ≤ 0.10 of an epoch), its note the precision
 * reached by the last evaluation of each data set: n, whether every reported 95% CI half-width
 * is at most h, and the largest with its layer, metric and standard deviation (sd = half-width ·
 * √n / 1.96, what decides the n that h needs: (1.96·sd/h)²).
 */
final class ListenerOverheadBenchmark implements Benchmark {

    static final int TRAIN = 8_000;
    static final int HELD_OUT = 1_000;
    static final int OOD = 1_000;

    private final boolean floorOnly;
    private final double targetPrecision;     // 0: the listener's defaults (every example)
    private MultiLayerNetwork net;
    private INDArray heldOutOrbit;
    private INDArray oodOrbit;
    private InvarianceListener listener;
    private DataSetIterator train;
    private long sink;

    private ListenerOverheadBenchmark(boolean floorOnly, double targetPrecision) {
        this.floorOnly = floorOnly;
        this.targetPrecision = targetPrecision;
    }

    /** The listener with its defaults against a training epoch. */
    static ListenerOverheadBenchmark listener() {
        return new ListenerOverheadBenchmark(false, 0);
    }

    /** The plain forward passes of the two orbits against a training epoch (no target). */
    static ListenerOverheadBenchmark forwardFloor() {
        return new ListenerOverheadBenchmark(true, 0);
    }

    /** The listener with {@code targetPrecision(h)} against a training epoch (target ≤ 0.10). */
    static ListenerOverheadBenchmark targetPrecision(double h) {
        return new ListenerOverheadBenchmark(false, h);
    }

    @Override
    public String name() {
        if (targetPrecision > 0) {
            return "listener targetPrecision(" + targetPrecision + ") (C4, <= 1000 held-out + 1000 OOD) / training epoch";
        }
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
        InvarianceListener.Builder b = InvarianceListener.builder();
        if (targetPrecision > 0) {
            b.targetPrecision(targetPrecision);
        }
        listener = b
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

    /** Per data set, the precision of the listener's last evaluation (n, met, largest half-width, where, its sd). */
    @Override
    public String note() {
        if (targetPrecision == 0 || listener.history().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String dataSet : listener.dataSetNames()) {
            java.util.Map<Integer, org.dl4jinvariance.metric.InvarianceReport> h = listener.history(dataSet);
            Precision p = h.get(java.util.Collections.max(h.keySet())).precision().orElseThrow();
            sb.append(String.format(Locale.ROOT, "%s: n=%d met=%s largest half-width %.4f at %s/%s (sd %.3f); ",
                    dataSet, p.n(), p.met(), p.largestHalfWidth(), p.layer(), p.metric(),
                    p.largestHalfWidth() * Math.sqrt(p.n()) / 1.96));
        }
        return sb.toString().trim();
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
