package org.dl4jinvariance.examples.ssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.GroupAugmentation;
import org.dl4jinvariance.examples.Cnns;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.TestData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

class PairedViewsTest {

    private static final GroupAction C4 = ImageActions.rotation(Groups.c4());

    /** Records the input of every minibatch the network trains on. */
    private static final class InputRecorder extends BaseTrainingListener {
        final List<INDArray> inputs = new ArrayList<>();

        @Override
        public void onForwardPass(Model model, List<INDArray> activations) {
            inputs.add(activations.get(0).detach());
        }
    }

    @Test
    void everyMinibatchTheNetworkTrainsOnHoldsTwoViewsOfTheSameImageInRows2kAnd2kPlus1() {
        // Views = a random C4 rotation each (exact and invertible), so every row can be traced to its image.
        INDArray images = TestData.mnistDigits(22);
        int batchImages = 8;                                    // 3 minibatches: 8, 8 and 6 images
        PairedViews views = new PairedViews(images, batchImages, 4, ViewAugmentation.identity(), 7);
        views.setPreProcessor(GroupAugmentation.of(C4, 11));
        MultiLayerNetwork net = Cnns.plainWithHead(1, new OutputLayer.Builder(new NtXentLoss()).name("output").nOut(4)
                .activation(Activation.IDENTITY).build());
        InputRecorder recorder = new InputRecorder();
        net.setListeners(recorder);
        net.fit(views, 2);

        assertEquals(6, recorder.inputs.size(), "3 minibatches per epoch, 2 epochs");
        int rotatedPairs = 0;
        for (int m = 0; m < recorder.inputs.size(); m++) {
            INDArray batch = recorder.inputs.get(m);
            int first = (m % 3) * batchImages;
            int n = (int) Math.min(batchImages, images.size(0) - first);
            assertEquals(2L * n, batch.size(0), "minibatch " + m + " has two rows per image");
            for (int k = 0; k < n; k++) {
                INDArray source = row(images, first + k);
                int g1 = elementMapping(source, row(batch, 2 * k));
                int g2 = elementMapping(source, row(batch, 2 * k + 1));
                assertTrue(g1 >= 0 && g2 >= 0, "minibatch " + m + ", pair " + k + ": rows " + (2 * k) + " and "
                        + (2 * k + 1) + " are both rotations of image " + (first + k));
                rotatedPairs += g1 != g2 ? 1 : 0;
                if (k + 1 < n) {
                    assertEquals(-1, elementMapping(row(images, first + k + 1), row(batch, 2 * k)),
                            "row " + (2 * k) + " is not a view of the next image");
                }
            }
        }
        assertTrue(rotatedPairs > 5, "the two views usually differ: " + rotatedPairs + " pairs with different rotations");
    }

    @Test
    void viewsDifferBetweenEpochsAndRepeatWithTheSeed() {
        INDArray images = TestData.mnistDigits(4);
        ViewAugmentation noisy = ViewAugmentation.shiftAndNoise(2, 0.1);
        PairedViews a = new PairedViews(images, 4, 3, noisy, 5);
        PairedViews b = new PairedViews(images, 4, 3, noisy, 5);
        DataSet first = a.next();
        assertEquals(first.getFeatures(), b.next().getFeatures(), "same seed, same views");
        assertArrayEquals(new long[] {8, 1, 28, 28}, first.getFeatures().shape());
        assertArrayEquals(new long[] {8, 3}, first.getLabels().shape());
        a.reset();
        assertNotEquals(first.getFeatures(), a.next().getFeatures(), "a new epoch draws new views");
        assertTrue(first.getFeatures().minNumber().doubleValue() >= 0 && first.getFeatures().maxNumber().doubleValue() <= 1);
    }

    @Test
    void shiftWithoutNoiseMovesThePixels() {
        INDArray image = TestData.mnistDigits(1);
        INDArray unchanged = ViewAugmentation.shiftAndNoise(0, 0).apply(image, new java.util.Random(1));
        assertEquals(image, unchanged);
        INDArray shifted = ViewAugmentation.shiftAndNoise(3, 0).apply(image, new java.util.Random(1));
        // A digit centred in its 20×20 box keeps all its ink under a shift of at most 3 pixels.
        assertEquals(image.sumNumber().doubleValue(), shifted.sumNumber().doubleValue(), 1e-3);
    }

    @Test
    void badArgumentsAreNamed() {
        INDArray images = TestData.mnistDigits(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PairedViews(images, 0, 3, ViewAugmentation.identity(), 1));
        assertTrue(e.getMessage().contains("batchImages"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ViewAugmentation.shiftAndNoise(-1, 0));
    }

    @Test
    void rotationPretextLabelsEachImageWithItsRotation() {
        INDArray images = TestData.mnistDigits(10);
        RotationPretext pretext = new RotationPretext(images, 10, C4, 3);
        DataSet ds = pretext.next();
        int[] seen = new int[4];
        for (int b = 0; b < 10; b++) {
            int g = ds.getLabels().getRow(b).argMax().getInt(0);
            seen[g]++;
            assertEquals(C4.apply(g, row(images, b)), row(ds.getFeatures(), b), "row " + b + " is rotation " + g);
        }
        assertTrue(java.util.Arrays.stream(seen).filter(c -> c > 0).count() >= 3, java.util.Arrays.toString(seen));
    }

    /** The element g with g·source == view exactly, or −1. */
    private static int elementMapping(INDArray source, INDArray view) {
        for (int g = 0; g < 4; g++) {
            if (C4.apply(g, source).equals(view)) {
                return g;
            }
        }
        return -1;
    }

    private static INDArray row(INDArray x, int i) {
        return x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup();
    }
}
