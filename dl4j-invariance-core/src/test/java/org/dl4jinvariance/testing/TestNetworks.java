package org.dl4jinvariance.testing;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Plain DL4J networks (no equivariant layers) that the tests of every module share. Core publishes
 * them in its test-jar; networks with the equivariant layers are in the layers module's test-jar
 * ({@code EquivariantTestNetworks}).
 *
 * <p>Every builder returns an initialised, untrained network unless its name says "trained", and
 * is deterministic: the same arguments give the same parameters. Unless stated otherwise, the
 * input is a 28×28×1 image (the embedded MNIST digits of {@link TestData}) and the output a
 * 10-class softmax with MCXENT loss; the data type is DL4J's default (float) unless given.
 */
public final class TestNetworks {

    private TestNetworks() {
    }

    /** {@code new MultiLayerNetwork(conf)}, initialised. */
    public static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** {@code new ComputationGraph(conf)}, initialised. */
    public static ComputationGraph init(ComputationGraphConfiguration conf) {
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /**
     * The small CNN of the metric tests: conv1 (5×5, 8 channels, relu) → pool1 (2×2 max, stride 2)
     * → conv2 (3×3, 16 channels, relu) → dense (32, relu) → output (10, softmax); Adam 1e-3,
     * Xavier initialisation, in the given data type. Layers are named conv1/pool1/conv2/dense/output.
     */
    public static MultiLayerNetwork smallCnn(long seed, DataType type) {
        return init(new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(type).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv1").nOut(8).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool1").kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv2").nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("dense").nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build());
    }

    /**
     * {@link #smallCnn} as a ComputationGraph: input "in", then vertices conv1/pool1/conv2/dense/output
     * in a chain, with the same parameter layout (so {@code graph.setParams(net.params())} gives the
     * same function).
     */
    public static ComputationGraph smallCnnGraph(long seed, DataType type) {
        return init(new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(type).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .addLayer("conv1", new ConvolutionLayer.Builder(5, 5).nOut(8).activation(Activation.RELU).build(), "in")
                .addLayer("pool1", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "conv1")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(16).activation(Activation.RELU).build(), "pool1")
                .addLayer("dense", new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build(), "conv2")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("output")
                .setInputTypes(InputType.convolutional(28, 28, 1))
                .build());
    }

    /**
     * The tiny CNN that trains on a few hundred digits in a second or two: conv (3×3, 4 channels,
     * relu) → pool (2×2 max, stride 2) → dense (16, relu; dropout with retain probability 0.5 when
     * {@code dropout}) → output (10, softmax); Adam with the given learning rate, Xavier
     * initialisation. Layers are named conv/pool/dense/output.
     */
    public static MultiLayerNetwork tinyCnn(long seed, double learningRate, boolean dropout) {
        DenseLayer.Builder dense = new DenseLayer.Builder().name("dense").nOut(16).activation(Activation.RELU);
        if (dropout) {
            dense.dropOut(0.5);
        }
        return init(new NeuralNetConfiguration.Builder()
                .seed(seed).updater(new Adam(learningRate)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(4).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(dense.build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build());
    }

    /** {@link #tinyCnn} as a ComputationGraph: input "in", then vertices conv/pool/dense/output in a chain. */
    public static ComputationGraph tinyCnnGraph(long seed, double learningRate, boolean dropout) {
        DenseLayer.Builder dense = new DenseLayer.Builder().nOut(16).activation(Activation.RELU);
        if (dropout) {
            dense.dropOut(0.5);
        }
        return init(new NeuralNetConfiguration.Builder()
                .seed(seed).updater(new Adam(learningRate)).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "conv")
                .addLayer("dense", dense.build(), "pool")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("output")
                .setInputTypes(InputType.convolutional(28, 28, 1))
                .build());
    }

    /**
     * {@link #tinyCnn} with Adam 3e-3 and no dropout, trained for one epoch on
     * {@link TestData#mnistTraining300()} (the first 300 embedded digits, batches of 50).
     */
    public static MultiLayerNetwork trainedTinyCnn(long seed) {
        MultiLayerNetwork net = tinyCnn(seed, 3e-3, false);
        net.fit(TestData.mnistTraining300());
        return net;
    }

    /** {@link #tinyCnnGraph} with Adam 3e-3 and no dropout, trained like {@link #trainedTinyCnn}. */
    public static ComputationGraph trainedTinyCnnGraph(long seed) {
        ComputationGraph graph = tinyCnnGraph(seed, 3e-3, false);
        graph.fit(TestData.mnistTraining300());
        return graph;
    }

    /**
     * A CNN with every kind of state a probe could disturb: conv (3×3, 4 channels, relu) → pool
     * (2×2 max, stride 2) → bn (batch normalization) → dense (16, relu, dropout with retain
     * probability 0.5) → output (10, softmax); Adam 1e-2. Layers are named conv/pool/bn/dense/output.
     */
    public static MultiLayerNetwork batchNormCnn(long seed) {
        return init(new NeuralNetConfiguration.Builder()
                .seed(seed).updater(new Adam(1e-2))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(4).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder().name("pool").kernelSize(2, 2).stride(2, 2).build())
                .layer(new BatchNormalization.Builder().name("bn").build())
                .layer(new DenseLayer.Builder().name("dense").nOut(16).dropOut(0.5).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build());
    }

    /** {@link #batchNormCnn} as a ComputationGraph: input "in", then vertices conv/pool/bn/dense/output in a chain. */
    public static ComputationGraph batchNormCnnGraph(long seed) {
        return init(new NeuralNetConfiguration.Builder()
                .seed(seed).updater(new Adam(1e-2))
                .graphBuilder()
                .addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("pool", new SubsamplingLayer.Builder().kernelSize(2, 2).stride(2, 2).build(), "conv")
                .addLayer("bn", new BatchNormalization.Builder().build(), "pool")
                .addLayer("dense", new DenseLayer.Builder().nOut(16).dropOut(0.5).activation(Activation.RELU).build(), "bn")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("output")
                .setInputTypes(InputType.convolutional(28, 28, 1))
                .build());
    }

    /**
     * {@code first} → pool (global average pooling) → output (10, softmax), float, for the given
     * input type: the head that makes any first layer's feature maps a classifier.
     */
    public static MultiLayerNetwork withGlobalPoolingHead(long seed, Layer first, InputType input) {
        return init(new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT)
                .list()
                .layer(first)
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(input)
                .build());
    }

