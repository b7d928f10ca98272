package org.dl4jinvariance.metric.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.SequenceActions;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.CyclicGroup;
import org.dl4jinvariance.group.DihedralGroup;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ⟨f(g·x), ρ(g)f(x)⟩ read through {@link ActivationBuffer} with {@link FieldTransform}'s index
 * maps equals ρ(g) applied by {@link FieldType#apply} followed by a plain dot product, in both
 * memory layouts DL4J produces.
 */
class FieldTransformTest {

    @Test
    void spatialD4IndexMapsMatchTheFieldActionOnSquareMapsInBothMemoryLayouts() {
        PlanarGroup d4 = Groups.d4();
        check(FieldType.spatial(d4), d4.order(), Nd4j.rand(DataType.DOUBLE, 24, 3, 6, 6));
        // DL4J convolution outputs: logical [N, C, H, W], stored [C, N, H, W]
        check(FieldType.spatial(d4), d4.order(), Nd4j.rand(DataType.DOUBLE, 3, 24, 7, 7).permute(1, 0, 2, 3));
        check(FieldType.spatial(d4), d4.order(), Nd4j.rand(DataType.FLOAT, 3, 24, 5, 5).permute(1, 0, 2, 3));
    }

    @Test
    void d2MirrorIndexMapsMatchTheFieldActionOnRectangularMaps() {
        PlanarGroup d2 = DihedralGroup.of(2);
        check(FieldType.spatial(d2), d2.order(), Nd4j.rand(DataType.DOUBLE, 12, 2, 5, 8));
    }

    @Test
    void regularFieldsPermuteChannelsAndPooledVectorsOnlyChannels() {
        PlanarGroup d4 = Groups.d4();
        check(FieldType.regular(d4, 2), d4.order(), Nd4j.rand(DataType.DOUBLE, 24, 16, 5, 5));
        check(FieldType.regular(d4, 2), d4.order(), Nd4j.rand(DataType.DOUBLE, 16, 24, 5, 5).permute(1, 0, 2, 3));
        check(FieldType.regular(d4, 2), d4.order(), Nd4j.rand(DataType.DOUBLE, 24, 16));
    }

    @Test
    void sequenceFeatureMapsUnderTimeShiftsAndReversalAreWholeExamplePermutations() {
        GroupAction shift = SequenceActions.cyclicTimeShift(3, 4);
        check(FieldType.featureMaps(shift), 4, Nd4j.rand(DataType.DOUBLE, 24, 5, 12));
        check(FieldType.featureMaps(shift), 4, Nd4j.rand(DataType.FLOAT, 24, 5, 12));
        // a strided view (as a layer's permuted output may be) is read through a copy
        check(FieldType.featureMaps(shift), 4, Nd4j.rand(DataType.DOUBLE, 24, 12, 5).permute(0, 2, 1));
        check(FieldType.featureMaps(SequenceActions.timeReversal()), 2, Nd4j.rand(DataType.DOUBLE, 10, 3, 7));
    }

    @Test
    void aShiftThatIsNoActionOnTheLayersLengthIsRefusedWhenThePlanIsMade() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FieldTransform(FieldType.featureMaps(SequenceActions.cyclicTimeShift(3, 4)), 4, new long[] {5, 8}));
        assertTrue(e.getMessage().contains("multiple of 8"), e.getMessage());
    }

    @Test
    void bilinearRotationsAreNotPermutations() {
        FieldTransform t = new FieldTransform(FieldType.spatial(CyclicGroup.of(8)), 8, new long[] {1, 9, 9});
        assertFalse(t.isPermutation(1), "45° interpolates");
        assertTrue(t.isPermutation(2), "90° permutes");
    }

    /**
     * Rows: block g of m = n/|G| rows, like a group-major orbit. Set k = rows k, m + k, 2m + k, ….
     * Gram and ⟨row g, ρ(g)·row 0⟩ of every set equal the direct computation.
     */
    private static void check(FieldType field, int order, INDArray act) {
        ActivationBuffer buffer = ActivationBuffer.of(act);
        int m = (int) act.size(0) / order;
        long[] shape = Arrays.copyOfRange(act.shape(), 1, act.rank());
        FieldTransform t = new FieldTransform(field, order, shape);
        boolean[] permute = new boolean[order];
        int[][] outerMaps = new int[order][];
        int[][] innerMaps = new int[order][];
        for (int g = 0; g < order; g++) {
            permute[g] = t.isPermutation(g);
            assertTrue(permute[g], field + " element " + g);
            outerMaps[g] = t.outerMap(g, buffer.outer());
            innerMaps[g] = t.innerMap(g, buffer.outer());
        }
        ActivationBuffer.SetProducts p = buffer.sets(m, 0, 1, m, order, 0, permute, outerMaps, innerMaps);
        double tol = act.dataType() == DataType.FLOAT ? 1e-4 : 1e-9;
        INDArray first = block(act, 0, m);
        for (int g = 0; g < order; g++) {
            double[] expected = FieldTransform.dot(block(act, g, m), field.apply(g, first));
            double[] gram = FieldTransform.dot(block(act, g, m), block(act, order - 1, m));
            for (int k = 0; k < m; k++) {
                assertEquals(expected[k], p.cross()[k * order + g], tol, field + " element " + g + " set " + k);
                assertEquals(gram[k], p.gram()[(k * order + g) * order + order - 1], tol, "Gram " + g);
                assertEquals(gram[k], p.gram()[(k * order + order - 1) * order + g], tol, "Gram symmetric " + g);
            }
        }
    }

    private static INDArray block(INDArray act, int g, int m) {
        return act.get(NDArrayIndex.interval((long) g * m, (long) (g + 1) * m)).dup('c');
    }
}
