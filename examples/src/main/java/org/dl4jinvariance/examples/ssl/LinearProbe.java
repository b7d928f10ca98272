package org.dl4jinvariance.examples.ssl;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jinvariance.metric.MetricValue;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A linear probe: multinomial logistic regression on a frozen encoder's features,
 * <pre>  p(y | x) = softmax(W·ĥ(x) + b),  ĥ = (h − μ) / σ  (μ, σ per feature, from the training features)</pre>
 * fitted by Adam on the cross entropy. Its held-out accuracy says how much class information the
 * features carry in linearly readable form.
 */
public final class LinearProbe {

    private static final int FEATURE_BATCH = 500;
    private static final int PROBE_BATCH = 128;

    private final MultiLayerNetwork classifier;
    private final INDArray mean;
    private final INDArray std;

    private LinearProbe(MultiLayerNetwork classifier, INDArray mean, INDArray std) {
        this.classifier = classifier;
        this.mean = mean;
        this.std = std;
    }

    /** The activations of layer {@code layer} of {@code net} for {@code x}, flattened to [n, F], in inference mode. */
    public static INDArray features(MultiLayerNetwork net, String layer, INDArray x) {
        int index = indexOf(net, layer);
        List<INDArray> parts = new ArrayList<>();
        for (long from = 0; from < x.size(0); from += FEATURE_BATCH) {
            long to = Math.min(x.size(0), from + FEATURE_BATCH);
            INDArray chunk = x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
            List<INDArray> acts = net.feedForwardToLayer(index, chunk, false);
            INDArray h = acts.get(acts.size() - 1);
            parts.add(h.reshape('c', h.size(0), h.length() / h.size(0)).dup());
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    /**
     * Fits the probe on {@code features} [n, F] and one-hot {@code labels} [n, C] for
     * {@code epochs} passes in shuffled minibatches.
     */
    public static LinearProbe fit(INDArray features, INDArray labels, int epochs, long seed) {
        if (epochs < 1) {
            throw new IllegalArgumentException("A linear probe needs epochs >= 1, got " + epochs);
        }
        if (features.rank() != 2 || labels.rank() != 2 || features.size(0) != labels.size(0)) {
            throw new IllegalArgumentException("A linear probe needs features [n, F] and labels [n, C] with the same n, got "
                    + java.util.Arrays.toString(features.shape()) + " and " + java.util.Arrays.toString(labels.shape()));
        }
        INDArray mean = features.mean(true, 0);
        INDArray std = features.std(true, 0).addi(1e-6);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(5e-2))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("probe")
                        .nIn(features.size(1)).nOut(labels.size(1)).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork classifier = new MultiLayerNetwork(conf);
        classifier.init();
        // Own copies: shuffling works in place and must not reorder (or fail to reorder) the caller's views.
        DataSet all = new DataSet(standardize(features, mean, std), labels.castTo(features.dataType()).dup('c'));
        for (int epoch = 0; epoch < epochs; epoch++) {
            all.shuffle(seed + epoch);
            for (DataSet batch : all.batchBy(PROBE_BATCH)) {
                classifier.fit(batch);
            }
        }
        return new LinearProbe(classifier, mean, std);
    }

    /** Per-example correctness on {@code features} summarized as accuracy with a seeded 95% bootstrap CI. */
    public MetricValue accuracy(INDArray features, INDArray labels, long seed) {
        INDArray predicted = classifier.output(standardize(features, mean, std), false).argMax(1);
        INDArray truth = labels.argMax(1);
        int n = (int) features.size(0);
        double[] correct = new double[n];
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            classes[i] = truth.getInt(i);
            correct[i] = predicted.getInt(i) == classes[i] ? 1 : 0;
        }
        return MetricValue.of(correct, classes, seed);
    }

    private static INDArray standardize(INDArray features, INDArray mean, INDArray std) {
        return features.subRowVector(mean).diviRowVector(std);
    }

    private static int indexOf(MultiLayerNetwork net, String layer) {
        Layer[] layers = net.getLayers();
        for (int i = 0; i < layers.length; i++) {
            if (layer.equals(layers[i].conf().getLayer().getLayerName())) {
                return i;
            }
        }
        throw new IllegalArgumentException("No layer named '" + layer + "' in the network; it has "
                + java.util.Arrays.stream(layers).map(l -> l.conf().getLayer().getLayerName()).toList());
    }
}
