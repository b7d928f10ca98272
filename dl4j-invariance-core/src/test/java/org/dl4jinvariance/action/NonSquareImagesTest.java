package org.dl4jinvariance.action;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Images of 20×28: mirrors and translations act, turns by 90° refuse or turn the centre square on request. */
class NonSquareImagesTest {

    private static INDArray images(int n) {
        return Nd4j.linspace(DataType.DOUBLE, 1, n * 20 * 28, 1).reshape('c', n, 1, 20, 28);
    }

    @Test
    void reflectionMirrorsEachRowOfARectangle() {
        INDArray x = images(2);
        INDArray m = ImageActions.reflection().apply(1, x);
        assertArrayEquals(x.shape(), m.shape());
        assertEquals(x.getDouble(1, 0, 3, 0), m.getDouble(1, 0, 3, 27), 0);
        assertEquals(x, ImageActions.reflection().apply(1, m), "a mirror twice is the identity");
    }

    @Test
    void cyclicTranslationActsOnRectanglesWhenTheShiftsWrapAround() {
        INDArray x = images(1);
        GroupAction shifts = ImageActions.cyclicTranslation(7, 5, 4);      // 4·7 = 28 wide, 4·5 = 20 high
        INDArray once = shifts.apply(1, x);
        assertEquals(x.getDouble(0, 0, 0, 0), once.getDouble(0, 0, 5, 7), 0);
        assertEquals(x, shifts.apply(1, shifts.apply(3, x)), "shift 1 after shift 3 is the identity");
    }

    @Test
    void translationThatDoesNotWrapAroundIsRefusedNamingTheNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageActions.cyclicTranslation(5, 0, 4).apply(1, images(1)));
        assertTrue(e.getMessage().contains("20") && e.getMessage().contains("28") && e.getMessage().contains("C4"),
                e.getMessage());
    }

    @Test
    void quarterTurnsOfRectanglesFailNamingTheShapeAndTheCentreSquareAlternative() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageActions.rotation(Groups.c4()).apply(1, images(1)));
        assertTrue(e.getMessage().contains("[1, 1, 20, 28]") && e.getMessage().contains("rotationOfCentreSquare"),
                e.getMessage());
        // 180° turns keep any rectangle.
        assertArrayEquals(new long[] {1, 1, 20, 28}, ImageActions.rotation(Groups.byName("C2")).apply(1, images(1)).shape());
    }

    @Test
    void centreSquareRotationTurnsTheCentralSquareCrop() {
        INDArray x = images(2);
        INDArray crop = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(4, 24)).dup();
        GroupAction turns = ImageActions.rotationOfCentreSquare(Groups.c4());
        for (int g = 0; g < 4; g++) {
            assertEquals(ImageActions.rotation(Groups.c4()).apply(g, crop), turns.apply(g, x), "element " + g);
        }
    }

    @Test
    void evaluatorMeasuresMirrorEquivarianceOnRectangularFeatureMaps() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("gap").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(20, 28, 1)).build());
        net.init();
        // A conv whose filters are mirror-symmetric is exactly mirror-equivariant.
        INDArray w = net.getLayer(0).getParam("W");
        w.assign(w.add(org.dl4jinvariance.action.ImageActions.reflection().apply(1, w)).div(2));
        DataSet ds = new DataSet(Nd4j.rand(DataType.DOUBLE, 16, 1, 20, 28), Nd4j.eye(3).repeat(0, 6).get(NDArrayIndex.interval(0, 16)));
        InvarianceReport r = InvarianceEvaluator.builder().inputAction(ImageActions.reflection()).maxExamples(16).build()
                .evaluate(net, new ViewIterator(ds, 8));
        assertTrue(r.get("conv", MetricKeys.EQUIVARIANCE).isApplicable(), r.get("conv", MetricKeys.EQUIVARIANCE).toString());
        assertEquals(0.0, r.get("conv", MetricKeys.EQUIVARIANCE).mean(), 1e-12);
        assertEquals(0.0, r.get("gap", MetricKeys.INVARIANCE).mean(), 1e-12);
        assertTrue(r.get("conv", MetricKeys.INVARIANCE).mean() > 1e-3);
    }
}
