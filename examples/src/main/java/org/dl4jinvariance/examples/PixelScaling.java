package org.dl4jinvariance.examples;

import java.util.Locale;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

/**
 * How pixel values reach the model: {@code x = (p / 255 − mean) / std} for a stored 8-bit value
 * p. {@code --scale 0-1} (the default) is mean 0, std 1, i.e. {@code x = p / 255}, as the embedded
 * data and DataVec's {@code ImagePreProcessingScaler} give; {@code --normalize mean,std} sets both,
 * on that 0–1 scale (e.g. {@code 0.1307,0.3081} for MNIST models trained on standardized digits).
 */
record PixelScaling(double mean, double std) {

    static final String SCALE = "--scale";
    static final String NORMALIZE = "--normalize";

    /** {@code x = p / 255}. */
    static final PixelScaling ZERO_ONE = new PixelScaling(0, 1);

    PixelScaling {
        if (!Double.isFinite(mean) || !(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("Pixel scaling needs a finite mean and a finite std > 0, got mean " + mean
                    + ", std " + std);
        }
    }

    /**
     * The scaling the options give: {@code --scale} (only {@code 0-1}) or {@code --normalize mean,std}, not both.
     *
     * @throws UsageException naming the option and the value
     */
    static PixelScaling of(String scale, String normalize) {
        if (scale != null && normalize != null) {
            throw new UsageException(SCALE + " " + scale + " and " + NORMALIZE + " " + normalize
                    + ": expected one of the two (--normalize already scales to 0-1 first)");
        }
        if (scale != null && !scale.trim().equals("0-1")) {
            throw new UsageException(SCALE + " " + scale + ": expected 0-1 (pixel / 255); for other scalings use "
                    + NORMALIZE + " mean,std");
        }
        if (normalize == null) {
            return ZERO_ONE;
        }
        String[] parts = normalize.split(",", -1);
        String expected = "expected mean,std on the 0-1 pixel scale with std > 0, e.g. 0.1307,0.3081";
        if (parts.length != 2) {
            throw new UsageException(NORMALIZE + " " + normalize + ": " + expected);
        }
        try {
            double mean = Double.parseDouble(parts[0].trim());
            double std = Double.parseDouble(parts[1].trim());
            if (!Double.isFinite(mean) || !(std > 0) || Double.isInfinite(std)) {
                throw new UsageException(NORMALIZE + " " + normalize + ": " + expected);
            }
            return new PixelScaling(mean, std);
        } catch (NumberFormatException e) {
            throw new UsageException(NORMALIZE + " " + normalize + ": " + expected);
        }
    }

    boolean isZeroOne() {
        return mean == 0 && std == 1;
    }

    /**
     * For data already on the 0–1 scale (the IDX readers): {@code x ← (x − mean) / std} on the
     * features; null when there is nothing to do.
     */
    DataSetPreProcessor fromZeroOne() {
        if (isZeroOne()) {
            return null;
        }
        return (DataSet ds) -> ds.getFeatures().subi(mean).divi(std);
    }

    @Override
    public String toString() {
        return isZeroOne() ? "0-1" : String.format(Locale.ROOT, "(p/255 - %s) / %s", mean, std);
    }
}
