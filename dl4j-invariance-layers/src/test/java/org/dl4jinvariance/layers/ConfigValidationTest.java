package org.dl4jinvariance.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.CyclicGroup;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Issue test 6: bad configurations fail when they are built, with a message naming the problem. */
class ConfigValidationTest {

    private static String fails(Executable build) {
        return assertThrows(IllegalArgumentException.class, build).getMessage();
    }

    /** A network whose plain first layer gives {@code channels} channels to the layer under test. */
    private static void buildAfterPlainConv(int channels, Layer layer) {
        new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder().nOut(channels).kernelSize(3, 3).build())
                .layer(layer)
                .layer(new GlobalPoolingLayer.Builder().build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.convolutional(12, 12, 1)).build();
    }

    @Test
    void evenKernelWithExactGroupFails() {
        String msg = fails(() -> new GroupConvolution.Builder().group("C4").nOut(2).kernelSize(4).build());
        assertTrue(msg.contains("kernelSize 4 is even") && msg.contains("C4"), msg);
        msg = fails(() -> new LiftingConvolution.Builder().group(Groups.d4()).nOut(2).kernelSize(2, 2).build());
        assertTrue(msg.contains("even"), msg);
    }

    @Test
    void evenKernelWithInterpolatedGroupIsAllowedButNotExact() {
        LiftingConvolution c8 = new LiftingConvolution.Builder().group("C8").nOut(2).kernelSize(4).build();
        assertFalse(c8.isExactlyEquivariant());
        assertTrue(c8.exactnessProblems().contains("even kernel 4"), c8.exactnessProblems().toString());
    }

    @Test
    void unknownOrMissingGroupFails() {
        assertTrue(fails(() -> new GroupConvolution.Builder().group("X4")).contains("Unknown group 'X4'"));
        assertTrue(fails(() -> new GroupPooling.Builder().group("C0")).contains("Unknown group 'C0'"));
        assertTrue(fails(() -> new GroupBatchNormalization.Builder().group("rot90")).contains("Unknown group 'rot90'"));
        assertTrue(fails(() -> new LiftingConvolution.Builder().nOut(2).kernelSize(3).build()).contains("needs a group"));
        assertTrue(fails(() -> new GroupPooling.Builder().build()).contains("needs a group"));
    }

    @Test
    void inputChannelsNotDivisibleByGroupOrderFailAtNetworkBuild() {
        String msg = fails(() -> buildAfterPlainConv(6, new GroupConvolution.Builder().group(Groups.c4()).nOut(2)
                .kernelSize(3).build()));
        assertTrue(msg.contains("6 channels, not a multiple of |C4| = 4"), msg);
        msg = fails(() -> buildAfterPlainConv(12, new GroupPooling.Builder().group(Groups.d4()).build()));
        assertTrue(msg.contains("12 channels, not a multiple of |D4| = 8"), msg);
        msg = fails(() -> buildAfterPlainConv(6, new GroupBatchNormalization.Builder().group(Groups.c4()).build()));
        assertTrue(msg.contains("not a multiple of |C4|"), msg);
        msg = fails(() -> new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder().nOut(5).kernelSize(3, 3).build(), "in")
                .addLayer("g", new GroupConvolution.Builder().group("C2").nOut(1).kernelSize(3).build(), "conv")
                .addLayer("out", new OutputLayer.Builder().nOut(2).build(), "g")
                .setOutputs("out").setInputTypes(InputType.convolutional(8, 8, 1)).build());
        assertTrue(msg.contains("5 channels, not a multiple of |C2| = 2"), msg);
    }

    /** An explicit nIn the input contradicts fails, also with overrideNinUponBuild(false). */
    @Test
    void explicitNInThatDisagreesWithTheInputFails() {
        String msg = fails(() -> new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder().nOut(8).kernelSize(3, 3).build())
                .layer(new GroupConvolution.Builder().group(Groups.c4()).nIn(3).nOut(2).kernelSize(3).build())
                .layer(new GlobalPoolingLayer.Builder().build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.convolutional(12, 12, 1)).overrideNinUponBuild(false).build());
        assertTrue(msg.contains("nIn = 3 fields was given but the input has 8 channels (2 fields of C4)"), msg);
    }

    @Test
    void otherBadOptionsFail() {
        assertTrue(fails(() -> new GroupConvolution.Builder().group("C4").kernelSize(3).build()).contains("nOut"));
        assertTrue(fails(() -> new GroupConvolution.Builder().group("C4").nOut(1).kernelSize(3, 5).build())
                .contains("square"));
        assertTrue(fails(() -> new GroupConvolution.Builder().group("C4").nOut(1).kernelSize(3).stride(0).build())
                .contains("stride must be >= 1"));
        assertTrue(fails(() -> new GroupConvolution.Builder().group("C4").nOut(1).kernelSize(3).padding(-1).build())
                .contains("padding must be >= 0"));
        assertTrue(fails(() -> new GroupPooling.Builder().group("C4").mode("median")).contains("median"));
        assertTrue(fails(() -> new GroupBatchNormalization.Builder().group("C4").activation(Activation.RELU).build())
                .contains("ActivationLayer"));
        assertTrue(fails(() -> new GroupBatchNormalization.Builder().group("C4").decay(1.0).build()).contains("decay"));
    }

    @Test
    void exactnessIsReportedForStridesAndGroups() {
        GroupConvolution strided = new GroupConvolution.Builder().group("C4").nOut(1).kernelSize(3).stride(2)
                .convolutionMode(ConvolutionMode.Same).build();
        assertFalse(strided.isExactlyEquivariant(), "unknown input size");
        strided.setNIn(InputType.convolutional(28, 28, 8), false);
        assertFalse(strided.isExactlyEquivariant());
        assertTrue(strided.exactnessProblems().get(0).contains("28x28 input asymmetrically"));
        strided.setNIn(InputType.convolutional(27, 27, 8), true);
        assertTrue(strided.isExactlyEquivariant(), strided.exactnessProblems().toString());

        LiftingConvolution c8 = new LiftingConvolution.Builder().group(CyclicGroup.of(8)).nOut(1).kernelSize(5).build();
        assertFalse(c8.isExactlyEquivariant());
        assertEquals(FieldType.regular(CyclicGroup.of(8), 1), c8.outputField());
        assertTrue(new LiftingConvolution.Builder().group(Groups.d4()).nOut(1).kernelSize(5).build().isExactlyEquivariant());
    }

    @Test
    void wrongInputAtRunTimeNamesTheShape() {
        MultiLayerNetwork net = TestNetworks.init(new NeuralNetConfiguration.Builder().list()
                .layer(new GroupConvolution.Builder().group("C4").nIn(2).nOut(1).kernelSize(3).build())
                .layer(new GlobalPoolingLayer.Builder().build())
                .layer(new OutputLayer.Builder().nIn(4).nOut(2).build()).build());
        DL4JInvalidInputException e = assertThrows(DL4JInvalidInputException.class,
                () -> net.output(Nd4j.rand(DataType.FLOAT, 2, 6, 8, 8)));
        assertTrue(e.getMessage().contains("expects NCHW input with 8 channels") && e.getMessage().contains("[2, 6, 8, 8]"),
                e.getMessage());
    }
}
