package org.dl4jinvariance.action;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.FiniteGroup;
import org.dl4jinvariance.group.ReversalGroup;
import org.dl4jinvariance.group.ShiftGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Cyclic time shifts and time reversal on sequence batches [B, C, T] and their masks [B, T]. */
class SequenceActionsTest {

    /** [B = 3, C = 2, T = 12] with distinct entries x[b, c, t] = 100·b + 10·c + t + 1 (so any mix-up shows). */
    static INDArray batch() {
        INDArray x = Nd4j.create(DataType.FLOAT, 3, 2, 12);
        for (int b = 0; b < 3; b++) {
            for (int c = 0; c < 2; c++) {
                for (int t = 0; t < 12; t++) {
                    x.putScalar(new long[] {b, c, t}, 100 * b + 10 * c + t + 1);
                }
            }
        }
        return x;
    }

    static List<GroupAction> actions() {
        return List.of(SequenceActions.cyclicTimeShift(3, 4), SequenceActions.cyclicTimeShift(1, 12),
                SequenceActions.cyclicTimeShift(6, 2), SequenceActions.timeReversal());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void actionsAreHomomorphismsBitForBit(GroupAction action) {
        INDArray x = batch();
        FiniteGroup group = action.group();
        for (int g = 0; g < group.order(); g++) {
            for (int h = 0; h < group.order(); h++) {
                INDArray twoSteps = action.apply(g, action.apply(h, x));
                INDArray oneStep = action.apply(group.compose(g, h), x);
                assertArrayEquals(oneStep.dup('c').data().asFloat(), twoSteps.dup('c').data().asFloat(),
                        action.describe() + " g=" + g + " h=" + h);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void theIdentityLeavesTheBatchAndItsMaskAloneAndTheOtherElementsMoveThem(GroupAction action) {
        INDArray x = batch();
        INDArray copy = x.dup();
        int e = action.group().identity();
        assertEquals(x, action.apply(e, x));
        INDArray mask = tailMask();
        assertEquals(mask, action.applyToMask(e, mask, x));
        for (int g = 0; g < action.group().order(); g++) {
            if (g != e) {
                assertFalse(x.equals(action.apply(g, x)), action.describe() + " element " + g + " moves the batch");
            }
        }
        assertEquals(copy, x, "the input is never modified");
    }

    @Test
    void aShiftMovesStepTToTPlusKStepModTAndReversalToTMinus1MinusT() {
        // one example, one channel, T = 6: x = (1, 2, 3, 4, 5, 6)
        INDArray x = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {1, 1, 6});
        GroupAction shift = SequenceActions.cyclicTimeShift(2, 3);
        // element 1 moves step t to t + 2: what was at step 4 (value 5) lands at step 0
        assertArrayEquals(new float[] {5, 6, 1, 2, 3, 4}, shift.apply(1, x).data().asFloat());
        assertArrayEquals(new float[] {3, 4, 5, 6, 1, 2}, shift.apply(2, x).data().asFloat());
        assertArrayEquals(new float[] {6, 5, 4, 3, 2, 1}, SequenceActions.timeReversal().apply(1, x).data().asFloat());
        assertArrayEquals(new long[] {1, 1, 6}, shift.apply(1, x).shape());
    }

    @Test
    void everyChannelOfEveryExampleMovesTheSameWay() {
        INDArray x = batch();
        GroupAction shift = SequenceActions.cyclicTimeShift(3, 4);
        INDArray y = shift.apply(1, x);
        for (int b = 0; b < 3; b++) {
            for (int c = 0; c < 2; c++) {
                for (int t = 0; t < 12; t++) {
                    assertEquals(x.getFloat(b, c, t), y.getFloat(b, c, (t + 3) % 12), "b=" + b + " c=" + c + " t=" + t);
                }
            }
        }
        INDArray r = SequenceActions.timeReversal().apply(1, x);
        assertEquals(x.getFloat(2, 1, 0), r.getFloat(2, 1, 11));
        assertEquals(x.getFloat(1, 0, 4), r.getFloat(1, 0, 7));
    }

    /** Masks [3, 12]: example b has 12 − 2b valid steps, then zeros. */
    private static INDArray tailMask() {
        INDArray mask = Nd4j.zeros(DataType.FLOAT, 3, 12);
        for (int b = 0; b < 3; b++) {
            for (int t = 0; t < 12 - 2 * b; t++) {
                mask.putScalar(b, t, 1);
            }
        }
        return mask;
    }

    @Test
    void perTimeStepMasksMoveWithTheirTimeSteps() {
        INDArray x = batch();
        INDArray mask = tailMask();
        GroupAction shift = SequenceActions.cyclicTimeShift(3, 4);
        INDArray moved = shift.applyToMask(1, mask, x);
        assertArrayEquals(new long[] {3, 12}, moved.shape());
        for (int b = 0; b < 3; b++) {
            for (int t = 0; t < 12; t++) {
                assertEquals(mask.getFloat(b, t), moved.getFloat(b, (t + 3) % 12), "b=" + b + " t=" + t);
            }
        }
        // example 2 has valid steps 0..7; shifted by 3 they are 3..10, steps 0..2 and 11 are masked
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0}, moved.getRow(2).dup().data().asFloat());
        INDArray reversed = SequenceActions.timeReversal().applyToMask(1, mask, x);
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1}, reversed.getRow(2).dup().data().asFloat());

