package org.dl4jinvariance.listeners;

import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.listeners.report.Reporters;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Draws the README's chart: a small CNN trained on 8,000 MNIST digits for 5 epochs, watched on
 * 1,000 held-out digits and 1,000 Fashion-MNIST images under C4, every reporter writing into the
 * directory given as argument (the listener's own output, nothing drawn by hand). Run with the
 * module's test classpath: {@code java -cp <test classpath> org.dl4jinvariance.listeners.ReadmeChart out/}.
 */
public final class ReadmeChart {

    private ReadmeChart() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "results/listener-demo");
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv1").nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool1").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv2").nOut(32).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool2").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("dense").nOut(128).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        InvarianceListener listener = InvarianceListener.builder()
                .inputAction(ImageActions.rotation(Groups.c4()))
                .evaluate("heldOut", Datasets.mnist().iterator(250, 8_000, 1_000))
                .evaluate("ood-fashion", Datasets.fashionMnist().iterator(250, 0, 1_000))
                .reportTo(Reporters.log(), Reporters.csv(dir), Reporters.jsonLines(dir), Reporters.charts(dir),
                        Reporters.html(dir))
                .build();
        listener.evaluateNow(net); // epoch 0: the untrained network, for the charts' first point
        net.addListeners(listener);
        net.fit(Datasets.mnist().iterator(64, 0, 8_000), 5);
    }
}
