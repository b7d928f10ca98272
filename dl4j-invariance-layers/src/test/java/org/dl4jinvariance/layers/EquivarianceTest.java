package org.dl4jinvariance.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.testing.EquivarianceChecks;
import org.dl4jinvariance.testing.EquivariantTestNetworks;
import org.dl4jinvariance.testing.TestData;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Issue test 1: on real MNIST digits, in float32, for every element g of C4 and D4, every layer's
 * output transforms as its FieldType says (max abs error ≤ 1e-5), and after GroupPooling +
 * global pooling the output is invariant.
 */
class EquivarianceTest {

    private static final double TOLERANCE = 1e-5;

    static Stream<PlanarGroup> groups() {
        return Stream.of(Groups.c4(), Groups.d4());
    }

    /**
     * Each layer kind: lifting, dilated group conv, group batch norm, a stride-2 group conv (on
     * 7×7, where stride 2 samples symmetrically), max and mean group pooling.
     */
    @ParameterizedTest
    @MethodSource("groups")
    void everyLayerTransformsAsItsFieldType(PlanarGroup group) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).list()
                .layer(new LiftingConvolution.Builder().group(group).nOut(3).kernelSize(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build())
                .layer(new GroupConvolution.Builder().group(group).nOut(3).kernelSize(3).dilation(2)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new GroupBatchNormalization.Builder().group(group).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                .layer(new GroupConvolution.Builder().group(group).nOut(2).kernelSize(3).stride(2).padding(0)
                        .hasBias(false).activation(Activation.IDENTITY).build())
                .layer(new GroupPooling.Builder().group(group).mode(GroupPooling.Mode.MAX).build())
                .setInputType(InputType.convolutional(28, 28, 1)).build();
        MultiLayerNetwork net = TestNetworks.init(conf);
        // Non-trivial batch-norm statistics and affine parameters, one per field.
        Nd4j.getRandom().setSeed(3);
        var bn = net.getLayer(2);
        bn.getParam("gamma").assign(Nd4j.rand(bn.getParam("gamma").shape()).addi(0.5));
        bn.getParam("beta").assign(Nd4j.rand(bn.getParam("beta").shape()).subi(0.5));
        bn.getParam("mean").assign(Nd4j.rand(bn.getParam("mean").shape()).muli(0.3));
        bn.getParam("var").assign(Nd4j.rand(bn.getParam("var").shape()).addi(0.5));
        assertTrue(((AbstractGroupConvolution) conf.getConf(5).getLayer()).isExactlyEquivariant(),
                "3x3 stride 2 without padding on 7x7 samples symmetrically");

        FieldType[] fields = EquivarianceChecks.fields(net, i -> FieldType.regular(group, 3)); // the two 2x2 poolings
        assertEqualsFieldTypes(net, group, fields, TestData.mnistDigits(16));

        // The same group pooling in mean mode, on the lifting output.
        MultiLayerNetwork mean = TestNetworks.init(new NeuralNetConfiguration.Builder().seed(8).list()
                .layer(new LiftingConvolution.Builder().group(group).nOut(3).kernelSize(5).padding(2)
                        .activation(Activation.SIGMOID).build())
                .layer(new GroupPooling.Builder().group(group).mode("mean").build())
                .setInputType(InputType.convolutional(28, 28, 1)).build());
        assertEqualsFieldTypes(mean, group, EquivarianceChecks.fields(mean, i -> null), TestData.mnistDigits(16));
    }

    /** The 4-layer stack (lifting + 3 group convolutions) on MNIST, then invariance of the class scores. */
    @ParameterizedTest
    @MethodSource("groups")
    void fourLayerStackIsEquivariantAndInvariantAfterPooling(PlanarGroup group) {
        MultiLayerNetwork net = TestNetworks.init(EquivariantTestNetworks.fourLayerStack(group, GroupPooling.Mode.MAX, 11));
        FieldType[] fields = EquivarianceChecks.fields(net, i -> switch (i) {
            case 2 -> FieldType.regular(group, 4);   // 2x2 max pooling keeps the regular field
            case 6, 7 -> FieldType.trivial();        // global pooling of invariant maps, then softmax
            default -> throw new IllegalStateException("layer " + i);
        });
        assertEqualsFieldTypes(net, group, fields, TestData.mnistDigits(16));
    }

    /** The check can fail: the spatial transform without the channel permutation is not the layer's action. */
    @ParameterizedTest
    @MethodSource("groups")
    void wrongFieldTypeIsDetected(PlanarGroup group) {
        MultiLayerNetwork net = TestNetworks.init(EquivariantTestNetworks.fourLayerStack(group, GroupPooling.Mode.MAX, 11));
        FieldType[] wrong = {FieldType.spatial(group)};
        GroupAction act = ImageActions.rotation(group);
        INDArray x = TestData.mnistDigits(8);
        double base = EquivarianceChecks.layerErrors(net, new FieldType[] {FieldType.regular(group, 4)}, act, 1, x)[0];
        double control = EquivarianceChecks.maxAbsDiff(net.feedForward(act.apply(1, x), false).get(1),
                wrong[0].apply(1, net.feedForward(x, false).get(1)));
        assertTrue(base <= TOLERANCE, "regular field error " + base);
        assertTrue(control > 100 * TOLERANCE, "negative control error " + control);
    }

    private static void assertEqualsFieldTypes(MultiLayerNetwork net, PlanarGroup group, FieldType[] fields, INDArray x) {
        GroupAction act = ImageActions.rotation(group);
        for (int g = 0; g < group.order(); g++) {
            double[] errors = EquivarianceChecks.layerErrors(net, fields, act, g, x);
            for (int i = 0; i < errors.length; i++) {
                assertTrue(errors[i] <= TOLERANCE, group.name() + " element " + group.elementName(g) + ", layer " + i
                        + " (" + fields[i] + "): max abs error " + errors[i]);
            }
        }
    }
}