        // the orbit mask stacks g·mask group-major, like the orbit of the batch
        INDArray orbitMask = shift.orbitMask(mask, x);
        assertArrayEquals(new long[] {12, 12}, orbitMask.shape());
        for (int g = 0; g < 4; g++) {
            for (int b = 0; b < 3; b++) {
                assertEquals(shift.applyToMask(g, mask, x).getRow(b), orbitMask.getRow(g * 3L + b), "g=" + g + " b=" + b);
            }
        }
        // a masked step of g·x carries the mask of the step it came from
        INDArray gx = shift.apply(2, x);
        INDArray gm = shift.applyToMask(2, mask, x);
        for (int t = 0; t < 12; t++) {
            int from = Math.floorMod(t - 6, 12);
            assertEquals(x.getFloat(1, 0, from), gx.getFloat(1, 0, t));
            assertEquals(mask.getFloat(1, from), gm.getFloat(1, t));
        }
    }

    @Test
    void perExampleMasksStayAsTheyAre() {
        INDArray x = batch();
        INDArray mask = Nd4j.create(new float[] {1, 0, 1}, new long[] {3, 1});
        for (GroupAction action : actions()) {
            for (int g = 0; g < action.group().order(); g++) {
                assertEquals(mask, action.applyToMask(g, mask, x), action.describe() + " g=" + g);
            }
        }
    }

    @Test
    void aMaskOfTheWrongLengthIsRefusedNamingItsShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SequenceActions.timeReversal().applyToMask(1, Nd4j.ones(3, 7), batch()));
        assertTrue(e.getMessage().contains("[3, 7]") && e.getMessage().contains("[B, 12]"), e.getMessage());
    }

    @Test
    void aShiftWhoseOrderTimesStepIsNotAMultipleOfTheLengthIsRefusedNamingTheNumbers() {
        GroupAction shift = SequenceActions.cyclicTimeShift(5, 4);
        INDArray x = Nd4j.zeros(DataType.FLOAT, 2, 3, 28);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shift.apply(1, x));
        for (String number : List.of("4", "5", "20", "28")) {
            assertTrue(e.getMessage().contains(number), number + " in: " + e.getMessage());
        }
        // the same group on sequences of length 20 is an action
        assertEquals(20, shift.apply(1, Nd4j.zeros(DataType.FLOAT, 2, 3, 20)).size(2));
    }

    @Test
    void rank4InputIsRefusedNamingTheShape() {
        INDArray images = Nd4j.zeros(DataType.FLOAT, 2, 1, 28, 28);
        for (GroupAction action : actions()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> action.apply(1, images));
            assertTrue(e.getMessage().contains("[2, 1, 28, 28]") && e.getMessage().contains("[B, C, T]"), e.getMessage());
        }
    }

    @Test
    void actionsAndTheirFeatureMapFieldsAreEqualByValue() {
        assertEquals(SequenceActions.cyclicTimeShift(7, 4), SequenceActions.cyclicTimeShift(7, 4));
        assertEquals(SequenceActions.cyclicTimeShift(7, 4).hashCode(), SequenceActions.cyclicTimeShift(7, 4).hashCode());
        assertEquals(SequenceActions.timeReversal(), SequenceActions.timeReversal());
        assertEquals(FieldType.featureMaps(SequenceActions.cyclicTimeShift(7, 4)),
                SequenceActions.cyclicTimeShift(7, 4).featureMapField().orElseThrow());
        assertFalse(SequenceActions.cyclicTimeShift(7, 4).equals(SequenceActions.cyclicTimeShift(14, 2)));
        assertFalse(SequenceActions.cyclicTimeShift(7, 4).equals(SequenceActions.cyclicTimeShift(7, 2)));
        assertFalse(SequenceActions.cyclicTimeShift(1, 2).equals(SequenceActions.timeReversal()));
    }

    @Test
    void typedCapabilitiesSaySequenceAndFeatureMapsOfTheActionItself() {
        GroupAction shift = SequenceActions.cyclicTimeShift(7, 4);
        assertTrue(shift.layout().isSequence());
        assertTrue(shift.planarGroup().isEmpty());
        assertEquals(ShiftGroup.of(4, 7), shift.group());
        assertEquals(FieldType.featureMaps(shift), shift.featureMapField().orElseThrow());
        assertEquals(ReversalGroup.of(), SequenceActions.timeReversal().group());
        // ρ of the feature-map field is the action itself, on any channel count
        INDArray maps = Nd4j.rand(DataType.FLOAT, 2, 5, 28);
        assertEquals(shift.apply(3, maps), shift.featureMapField().orElseThrow().apply(3, maps));
    }
}
