package org.dl4jinvariance.field;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.DihedralGroup;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class FieldTypeTest {

    static List<PlanarGroup> groups() {
        return List.of(Groups.c4(), Groups.d4(), DihedralGroup.of(2), Groups.flipH());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groups")
    void regularFieldActionIsAHomomorphism(PlanarGroup group) {
        Nd4j.getRandom().setSeed(7);
        FieldType rho = FieldType.regular(group, 3);
        int channels = 3 * group.order();
        INDArray maps = Nd4j.rand(DataType.FLOAT, 2, channels, 6, 6);
        INDArray vectors = Nd4j.rand(DataType.FLOAT, 5, channels);
        for (INDArray x : List.of(maps, vectors)) {
            for (int g = 0; g < group.order(); g++) {
                for (int h = 0; h < group.order(); h++) {
                    assertArrayEquals(rho.apply(group.compose(g, h), x).dup('c').data().asFloat(),
                            rho.apply(g, rho.apply(h, x)).dup('c').data().asFloat(), "g=" + g + " h=" + h);
                }
            }
        }
    }

    @Test
    void regularFieldMovesChannelKToGK() {
        PlanarGroup c4 = Groups.c4();
        INDArray x = Nd4j.arange(8).castTo(DataType.FLOAT).reshape(1, 8); // two fields of C4
        INDArray y = FieldType.regular(c4, 2).apply(1, x);
        // [ρ(g)F](f, g·k) = F(f, k): rotating by one step shifts each field's 4 channels by one.
        assertArrayEquals(new float[] {3, 0, 1, 2, 7, 4, 5, 6}, y.data().asFloat());
    }

    @Test
    void regularFieldRotatesSpaceAsWell() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 4, 5, 5);
        INDArray y = FieldType.regular(Groups.c4(), 1).apply(1, x);
        INDArray channel0 = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray expected = ImageActions.rotation(Groups.c4()).apply(1, channel0);
        INDArray actual = y.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.all());
        assertEquals(expected, actual);
    }

    @Test
    void spatialFieldIsAHomomorphismTheTrivialFieldChangesNothingAndBadShapesAreNamed() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 7, 7);
        FieldType spatial = FieldType.spatial(Groups.d4());
        for (int g = 0; g < 8; g++) {
            for (int h = 0; h < 8; h++) {
                assertEquals(spatial.apply(Groups.d4().compose(g, h), x), spatial.apply(g, spatial.apply(h, x)));
            }
        }
        assertEquals(x, FieldType.trivial().apply(3, x));
        assertTrue(FieldType.trivial().isTrivial());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spatial.apply(1, Nd4j.rand(DataType.FLOAT, 2, 10)));
        assertTrue(e.getMessage().contains("[2, 10]"), e.getMessage());
        IllegalArgumentException wrongChannels = assertThrows(IllegalArgumentException.class,
                () -> FieldType.regular(Groups.c4(), 2).apply(1, Nd4j.rand(DataType.FLOAT, 2, 7, 3, 3)));
        assertTrue(wrongChannels.getMessage().contains("8"), wrongChannels.getMessage());
    }
}