    /**
     * Invariant by construction under C4: conv (5×5, 6 channels, relu, every kernel replaced by the
     * mean of its four quarter turns, so k = rot90(k)) → pool (global average pooling) → output
     * (10, softmax); double precision. The conv maps rotate with the input (spatially equivariant),
     * the pooled features and the output do not change.
     */
    public static MultiLayerNetwork c4SymmetricKernelCnn(long seed) {
        MultiLayerNetwork net = init(new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.DOUBLE)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv").nOut(6).activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build());
        INDArray w = net.getLayer("conv").getParam("W");          // [6, 1, 5, 5]
        INDArray symmetric = Nd4j.zeros(DataType.DOUBLE, w.shape());
        for (int o = 0; o < w.size(0); o++) {
            INDArray k = w.get(NDArrayIndex.point(o), NDArrayIndex.point(0)).dup();
            INDArray sum = Nd4j.zeros(DataType.DOUBLE, 5, 5);
            for (int r = 0; r < 4; r++) {
                sum.addi(k);
                k = rot90(k);
            }
            symmetric.get(NDArrayIndex.point(o), NDArrayIndex.point(0)).assign(sum.divi(4));
        }
        net.getLayer("conv").setParam("W", symmetric);
        return net;
    }

    private static INDArray rot90(INDArray k) {
        int n = (int) k.size(0);
        INDArray out = Nd4j.zeros(k.dataType(), n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out.putScalar(n - 1 - j, i, k.getDouble(i, j));
            }
        }
        return out;
    }

    /**
     * A linear feature layer: conv (3×3, 4 channels, identity activation) → output (10, softmax);
     * double precision. Scaling the conv's weights and bias scales its activations exactly.
     */
    public static MultiLayerNetwork linearConv(long seed) {
        return init(new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.DOUBLE)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(4).activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build());
    }

    /**
     * A network whose every value can be worked out by hand, on 1×3 images (3 inputs), double
     * precision: lin (dense 3 → 3, identity weights, no bias, identity activation, so f(x) = x)
     * → out (3 classes, weights ln2 · identity, no bias, softmax: e_k ↦ p with p_k = ½ and ¼
     * elsewhere). No seed: every parameter is set.
     */
    public static MultiLayerNetwork identityThenSoftmaxOfLn2() {
        MultiLayerNetwork net = init(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .list()
                .layer(new DenseLayer.Builder().name("lin").nOut(3).hasBias(false).activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3).hasBias(false)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(1, 3, 1))
                .build());
        net.getLayer("lin").setParam("W", Nd4j.eye(3).castTo(DataType.DOUBLE));
        net.getLayer("out").setParam("W", Nd4j.eye(3).castTo(DataType.DOUBLE).muli(Math.log(2)));
        return net;
    }
}
