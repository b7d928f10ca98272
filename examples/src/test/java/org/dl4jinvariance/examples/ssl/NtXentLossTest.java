package org.dl4jinvariance.examples.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class NtXentLossTest {

    @Test
    void matchesAHandComputedValueOnThreePairs() {
        // Six 2-d embeddings (three pairs: rows 0-1, 2-3, 4-5), all already unit length:
        // angles 0°, 90°, 180°, 270° and two more at 0° and 90°, so every cosine is 1, 0 or −1.
        INDArray h = Nd4j.create(new double[][] {{1, 0}, {0, 1}, {-1, 0}, {0, -1}, {2, 0}, {0, 3}});
        double tau = 0.5;
        // cos matrix (row i, col k):        s = cos / τ = 2·cos
        //   0: [ 1, 0,-1, 0, 1, 0]
        //   1: [ 0, 1, 0,-1, 0, 1]
        //   2: [-1, 0, 1, 0,-1, 0]
        //   3: [ 0,-1, 0, 1, 0,-1]
        //   4: [ 1, 0,-1, 0, 1, 0]
        //   5: [ 0, 1, 0,-1, 0, 1]
        // Per anchor, s over k ≠ i (positive marked *):
        //   0: k=1* 0, k=2 −2, k=3 0, k=4 2, k=5 0   → ℓ = −0 + log(3 + e² + e⁻²)
        //   1: k=0* 0, k=2 0, k=3 −2, k=4 0, k=5 2   → log(3 + e² + e⁻²)
        //   2: k=0 −2, k=1 0, k=3* 0, k=4 −2, k=5 0  → log(3 + 2e⁻²)
        //   3: k=0 0, k=1 −2, k=2* 0, k=4 0, k=5 −2  → log(3 + 2e⁻²)
        //   4: k=0 2, k=1 0, k=2 −2, k=3 0, k=5* 0   → log(3 + e² + e⁻²)
        //   5: k=0 0, k=1 2, k=2 0, k=3 −2, k=4* 0   → log(3 + e² + e⁻²)
        // mean = (4·log(10.5244) + 2·log(3.2707)) / 6 = (4·2.35370 + 2·1.18501) / 6 ≈ 1.96413
        double a = Math.log(3 + Math.exp(2) + Math.exp(-2));
        double b = Math.log(3 + 2 * Math.exp(-2));
        double expected = (4 * a + 2 * b) / 6;
        NtXentLoss loss = new NtXentLoss(tau);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 6, 2);
        double score = loss.computeScore(labels, h, new ActivationIdentity(), null, true);
        assertEquals(expected, score, 1e-10);
        assertEquals(6 * expected, loss.computeScore(labels, h, new ActivationIdentity(), null, false), 1e-10);
        INDArray perAnchor = loss.computeScoreArray(labels, h, new ActivationIdentity(), null);
        assertEquals(6, perAnchor.length());
        assertEquals(b, perAnchor.getDouble(3), 1e-10);
        assertEquals(a, perAnchor.getDouble(5), 1e-10);
    }

    @Test
    void positivePairsThatAgreeScoreLowerThanPairsThatDisagree() {
        INDArray agree = Nd4j.create(new double[][] {{1, 0}, {1, 0.1}, {0, 1}, {0.1, 1}});
        INDArray disagree = Nd4j.create(new double[][] {{1, 0}, {0, 1}, {0, 1}, {1, 0}});
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 4, 2);
        NtXentLoss loss = new NtXentLoss(0.2);
        assertTrue(loss.computeScore(labels, agree, new ActivationIdentity(), null, true)
                < loss.computeScore(labels, disagree, new ActivationIdentity(), null, true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loss.computeScore(Nd4j.zeros(3, 2), Nd4j.rand(3, 2), new ActivationIdentity(), null, true));
        assertTrue(e.getMessage().contains("[3, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NtXentLoss(0));
    }

    @Test
    void passesAGradientCheckInDoublePrecision() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            checkGradients();
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    private void checkGradients() {
        Nd4j.getRandom().setSeed(12345);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(12345).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().nIn(6).nOut(4).activation(Activation.IDENTITY)
                        .lossFunction(new NtXentLoss(0.5)).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 8, 5).subi(0.5);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 8, 4);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                .labels(labels).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "NT-Xent gradient check");
    }
}
