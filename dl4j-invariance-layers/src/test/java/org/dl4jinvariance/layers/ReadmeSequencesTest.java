package org.dl4jinvariance.layers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.SequenceActions;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.CyclicGroup;
import org.dl4jinvariance.group.FiniteGroup;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/** The README's "Sequences and your own actions" snippet, as written there, on random sequences. */
class ReadmeSequencesTest {

    @Test
    void readmeSequenceSnippetRunsAndSaysWhatItClaims() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new CircularPadding1D(2, 2))                    // wrap-around: no border for a shift to break
                .layer(new Convolution1DLayer.Builder().name("conv").kernelSize(5).nOut(16).hasBias(false)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("gap").build())   // average over time
                .layer(new OutputLayer.Builder().name("output").nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(28, 28)).build());   // [B, C = 28, T = 28]
        net.init();
        DataSetIterator sequences = randomSequences();

        InvarianceReport shifts = InvarianceEvaluator.builder()
                .inputAction(SequenceActions.cyclicTimeShift(7, 4))     // or SequenceActions.timeReversal()
                .build().evaluate(net, sequences);
        assertTrue(shifts.get("conv", MetricKeys.EQUIVARIANCE).mean() <= 1e-5, shifts.toString());
        assertTrue(shifts.get("gap", MetricKeys.INVARIANCE).mean() <= 1e-6, shifts.toString());

        GroupAction negate = new GroupAction() {                       // your own action: a group and apply(g, x)
            @Override
            public FiniteGroup group() {
                return CyclicGroup.of(2);
            }

            @Override
            public INDArray apply(int g, INDArray x) {
                return g == 0 ? x.dup() : x.neg();
            }
        };
        InvarianceReport signs = InvarianceEvaluator.builder()
                .inputAction(negate)
                .fieldType("conv", FieldType.featureMaps(negate))       // ρ where you know it: odd tanh, no bias
                .fieldType("gap", FieldType.featureMaps(negate))        // elsewhere only invariance is measured
                .build().evaluate(net, sequences);
        assertTrue(signs.get("conv", MetricKeys.EQUIVARIANCE).mean() <= 1e-6, signs.toString());
        assertTrue(signs.get("gap", MetricKeys.EQUIVARIANCE).mean() <= 1e-6, signs.toString());
        assertTrue(signs.get("gap", MetricKeys.INVARIANCE).mean() > 0.5, "f(−x) = −f(x) is far from invariant");
        assertTrue(signs.get("output", MetricKeys.INVARIANCE).isApplicable(), signs.toString());
        assertFalse(signs.get("output", MetricKeys.EQUIVARIANCE).isApplicable(), signs.toString());
    }

    /** 32 random sequences [32, 28, 28] with one-hot labels. */
    private static DataSetIterator randomSequences() {
        Random random = new Random(9);
        INDArray x = Nd4j.create(DataType.FLOAT, 32, 28, 28);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 10);
        for (int b = 0; b < 32; b++) {
            for (int c = 0; c < 28; c++) {
                for (int t = 0; t < 28; t++) {
                    x.putScalar(new long[] {b, c, t}, random.nextGaussian());
                }
            }
            y.putScalar(b, random.nextInt(10), 1);
        }
        return new ExistingDataSetIterator(List.of(new DataSet(x, y)));
    }
}
