package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The reducer's row picking, which works around ND4J M2.1's strided interval index. */
class OrbitReducerTest {

    @Test
    void everyNthPicksStridedRows() {
        INDArray x = Nd4j.arange(24).castTo(DataType.DOUBLE).reshape(12, 2);
        assertEquals(Nd4j.createFromArray(new double[][] {{2, 3}, {10, 11}, {18, 19}}), OrbitReducer.everyNth(x, 1, 4, 3));
        INDArray conv = Nd4j.rand(DataType.DOUBLE, 3, 8, 2, 2).permute(1, 0, 2, 3);
        INDArray row6 = conv.get(NDArrayIndex.interval(6, 7), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
        assertEquals(row6, OrbitReducer.everyNth(conv, 2, 4, 2).get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.all()));
    }
}
