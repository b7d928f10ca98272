package org.dl4jinvariance.layers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.CyclicGroup;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.testing.EquivarianceChecks;
import org.dl4jinvariance.testing.TestData;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * C8 (filters rotated by bilinear interpolation): exact for the rotations by multiples of 90°,
 * approximately equivariant for the odd multiples of 45°, with an error bounded well below that
 * of the wrong action (the figures are measured by the benchmarks' InterpolationErrorReport).
 */
class InterpolatedGroupTest {

    private static final PlanarGroup C8 = CyclicGroup.of(8);

    private static double relativeError(INDArray actual, INDArray expected) {
        return actual.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
    }

    @Test
    void c8IsExactForQuarterTurnsAndCloseForEighthTurns() {
        MultiLayerNetwork net = TestNetworks.init(new NeuralNetConfiguration.Builder().seed(5).list()
                .layer(new LiftingConvolution.Builder().group(C8).nOut(4).kernelSize(5)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new GroupConvolution.Builder().group(C8).nOut(4).kernelSize(5)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new GroupPooling.Builder().group(C8).mode("max").build())
                .setInputType(InputType.convolutional(28, 28, 1)).build());
        assertFalse(((AbstractGroupConvolution) net.getLayerWiseConfigurations().getConf(0).getLayer()).isExactlyEquivariant());
        GroupAction rotate = ImageActions.rotation(C8);
        INDArray x = TestData.mnistDigits(32);
        FieldType[] fields = EquivarianceChecks.fields(net, i -> null);
        for (int g : new int[] {2, 4, 6}) {
            double[] errors = EquivarianceChecks.layerErrors(net, fields, rotate, g, x);
            for (int i = 0; i < errors.length; i++) {
                assertTrue(errors[i] <= 1e-5, C8.elementName(g) + " layer " + i + ": " + errors[i]);
            }
        }
        INDArray lift = net.feedForward(x, false).get(1);
        INDArray moved = net.feedForward(rotate.apply(1, x), false).get(1);
        double interpolated = relativeError(moved, fields[0].apply(1, lift));
        double withoutChannelShift = relativeError(moved, FieldType.spatial(C8).apply(1, lift));
        assertTrue(interpolated < 0.35, "lifting error at 45°: " + interpolated);
        assertTrue(withoutChannelShift > 2 * interpolated, "negative control " + withoutChannelShift
                + " vs " + interpolated);
    }
}
