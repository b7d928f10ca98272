package org.dl4jinvariance.examples;

import java.util.Locale;

/**
 * The shape of one input image, channels × height × width (NCHW without the batch axis), as
 * {@code --input-shape C,H,W} gives it or the model's configuration records it.
 */
record ImageShape(int channels, int height, int width) {

    ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("An image shape needs positive sizes, got " + channels + "," + height + ","
                    + width);
        }
    }

    /**
     * Parses {@code C,H,W}, e.g. {@code 1,28,28}.
     *
     * @throws UsageException naming {@code option} and the text
     */
    static ImageShape parse(String option, String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 3) {
            throw new UsageException(option + " " + text + ": expected C,H,W (channels, height, width), e.g. 1,28,28");
        }
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            try {
                v[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                v[i] = 0;
            }
            if (v[i] < 1 || v[i] > MAX_SIZE) {
                throw new UsageException(option + " " + text + ": '" + parts[i].trim() + "' is not a size from 1 to "
                        + MAX_SIZE + "; expected C,H,W (channels, height, width), e.g. 1,28,28");
            }
        }
        return new ImageShape(v[0], v[1], v[2]);
    }

    /** {@code [C, H, W]} as the probe gives it. */
    static ImageShape of(long[] chw) {
        return new ImageShape((int) chw[0], (int) chw[1], (int) chw[2]);
    }

    /** The largest size on any axis: 4,096 pixels (beyond any image DataVec decodes in memory). */
    static final int MAX_SIZE = 4096;

    /** Elements of one image, C·H·W. */
    long length() {
        return (long) channels * height * width;
    }

    /** {@code 1x28x28}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%dx%dx%d", channels, height, width);
    }
}
