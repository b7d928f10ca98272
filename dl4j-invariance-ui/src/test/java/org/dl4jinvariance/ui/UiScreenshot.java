package org.dl4jinvariance.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.listeners.InvarianceListener;
import org.dl4jinvariance.listeners.report.Reporters;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Takes {@code docs/ui-invariance-page.png}: a small CNN trained on 4,000 MNIST digits for 5
 * epochs under DL4J's {@code StatsListener} and the invariance listener (C4 rotations, 500 held-out
 * digits and 500 Fashion-MNIST images), DL4J's UI on port 9000 as users start it, and headless
 * Chromium's screenshot of the Invariance page (1200×1400). The records go to a
 * {@code FileStatsStorage}; given an existing stats file, the page is shot again from it without
 * training. Run with the module's test classpath:
 * {@code java -cp <test classpath> org.dl4jinvariance.ui.UiScreenshot docs/ui-invariance-page.png stats.dl4j}.
 */
public final class UiScreenshot {

    private UiScreenshot() {
    }

    public static void main(String[] args) throws Exception {
        Path png = Path.of(args.length > 0 ? args[0] : "docs/ui-invariance-page.png");
        Path statsFile = Path.of(args.length > 1 ? args[1] : "target/ui-screenshot-stats.dl4j");
        boolean trained = Files.exists(statsFile);

        UIServer ui = UIServer.getInstance();
        StatsStorage storage = new FileStatsStorage(statsFile.toFile());
        ui.attach(storage);
        String session;
        if (trained) {
            session = storage.listSessionIDs().get(0);
        } else {
            StatsListener stats = new StatsListener(storage);
            train(storage, stats);
            session = stats.getSessionID();
        }
        Thread.sleep(1500); // the UI hands storage events to its modules every 0.5 s
        Path work = Files.createTempDirectory("ui-screenshot");
        String url = ui.getAddress() + InvarianceModule.PAGE + "/" + session;
        Chromium.screenshot(url, 5000, 1200, 1400, png, work);
        System.out.println("Wrote " + png.toAbsolutePath() + " from " + url);
        UIServer.stopInstance();
        storage.close();
    }

    private static void train(StatsStorage storage, StatsListener stats) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv1").nOut(8).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool1").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv2").nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool2").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("dense").nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        InvarianceListener invariance = InvarianceListener.builder()
                .inputAction(ImageActions.rotation(Groups.c4()))
                .evaluate("heldOut", Datasets.mnist().iterator(250, 8_000, 500))
                .evaluate("ood-fashion", Datasets.fashionMnist().iterator(250, 0, 500))
                .reportTo(Reporters.statsStorage(storage, stats.getSessionID()))
                .build();
        invariance.evaluateNow(net); // epoch 0: the untrained network
        net.setListeners(stats, invariance);
        net.fit(Datasets.mnist().iterator(64, 0, 4_000), 5);
    }
}
