package org.dl4jinvariance.benchmarks;

import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.CyclicGroup;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.layers.GroupBatchNormalization;
import org.dl4jinvariance.layers.GroupConvolution;
import org.dl4jinvariance.layers.GroupPooling;
import org.dl4jinvariance.layers.LiftingConvolution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Measures how far C8 layers (filters rotated by bilinear interpolation for odd multiples of
 * 45°) are from equivariance, on MNIST digits rotated by each element of C8 (bilinear for odd
 * multiples of 45°, exact for multiples of 90°), next to a C4 network and a plain CNN of the same
 * shape. Per element g, over 512 held-out digits:
 * <ul>
 *   <li>lifting: mean relative error ‖f(g·x) − ρ(g)f(x)‖ / ‖ρ(g)f(x)‖ of the C8 lifting output
 *       (ρ(g) rotates the maps bilinearly and shifts the 8 orientation channels);</li>
 *   <li>invariant: the same relative error for the globally pooled features (ρ = identity);</li>
 *   <li>agree: fraction of digits whose predicted class is the same for g·x and x.</li>
 * </ul>
 * plus the accuracy on the unrotated digits (acc), to tell invariance from a constant prediction.
 * Networks (48 channels per layer: 6 C8 fields, 12 C4 fields or 48 plain channels) are measured
 * at initialisation and after one epoch on 2,048 digits (seed 1).
 * Usage: {@code java -cp benchmarks/target/benchmarks.jar org.dl4jinvariance.benchmarks.InterpolationErrorReport}.
 */
public final class InterpolationErrorReport {

    private static final PlanarGroup C8 = CyclicGroup.of(8);
    private static final int TRAIN = 2_048;

    private InterpolationErrorReport() {
    }

    /**
     * lift (5×5) → BN → ReLU → pool → conv (3×3) → BN → ReLU → pool → conv (3×3) → ReLU → group
     * pooling → global average → softmax; group layers and group batch norm for a group, plain
     * DL4J layers otherwise.
     */
    static MultiLayerConfiguration network(PlanarGroup group, int channels) {
        int fields = group == null ? channels : channels / group.order();
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(3e-3)).list();
        b.layer(conv(group, true, fields, 5, Activation.IDENTITY));
        b.layer(norm(group));
        b.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
        b.layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build());
        b.layer(conv(group, false, fields, 3, Activation.IDENTITY));
        b.layer(norm(group));
        b.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
        b.layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build());
        b.layer(conv(group, false, 2 * fields, 3, Activation.RELU));
        if (group != null) {
            b.layer(new GroupPooling.Builder().group(group).mode("max").build());
        }
        b.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
        b.layer(new OutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX)
                .lossFunction(LossFunctions.LossFunction.MCXENT).build());
        return b.setInputType(InputType.convolutional(28, 28, 1)).build();
    }

    private static Layer conv(PlanarGroup group, boolean lifting, int n, int k, Activation activation) {
        if (group == null) {
            return new ConvolutionLayer.Builder().nOut(n).kernelSize(k, k).convolutionMode(ConvolutionMode.Same)
                    .activation(activation).build();
        }
        return (lifting ? new LiftingConvolution.Builder() : new GroupConvolution.Builder()).group(group).nOut(n)
                .kernelSize(k).convolutionMode(ConvolutionMode.Same).activation(activation).build();
    }

    private static Layer norm(PlanarGroup group) {
        return group == null ? new BatchNormalization.Builder().build()
                : new GroupBatchNormalization.Builder().group(group).build();
    }

    /** Mean over examples of ‖a − b‖ / ‖b‖ (flattened per example). */
    static double meanRelativeError(INDArray a, INDArray b) {
        long n = a.size(0);
        INDArray diff = a.sub(b).reshape(n, -1);
        INDArray ref = b.dup().reshape(n, -1);
        INDArray rel = diff.norm2(1).div(ref.norm2(1).addi(1e-12));
        return rel.meanNumber().doubleValue();
    }

    static double agreement(INDArray p, INDArray q) {
        INDArray a = p.argMax(1);
        INDArray b = q.argMax(1);
        return a.eq(b).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).meanNumber().doubleValue();
    }

    private static void report(String label, MultiLayerNetwork net, boolean c8, DataSet data) {
        GroupAction rotate = ImageActions.rotation(C8);
        INDArray x = data.getFeatures();
        List<INDArray> base = net.feedForward(x, false);
        int pooled = base.size() - 2;
        double accuracy = agreement(base.get(base.size() - 1), data.getLabels());
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-26s %5.2f", label, accuracy));
        for (int g = 1; g < C8.order(); g++) {
            List<INDArray> moved = net.feedForward(rotate.apply(g, x), false);
            String lift = c8 ? String.format(Locale.ROOT, "%.3f", meanRelativeError(moved.get(1),
                    FieldType.regular(C8, (int) (base.get(1).size(1) / 8)).apply(g, base.get(1)))) : "  -  ";
            line.append(String.format(Locale.ROOT, " | %s %.3f %.2f", lift,
                    meanRelativeError(moved.get(pooled), base.get(pooled)),
                    agreement(moved.get(base.size() - 1), base.get(base.size() - 1))));
        }
        System.out.println(line);
    }

    public static void main(String[] args) {
        DataSet heldOut = Datasets.mnist().slice(8_000, 512);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-26s %5s", "network", "acc"));
        for (int g = 1; g < C8.order(); g++) {
            head.append(String.format(Locale.ROOT, " | %-16s", C8.elementName(g) + " lift inv agree"));
        }
        System.out.println(head);
        Object[][] nets = {{"C8 (interpolated)", C8, true}, {"C4", org.dl4jinvariance.group.Groups.c4(), false},
                {"plain CNN", null, false}};
        String only = args.length > 0 ? args[0] : "";
        for (Object[] spec : nets) {
            if (!((String) spec[0]).startsWith(only)) {
                continue;
            }
            MultiLayerNetwork net = new MultiLayerNetwork(network((PlanarGroup) spec[1], 48));
            net.init();
            report(spec[0] + ", init", net, (Boolean) spec[2], heldOut);
            net.fit(Datasets.mnist().iterator(32, 0, TRAIN));
            report(spec[0] + ", 1 epoch", net, (Boolean) spec[2], heldOut);
        }
    }
}
