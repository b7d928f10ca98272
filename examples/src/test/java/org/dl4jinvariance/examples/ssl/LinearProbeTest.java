package org.dl4jinvariance.examples.ssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.examples.Cnns;
import org.dl4jinvariance.metric.MetricValue;
import org.dl4jinvariance.testing.TestData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LinearProbeTest {

    @Test
    void separatesLinearlySeparableFeaturesAndNotNoise() {
        int n = 600;
        int classes = 3;
        Random random = new Random(4);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, classes);
        INDArray informative = Nd4j.zeros(DataType.FLOAT, n, 5);
        INDArray noise = Nd4j.zeros(DataType.FLOAT, n, 5);
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            labels.putScalar(i, c, 1);
            for (int f = 0; f < 5; f++) {
                informative.putScalar(i, f, (f == c ? 3 : 0) + random.nextGaussian() * 0.3);
                noise.putScalar(i, f, random.nextGaussian());
            }
        }
        INDArray trainX = informative.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 400));
        INDArray trainY = labels.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 400));
        INDArray testX = informative.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(400, n));
        INDArray testY = labels.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(400, n));
        MetricValue good = LinearProbe.fit(trainX, trainY, 10, 1).accuracy(testX, testY, 1);
        assertTrue(good.mean() > 0.97, "separable classes: " + good);
        assertEquals(200, good.n());
        assertTrue(good.ciLow() <= good.mean() && good.mean() <= good.ciHigh());

        INDArray noiseTrain = noise.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 400));
        INDArray noiseTest = noise.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(400, n));
        MetricValue chance = LinearProbe.fit(noiseTrain, trainY, 10, 1).accuracy(noiseTest, testY, 1);
        assertTrue(chance.mean() < 0.5, "features without class information stay near chance (1/3): " + chance);
    }

    @Test
    void featuresAreTheNamedLayersActivations() {
        MultiLayerNetwork net = Cnns.plain(3);
        INDArray x = TestData.mnistDigits(7);
        INDArray dense = LinearProbe.features(net, "dense", x);
        assertArrayEquals(new long[] {7, 64}, dense.shape());
        INDArray expected = net.feedForward(x, false).get(7);   // input, conv1, pool1, conv2, pool2, conv3, gap, dense
        assertEquals(expected, dense);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinearProbe.features(net, "nope", x));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }
}
