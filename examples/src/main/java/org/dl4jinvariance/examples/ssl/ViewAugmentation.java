package org.dl4jinvariance.examples.ssl;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A random view of each image of a batch [n, 1, H, W], drawn from a caller's seeded stream:
 * the "augmentation" of contrastive learning. Views of different images are independent.
 */
@FunctionalInterface
public interface ViewAugmentation {

    /** One random view per image; never modifies {@code images}. */
    INDArray apply(INDArray images, Random random);

    /** Every view equals its image. */
    static ViewAugmentation identity() {
        return (images, random) -> images.dup();
    }

    /**
     * A shift by (dx, dy), each uniform in [−maxShift, maxShift] pixels (zeros move in), then
     * Gaussian noise of standard deviation {@code noiseStd}, clipped to [0, 1]:
     * <pre>  v(i, j) = clip(x(i − dy, j − dx) + σ·ε(i, j), 0, 1),  ε ~ N(0, 1)</pre>
     * Neither changes with rotation: these are augmentations unrelated to C4.
     */
    static ViewAugmentation shiftAndNoise(int maxShift, double noiseStd) {
        if (maxShift < 0 || !(noiseStd >= 0)) {
            throw new IllegalArgumentException("shiftAndNoise needs maxShift >= 0 and noiseStd >= 0, got "
                    + maxShift + " and " + noiseStd);
        }
        return (images, random) -> {
            if (images.rank() != 4 || images.size(1) != 1) {
                throw new IllegalArgumentException("shiftAndNoise needs single-channel images [n, 1, H, W], got shape "
                        + java.util.Arrays.toString(images.shape()));
            }
            int n = (int) images.size(0);
            int h = (int) images.size(2);
            int w = (int) images.size(3);
            float[] in = images.dup('c').data().asFloat();
            float[] out = new float[in.length];
            for (int b = 0; b < n; b++) {
                int dx = random.nextInt(2 * maxShift + 1) - maxShift;
                int dy = random.nextInt(2 * maxShift + 1) - maxShift;
                int base = b * h * w;
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        int si = i - dy;
                        int sj = j - dx;
                        float v = si >= 0 && si < h && sj >= 0 && sj < w ? in[base + si * w + sj] : 0f;
                        v += (float) (noiseStd * random.nextGaussian());
                        out[base + i * w + j] = Math.max(0f, Math.min(1f, v));
                    }
                }
            }
            return Nd4j.create(out, images.shape(), 'c').castTo(images.dataType());
        };
    }
}
