package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * ComputationGraphs with several inputs: the action transforms the image input, the side input
 * is passed unchanged with every transformed copy, and the image branch measures exactly as it
 * does in a single-input graph with the same weights.
 */
class MultiInputGraphTest {

    private static final int N = 24;

    /** image → conv → gap ┐, side → dense ┘ → merge → output. */
    private static ComputationGraph twoInputs() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("image", "side")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "image")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv")
                .addLayer("sideDense", new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build(), "side")
                .addVertex("merge", new MergeVertex(), "gap", "sideDense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "merge")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(28, 28, 1), InputType.feedForward(5))
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** image → conv → gap → output, the image branch alone. */
    private static ComputationGraph imageOnly() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("image")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "image")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(28, 28, 1))
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static DataSet digits() {
        DataSet ds = Datasets.mnist().iterator(N, 0, N).next();
        ds.setFeatures(ds.getFeatures().castTo(DataType.DOUBLE));
        return ds;
    }

    private static MultiDataSetIterator twoInputData(DataSet ds) {
        INDArray side = Nd4j.rand(DataType.DOUBLE, N, 5);
        MultiDataSet mds = new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {ds.getFeatures(), side},
                new INDArray[] {ds.getLabels()});
        return new OneBatch(mds);
    }

    private static InvarianceEvaluator evaluator(String... actOn) {
        InvarianceEvaluator.Builder b = InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4()))
                .maxExamples(N);
        if (actOn.length > 0) {
            b.actOnInputs(actOn);
        }
        return b.build();
    }

    @Test
    void imageBranchOfTwoInputGraphMeasuresAsTheSameBranchAlone() {
        ComputationGraph two = twoInputs();
        ComputationGraph one = imageOnly();
        one.getLayer("conv").setParams(two.getLayer("conv").params().dup());
        DataSet ds = digits();
        InvarianceReport a = evaluator().evaluate(two, twoInputData(ds));
        InvarianceReport b = evaluator().evaluate(one, new org.nd4j.linalg.dataset.ViewIterator(ds, N));
        for (String layer : List.of("conv", "gap")) {
            for (String key : List.of(MetricKeys.INVARIANCE, MetricKeys.INVARIANCE_NORMALIZED, MetricKeys.EQUIVARIANCE)) {
                assertTrue(a.get(layer, key).isApplicable(), layer + " " + key + ": " + a.get(layer, key));
                assertEquals(b.get(layer, key).mean(), a.get(layer, key).mean(), 1e-9, layer + " " + key);
            }
        }
        assertTrue(a.get("conv", MetricKeys.INVARIANCE).mean() > 1e-3, "rotating the image moves the conv features");
    }

    @Test
    void inputTheActionLeavesAloneGivesExactlyInvariantFeatures() {
        InvarianceReport r = evaluator().evaluate(twoInputs(), twoInputData(digits()));
        assertEquals(0.0, r.get("sideDense", MetricKeys.INVARIANCE).mean(), 1e-12);
        // Its field is trivial (the input is not transformed): equivariance is measured, and 0.
        assertTrue(r.get("sideDense", MetricKeys.EQUIVARIANCE).isApplicable(), r.get("sideDense", MetricKeys.EQUIVARIANCE).toString());
        assertEquals(0.0, r.get("sideDense", MetricKeys.EQUIVARIANCE).mean(), 1e-12);
        assertTrue(r.get("out", MetricKeys.PREDICTION_KL).isApplicable());
    }

    @Test
    void actOnInputsNamingAnUnknownOrUnsuitableInputIsRefused() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> evaluator("pixels").evaluate(twoInputs(), twoInputData(digits())));
        assertTrue(unknown.getMessage().contains("'pixels'") && unknown.getMessage().contains("[image, side]"),
                unknown.getMessage());
        IllegalArgumentException unsuitable = assertThrows(IllegalArgumentException.class,
                () -> evaluator("side").evaluate(twoInputs(), twoInputData(digits())));
        assertTrue(unsuitable.getMessage().contains("'side'") && unsuitable.getMessage().contains("[24, 5]"),
                unsuitable.getMessage());
    }

    @Test
    void singleFeaturesArrayForTwoInputGraphIsRefusedNamingTheInputs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> evaluator().evaluate(twoInputs(), new org.nd4j.linalg.dataset.ViewIterator(digits(), N)));
        assertTrue(e.getMessage().contains("2 inputs [image, side]") && e.getMessage().contains("1 features"),
                e.getMessage());
    }

    /** A MultiDataSetIterator over one batch, resettable. */
    private static final class OneBatch implements MultiDataSetIterator {
        private final MultiDataSet data;
        private boolean done;

        OneBatch(MultiDataSet data) {
            this.data = data;
        }

        @Override
        public MultiDataSet next(int num) {
            return next();
        }

        @Override
        public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        }

        @Override
        public MultiDataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public boolean resetSupported() {
            return true;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            done = false;
        }

        @Override
        public boolean hasNext() {
            return !done;
        }

        @Override
        public MultiDataSet next() {
            done = true;
            return data;
        }
    }
}
