package org.dl4jinvariance.examples;

import java.util.Random;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Out-of-distribution images made in code, 28×28 in [0, 1], seeded: random pen strokes (smooth
 * random walks drawn with a soft brush), smoothed noise, and MNIST with inverted intensities.
 * Their labels are placeholders (class 0): only label-free metrics are meaningful on them.
 */
public final class SyntheticImages {

    private static final int SIZE = 28;

    private SyntheticImages() {
    }

    /** {@code count} images of 1–3 random strokes each. */
    public static DataSet strokes(int count, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[count * SIZE * SIZE];
        for (int n = 0; n < count; n++) {
            int strokes = 1 + random.nextInt(3);
            for (int s = 0; s < strokes; s++) {
                drawStroke(pixels, n * SIZE * SIZE, random);
            }
        }
        return withPlaceholderLabels(pixels, count);
    }

    /** {@code count} images of uniform noise blurred by a 3×3 box filter. */
    public static DataSet smoothNoise(int count, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[count * SIZE * SIZE];
        float[] raw = new float[SIZE * SIZE];
        for (int n = 0; n < count; n++) {
            for (int p = 0; p < raw.length; p++) {
                raw[p] = random.nextFloat();
            }
            for (int i = 0; i < SIZE; i++) {
                for (int j = 0; j < SIZE; j++) {
                    float sum = 0;
                    int cells = 0;
                    for (int di = -1; di <= 1; di++) {
                        for (int dj = -1; dj <= 1; dj++) {
                            int ii = i + di;
                            int jj = j + dj;
                            if (ii >= 0 && ii < SIZE && jj >= 0 && jj < SIZE) {
                                sum += raw[ii * SIZE + jj];
                                cells++;
                            }
                        }
                    }
                    pixels[n * SIZE * SIZE + i * SIZE + j] = sum / cells;
                }
            }
        }
        return withPlaceholderLabels(pixels, count);
    }

    /** 1 − x for every pixel: white digits become black on white; labels are kept. */
    public static DataSet inverted(DataSet images) {
        return new DataSet(images.getFeatures().rsub(1.0), images.getLabels());
    }

    /** An iterator over a data set held in memory, resettable. */
    public static DataSetIterator iterator(DataSet data, int batchSize) {
        return new ListDataSetIterator<>(data.asList(), batchSize);
    }

    private static void drawStroke(float[] pixels, int base, Random random) {
        double x = 6 + random.nextDouble() * 16;
        double y = 6 + random.nextDouble() * 16;
        double heading = random.nextDouble() * 2 * Math.PI;
        int steps = 10 + random.nextInt(20);
        for (int t = 0; t < steps; t++) {
            heading += random.nextGaussian() * 0.35;
            x = Math.max(2, Math.min(SIZE - 3, x + Math.cos(heading)));
            y = Math.max(2, Math.min(SIZE - 3, y + Math.sin(heading)));
            stamp(pixels, base, x, y);
        }
    }

    /** A soft round brush of radius ~1.5 px. */
    private static void stamp(float[] pixels, int base, double x, double y) {
        for (int i = (int) y - 2; i <= (int) y + 2; i++) {
            for (int j = (int) x - 2; j <= (int) x + 2; j++) {
                double d2 = (i - y) * (i - y) + (j - x) * (j - x);
                float ink = (float) Math.exp(-d2 / 1.5);
                int p = base + i * SIZE + j;
                pixels[p] = Math.max(pixels[p], ink);
            }
        }
    }

    private static DataSet withPlaceholderLabels(float[] pixels, int count) {
        INDArray x = Nd4j.create(pixels, new long[] {count, 1, SIZE, SIZE}, 'c');
        INDArray y = Nd4j.zeros(x.dataType(), count, 10);
        for (int n = 0; n < count; n++) {
            y.putScalar(n, 0, 1.0);
        }
        return new DataSet(x, y);
    }
}
