package org.dl4jinvariance.action;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dl4jinvariance.group.CyclicGroup;
import org.dl4jinvariance.group.DihedralGroup;
import org.dl4jinvariance.group.FiniteGroup;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageActionsTest {

    /** Six real digits with three channels each (digit, its square, its negative). */
    static INDArray mnistBatch() {
        INDArray digits = TestData.mnistDigits(6);
        return Nd4j.concat(1, digits, digits.mul(digits), digits.neg());
    }

    static List<GroupAction> exactActions() {
        return List.of(ImageActions.rotation(Groups.c4()), ImageActions.rotation(Groups.d4()),
                ImageActions.rotation(CyclicGroup.of(2)), ImageActions.rotation(DihedralGroup.of(2)),
                ImageActions.reflection(), ImageActions.cyclicTranslation(7, 14, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exactActions")
    void exactActionsAreHomomorphismsBitForBit(GroupAction action) {
        INDArray x = mnistBatch();
        FiniteGroup group = action.group();
        for (int g = 0; g < group.order(); g++) {
            for (int h = 0; h < group.order(); h++) {
                INDArray twoSteps = action.apply(g, action.apply(h, x));
                INDArray oneStep = action.apply(group.compose(g, h), x);
                assertArrayEquals(oneStep.data().asFloat(), twoSteps.dup('c').data().asFloat(),
                        action.describe() + " g=" + g + " h=" + h);
            }
        }
        assertArrayEquals(x.dup('c').data().asFloat(), action.apply(group.identity(), x).data().asFloat());
    }

    @Test
    void fourQuarterTurnsGiveBackTheInputBitForBit() {
        GroupAction c4 = ImageActions.rotation(Groups.c4());
        INDArray x = mnistBatch();
        INDArray y = x;
        for (int i = 0; i < 4; i++) {
            y = c4.apply(1, y);
        }
        assertArrayEquals(x.dup('c').data().asFloat(), y.data().asFloat());
        assertTrue(c4.apply(1, x).sub(x).norm1Number().doubleValue() > 1, "a quarter turn moves a digit");
    }

    @Test
    void quarterTurnIsCounterClockwiseAndMirrorIsLeftRight() {
        INDArray x = Nd4j.create(new float[] {1, 2, 3, 4}, new long[] {1, 1, 2, 2}, 'c');
        INDArray rot = ImageActions.rotation(Groups.c4()).apply(1, x);
        assertArrayEquals(new float[] {2, 4, 1, 3}, rot.data().asFloat(), "numpy.rot90 convention");
        INDArray flip = ImageActions.reflection().apply(1, x);
        assertArrayEquals(new float[] {2, 1, 4, 3}, flip.data().asFloat());
        INDArray shifted = ImageActions.cyclicTranslation(1, 0, 2).apply(1, x);
        assertArrayEquals(new float[] {2, 1, 4, 3}, shifted.data().asFloat());
    }

    @Test
    void bilinearRotationIsAHomomorphismOnSmoothImages() {
        // Bilinear interpolation errs by about (|f_xx| + |f_yy|)/8, so "smooth" means a wide bump
        // (σ = 75 px, error < 1e-4) that has decayed to < 1e-4 before the inscribed circle,
        // whose outside a 45° turn cuts off.
        int size = 661;
        INDArray x = Nd4j.create(DataType.DOUBLE, 2, 1, size, size);
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double dy = i - 328.0;
                double dx = j - 333.0;
                x.putScalar(new long[] {0, 0, i, j}, Math.exp(-(dx * dx + dy * dy) / (2 * 75.0 * 75.0)));
                x.putScalar(new long[] {1, 0, i, j}, Math.exp(-((dx + 3) * (dx + 3) + 1.5 * dy * dy) / (2 * 80.0 * 80.0)));
            }
        }
        GroupAction c8 = ImageActions.rotation(CyclicGroup.of(8));
        double worst = 0;
        for (int g = 0; g < 8; g++) {
            for (int h = 0; h < 8; h++) {
                INDArray diff = c8.apply(g, c8.apply(h, x)).sub(c8.apply(c8.group().compose(g, h), x));
                worst = Math.max(worst, diff.amaxNumber().doubleValue());
            }
        }
        assertTrue(worst <= 1e-4, "bilinear C8 homomorphism error " + worst);
        assertTrue(worst > 0, "C8 uses interpolation, so it is not exact");
    }

    @Test
    void continuousRotationAgreesWithExactQuarterTurns() {
        INDArray x = mnistBatch();
        INDArray exact = ImageActions.rotation(Groups.c4()).apply(1, x);
        INDArray continuous = ImageActions.continuousRotation().apply(90, x);
        assertArrayEquals(exact.data().asFloat(), continuous.data().asFloat());
        INDArray small = ImageActions.continuousRotation().apply(1.0, x);
        double change = small.sub(x).norm2Number().doubleValue();
        assertTrue(change > 0 && change < x.sub(exact).norm2Number().doubleValue());
    }

    @Test
    void nonSquareRotationIsRejectedNamingTheShape() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 2, 1, 28, 20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageActions.rotation(Groups.c4()).apply(1, x));
        assertTrue(e.getMessage().contains("[2, 1, 28, 20]"), e.getMessage());
        // mirrors and 180° turns keep rectangles
        assertEquals(20, ImageActions.rotation(DihedralGroup.of(2)).apply(3, x).size(3));
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> ImageActions.rotation(Groups.c4()).apply(1, Nd4j.zeros(DataType.FLOAT, 2, 784)));
        assertTrue(flat.getMessage().contains("forFlatInput"), flat.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageActions.rotation(Groups.c4()).apply(4, x));
    }

    @Test
    void flatInputWrapperMatchesTheImageAction() {
        INDArray images = TestData.mnistDigits(3);
        INDArray flat = images.reshape('c', 3, 784);
        GroupAction d4 = ImageActions.rotation(Groups.d4());
        GroupAction flatD4 = ImageActions.forFlatInput(d4, 1, 28, 28);
        for (int g = 0; g < 8; g++) {
            assertArrayEquals(d4.apply(g, images).data().asFloat(), flatD4.apply(g, flat).dup('c').data().asFloat());
        }
    }

    @Test
    void orbitStacksTransformedCopiesGroupMajor() {
        INDArray x = TestData.mnistDigits(5);
        GroupAction c4 = ImageActions.rotation(Groups.c4());
        INDArray orbit = c4.orbit(x);
        assertArrayEquals(new long[] {20, 1, 28, 28}, orbit.shape());
        for (int g = 0; g < 4; g++) {
            assertEquals(c4.apply(g, x), orbit.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(5 * g, 5 * g + 5)));
        }
    }

    @Test
    void doublePrecisionIsKept() {
        INDArray x = TestData.mnistDigits(2).castTo(DataType.DOUBLE);
        INDArray y = ImageActions.rotation(Groups.d4()).apply(5, x);
        assertEquals(DataType.DOUBLE, y.dataType());
    }

    static List<GroupAction> planarActions() {
        return List.of(ImageActions.rotation(Groups.c4()), ImageActions.rotation(Groups.d4()),
                ImageActions.rotation(Groups.byName("C8")), ImageActions.rotation(DihedralGroup.of(2)));
    }

    /** The one-array orbit of rotations and mirrors equals the copies apply(g, x) stacked group-major, bit for bit. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("planarActions")
    void planarOrbitEqualsTheStackedCopiesBitForBit(GroupAction action) {
        INDArray batch = mnistBatch();
        INDArray view = batch.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 5));   // a view with an offset
        for (INDArray x : List.of(batch, view, batch.castTo(DataType.DOUBLE), batch.castTo(DataType.HALF))) {
            INDArray orbit = action.orbit(x);
            int order = action.group().order();
            INDArray[] copies = new INDArray[order];
            for (int g = 0; g < order; g++) {
                copies[g] = action.apply(g, x);
            }
            INDArray expected = Nd4j.concat(0, copies);
            assertEquals(x.dataType(), orbit.dataType());
            assertArrayEquals(expected.shape(), orbit.shape());
            assertArrayEquals(expected.dup('c').data().asDouble(), orbit.dup('c').data().asDouble(),
                    action.describe() + " " + x.dataType() + (x.isView() ? " view" : ""));
        }
    }

    @Test
    void planarOrbitRefusesWhatApplyRefuses() {
        GroupAction c4 = ImageActions.rotation(Groups.c4());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c4.orbit(Nd4j.zeros(DataType.FLOAT, 2, 1, 4, 6)));
        assertTrue(e.getMessage().contains("[2, 1, 4, 6]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c4.orbit(Nd4j.zeros(DataType.FLOAT, 2, 16)));
    }
}
