package org.dl4jinvariance.action;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An orbit written block by block: a few planes of a c-order input batch are read into a small
 * array, then each group element's {@link PixelMap} (null: the identity) writes its image of
 * them into the stacked output [|G|·N, C, H, W] at row block g·N + b. The arrays are reused for
 * every block, so writing an orbit touches no fresh memory but the output's.
 */
abstract class OrbitBlocks {

    /** Reads {@code length} values from input offset {@code from} (a multiple of the plane size). */
    abstract void read(int from, int length);

    /** Writes {@code map} applied to the block read last at output offset {@code at}. */
    abstract void write(PixelMap map, long at, int length);

    static final class Floats extends OrbitBlocks {
        private final FloatBuffer in;
        private final FloatBuffer out;
        private final long inOffset;
        private final long outOffset;
        private final float[] block;
        private final float[] moved;

        Floats(INDArray input, INDArray output, int blockLength) {
            in = input.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
            out = output.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
            inOffset = input.offset();
            outOffset = output.offset();
            block = new float[blockLength];
            moved = new float[blockLength];
        }

        @Override
        void read(int from, int length) {
            in.get((int) (inOffset + from), block, 0, length);
        }

        @Override
        void write(PixelMap map, long at, int length) {
            if (map != null) {
                map.applyFloat(block, moved, length);
            }
            out.put((int) (outOffset + at), map == null ? block : moved, 0, length);
        }
    }

    static final class Doubles extends OrbitBlocks {
        private final DoubleBuffer in;
        private final DoubleBuffer out;
        private final long inOffset;
        private final long outOffset;
        private final double[] block;
        private final double[] moved;

        Doubles(INDArray input, INDArray output, int blockLength) {
            in = input.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
            out = output.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
            inOffset = input.offset();
            outOffset = output.offset();
            block = new double[blockLength];
            moved = new double[blockLength];
        }

        @Override
        void read(int from, int length) {
            in.get((int) (inOffset + from), block, 0, length);
        }

        @Override
        void write(PixelMap map, long at, int length) {
            if (map != null) {
                map.applyDouble(block, moved, length);
            }
            out.put((int) (outOffset + at), map == null ? block : moved, 0, length);
        }
    }
}
