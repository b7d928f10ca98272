package org.dl4jinvariance.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.CyclicGroup;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.testing.EquivarianceChecks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The filter-expansion core: its definition, exactness for C4/D4, and that fold is its adjoint. */
class FilterExpansionTest {

    /**
     * W[(f,g),(c,h)] = D ⊙ T_g (D ⊙ ψ[f, c, g⁻¹·h]), computed here filter by filter with the image
     * action; the disk D is all ones for C4/D4, and for C8 it drops the 4 corners of a 5×5 filter
     * (taps farther than 2.5 from the centre).
     */
    @Test
    void expandMatchesTheDefinition() {
        for (PlanarGroup group : new PlanarGroup[] {Groups.c4(), Groups.d4(), CyclicGroup.of(8)}) {
            int order = group.order();
            GroupAction act = ImageActions.rotation(group);
            int k = group.isGridExact() ? 3 : 5;
            INDArray disk = Nd4j.ones(DataType.DOUBLE, 1, 1, k, k);
            if (!group.isGridExact()) {
                for (int[] corner : new int[][] {{0, 0}, {0, 4}, {4, 0}, {4, 4}}) {
                    disk.putScalar(new int[] {0, 0, corner[0], corner[1]}, 0.0);
                }
            }
            FilterExpansion e = new FilterExpansion(group, k, order, 2, 3, DataType.DOUBLE);
            Nd4j.getRandom().setSeed(1);
            INDArray psi = Nd4j.rand(DataType.DOUBLE, e.baseShape());
            INDArray w = e.expanded(psi);
            assertArrayEquals(new long[] {2L * order, 3L * order, k, k}, w.shape());
            for (int f = 0; f < 2; f++) {
                for (int c = 0; c < 3; c++) {
                    for (int g = 0; g < order; g++) {
                        for (int h = 0; h < order; h++) {
                            int source = group.compose(group.inverse(g), h);
                            INDArray filter = psi.get(NDArrayIndex.point(f), NDArrayIndex.point(c), NDArrayIndex.point(source),
                                    NDArrayIndex.all(), NDArrayIndex.all()).reshape(1, 1, k, k).mul(disk);
                            INDArray expected = act.apply(g, filter).mul(disk).reshape(k, k);
                            INDArray actual = w.get(NDArrayIndex.point(f * order + g), NDArrayIndex.point(c * order + h),
                                    NDArrayIndex.all(), NDArrayIndex.all());
                            assertEquals(0.0, EquivarianceChecks.maxAbsDiff(expected, actual), 1e-12, group + " " + f + c + g + h);
                        }
                    }
                }
            }
        }
    }

    @Test
    void exactGroupsExpandByPermutationOthersInterpolate() {
        for (String name : new String[] {"C1", "C2", "C4", "D1", "D2", "D4"}) {
            assertTrue(new FilterExpansion(Groups.byName(name), 5, 1, 1, 1, DataType.FLOAT).isPermutation(), name);
            assertTrue(new FilterExpansion(Groups.byName(name), 3, Groups.byName(name).order(), 1, 1, DataType.FLOAT)
                    .isPermutation(), name);
        }
        assertFalse(new FilterExpansion(CyclicGroup.of(8), 5, 1, 1, 1, DataType.FLOAT).isPermutation());
    }

    /** ⟨expand(ψ), V⟩ = ⟨ψ, fold(V)⟩: the backward pass is the exact adjoint of the forward map. */
    @Test
    void foldIsTheAdjointOfExpand() {
        for (PlanarGroup group : new PlanarGroup[] {Groups.c4(), Groups.d4(), Groups.byName("D8")}) {
            for (int inputOrder : new int[] {1, group.order()}) {
                FilterExpansion e = new FilterExpansion(group, 5, inputOrder, 3, 2, DataType.DOUBLE);
                Nd4j.getRandom().setSeed(inputOrder);
                INDArray psi = Nd4j.rand(DataType.DOUBLE, e.baseShape()).subi(0.5);
                INDArray v = Nd4j.rand(DataType.DOUBLE, e.expandedShape()).subi(0.5);
                INDArray folded = Nd4j.create(DataType.DOUBLE, e.baseShape());
                e.fold(v, folded);
                double lhs = e.expanded(psi).mul(v).sumNumber().doubleValue();
                double rhs = psi.mul(folded).sumNumber().doubleValue();
                assertEquals(lhs, rhs, 1e-10 * Math.max(1, Math.abs(lhs)), group + " |H|=" + inputOrder);

                INDArray b = Nd4j.rand(DataType.DOUBLE, 3);
                INDArray vb = Nd4j.rand(DataType.DOUBLE, 3L * group.order());
                INDArray fb = Nd4j.create(DataType.DOUBLE, 3);
                e.foldBias(vb, fb);
                assertEquals(e.expandedBias(b).mul(vb).sumNumber().doubleValue(), b.mul(fb).sumNumber().doubleValue(), 1e-12);
            }
        }
    }
}
