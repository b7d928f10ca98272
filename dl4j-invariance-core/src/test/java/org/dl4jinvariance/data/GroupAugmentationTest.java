package org.dl4jinvariance.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.Groups;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

class GroupAugmentationTest {

    private static int[] elementsUsed(GroupAction action, DataSet before, DataSet after) {
        int n = before.numExamples();
        int[] used = new int[n];
        for (int i = 0; i < n; i++) {
            INDArray x = before.getFeatures().get(NDArrayIndex.interval(i, i + 1));
            INDArray y = after.getFeatures().get(NDArrayIndex.interval(i, i + 1));
            used[i] = -1;
            for (int g = 0; g < action.group().order() && used[i] < 0; g++) {
                if (action.apply(g, x).equals(y)) {
                    used[i] = g;
                }
            }
            assertTrue(used[i] >= 0, "example " + i + " is not g·x for any g");
        }
        return used;
    }

    @Test
    void everyExampleBecomesAGroupElementTimesItselfUniformlyAndSeeded() {
        GroupAction d4 = ImageActions.rotation(Groups.d4());
        DataSet original = Datasets.mnist().slice(0, 400);
        DataSet a = original.copy();
        DataSet b = original.copy();
        GroupAugmentation.of(d4, 42).preProcess(a);
        GroupAugmentation.of(d4, 42).preProcess(b);
        assertEquals(a.getFeatures(), b.getFeatures(), "same seed, same augmentation");
        assertEquals(original.getLabels(), a.getLabels(), "labels untouched");
        int[] counts = new int[8];
        for (int g : elementsUsed(d4, original, a)) {
            counts[g]++;
        }
        for (int c : counts) {
            assertTrue(c > 20 && c < 80, "roughly uniform over 8 elements: " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void probabilityZeroLeavesDataAlone() {
        DataSet original = Datasets.mnist().slice(0, 50);
        DataSet copy = original.copy();
        GroupAugmentation.of(ImageActions.rotation(Groups.c4()), 0.0, 1).preProcess(copy);
        assertEquals(original.getFeatures(), copy.getFeatures());
        assertThrows(IllegalArgumentException.class, () -> GroupAugmentation.of(ImageActions.reflection(), 1.5, 1));
    }

    @Test
    void augmentsEachBatchWhenSetAsAnIteratorPreProcessor() {
        IdxDataSetIterator it = Datasets.mnist().iterator(32, 0, 64);
        it.setPreProcessor(GroupAugmentation.of(ImageActions.rotation(Groups.c4()), 3));
        DataSet augmented = it.next();
        DataSet plain = Datasets.mnist().slice(0, 32);
        elementsUsed(ImageActions.rotation(Groups.c4()), plain, augmented);
        assertTrue(!plain.getFeatures().equals(augmented.getFeatures()));
    }
}
