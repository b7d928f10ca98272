package org.dl4jinvariance.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.data.IdxDataset;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;

/**
 * The checks the experiments make on their command-line values before reading data for training
 * or training anything. Each failure is a {@link UsageException} whose message names the option,
 * the value given and what was expected.
 */
final class CliChecks {

    /**
     * The largest n of C<n> / D<n> on the command line. A rotation step of 1° is already finer
     * than a 28×28 image resolves (it moves a corner pixel by a third of a pixel), and the orbit
     * of every input is |G| images (up to 720 for D360), so larger groups only cost memory; the
     * bound also keeps 2n (the order of D<n>) far from int overflow.
     */
    static final int MAX_GROUP_N = 360;

    /** The embedded images are MNIST-sized; the CNNs of the experiments take 28×28 inputs. */
    static final int IMAGE_SIZE = 28;

    private static final Pattern GROUP_NAME = Pattern.compile("(?i)[cd][1-9][0-9]{0,8}");
    private static final String GROUP_EXPECTED = "C<n> or D<n> with n from 1 to " + MAX_GROUP_N
            + ", e.g. C4 (4 rotations) or D4 (4 rotations and 4 mirrors)";

    private CliChecks() {
    }

    /** {@code value} >= {@code min}; {@code what} says what the option counts. */
    static void atLeast(String option, long value, long min, String what) {
        if (value < min) {
            throw new UsageException(option + " " + value + ": expected a whole number of at least " + min
                    + " (" + what + ")");
        }
    }

    /** A finite {@code value} > 0 (NaN and infinities are refused too). */
    static void positive(String option, double value, String what) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new UsageException(option + " " + value + ": expected a finite number > 0 (" + what + ")");
        }
    }

    /** A finite {@code value} >= 0 (NaN and infinities are refused too). */
    static void nonNegative(String option, double value, String what) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new UsageException(option + " " + value + ": expected a finite number >= 0 (" + what + ")");
        }
    }

    /**
     * The group named {@code text}: C<n> or D<n> with 1 <= n <= {@link #MAX_GROUP_N}. Core's
     * {@link Groups#byName} accepts any int n, so D2000000000 would overflow its order; the
     * command line refuses such names here, naming the bound.
     */
    static PlanarGroup group(String option, String text) {
        if (!isBoundedGroupName(text)) {
            throw new UsageException(option + " " + text + ": expected " + GROUP_EXPECTED);
        }
        return Groups.byName(text.trim());
    }

    /** "plain" or a bounded C<n> / D<n> ({@link #group}), for lists like --groups plain,C4,D4. */
    static boolean isBoundedGroupName(String text) {
        if (text == null || !GROUP_NAME.matcher(text.trim()).matches()) {
            return false;
        }
        return Long.parseLong(text.trim().substring(1)) <= MAX_GROUP_N;
    }

    /** What {@link #group} expects, for messages about lists of groups. */
    static String groupExpected() {
        return GROUP_EXPECTED;
    }

    /**
     * Creates the output folder {@code out} (option --out) and checks that a file can be written
     * in it, so that an unusable folder fails before hours of training rather than after.
     * Nothing is left in the folder by the check.
     */
    static void writableOutputDir(Path out) {
        // Name the component that is a file, the usual mistake (--out results.csv/run1).
        for (Path p = out; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new UsageException("--out " + out + ": " + (p.equals(out) ? "it" : p)
                            + " is a file, not a folder; expected a folder to create or write in");
                }
                break;
            }
        }
        try {
            Files.createDirectories(out);
            Path probe = Files.createTempFile(out, ".write-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new UsageException("--out " + out + ": cannot write in it (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); expected a folder to create or write in");
        }
    }

    /**
     * The 60,000-image Fashion-MNIST training set from {@code dir} (option --data-dir), read and
     * checked now: the folder exists, holds the IDX pair, and its images are 28×28.
     */
    static IdxDataset fashionMnistTrain(Path dir) {
        String expected = "expected a folder holding the Fashion-MNIST training set: "
                + "fashion-mnist-train-images-idx3-ubyte[.gz] and fashion-mnist-train-labels-idx1-ubyte[.gz] "
                + "(or train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz])";
        if (!Files.isDirectory(dir)) {
            throw new UsageException("--data-dir " + dir + ": " + (Files.exists(dir) ? "is a file, not a folder"
                    : "no such folder") + "; " + expected);
        }
        IdxDataset data;
        try {
            data = Datasets.fashionMnistTrain(dir);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            // Core's message names the files it looked for, or what is wrong with the one it read.
            throw new UsageException("--data-dir " + dir + ": " + e.getMessage());
        }
        if (data.height() != IMAGE_SIZE || data.width() != IMAGE_SIZE) {
            throw new UsageException(String.format(Locale.ROOT, "--data-dir %s: its images are %dx%d; expected %dx%d "
                    + "Fashion-MNIST images", dir, data.height(), data.width(), IMAGE_SIZE, IMAGE_SIZE));
        }
        return data;
    }

    /** n with thousands separators, locale-independent: 10,000. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
