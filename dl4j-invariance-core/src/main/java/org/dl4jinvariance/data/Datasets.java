package org.dl4jinvariance.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real data sets shipped inside this jar, each loaded with one call, and the full
 * Fashion-MNIST training set from a directory the user gives.
 *
 * <p>Embedded: {@code mnist-10k} (10,000 MNIST digits, 1,000 per class — LeCun, Cortes, Burges)
 * and {@code fashion-mnist-test} (10,000 Fashion-MNIST images — Zalando Research, MIT), both
 * shuffled with a fixed seed so any prefix is close to class-balanced. See NOTICE.
 */
public final class Datasets {

    private static final String RESOURCE_DIR = "/org/dl4jinvariance/data/";
    private static volatile IdxDataset mnist;
    private static volatile IdxDataset fashionMnist;

    private Datasets() {
    }

    /** 10,000 MNIST digits (embedded; read once, then cached). */
    public static IdxDataset mnist() {
        IdxDataset d = mnist;
        if (d == null) {
            synchronized (Datasets.class) {
                if (mnist == null) {
                    mnist = embedded("mnist-10k");
                }
                d = mnist;
            }
        }
        return d;
    }

    /** The 10,000-image Fashion-MNIST test set (embedded; read once, then cached). */
    public static IdxDataset fashionMnist() {
        IdxDataset d = fashionMnist;
        if (d == null) {
            synchronized (Datasets.class) {
                if (fashionMnist == null) {
                    fashionMnist = embedded("fashion-mnist-test");
                }
                d = fashionMnist;
            }
        }
        return d;
    }

    /**
     * The 60,000-image Fashion-MNIST training set from {@code dir}, which must hold
     * {@code fashion-mnist-train-images-idx3-ubyte[.gz]} and
     * {@code fashion-mnist-train-labels-idx1-ubyte[.gz]} (or the original names
     * {@code train-images-idx3-ubyte[.gz]} / {@code train-labels-idx1-ubyte[.gz]}).
     */
    public static IdxDataset fashionMnistTrain(Path dir) {
        return fromDirectory(dir, "fashion-mnist-train", "train");
    }

    /** An image/label IDX pair {@code <prefix>-images-idx3-ubyte[.gz]} from a directory. */
    public static IdxDataset fromDirectory(Path dir, String... prefixes) {
        for (String prefix : prefixes) {
            Path images = existing(dir, prefix + "-images-idx3-ubyte");
            Path labels = existing(dir, prefix + "-labels-idx1-ubyte");
            if (images != null && labels != null) {
                return IdxDataset.read(images, labels, 10);
            }
        }
        throw new IllegalArgumentException("Directory " + dir + " holds no IDX pair named "
                + String.join(" or ", prefixes) + "-{images-idx3,labels-idx1}-ubyte[.gz]");
    }

    private static Path existing(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static IdxDataset embedded(String prefix) {
        String images = RESOURCE_DIR + prefix + "-images-idx3-ubyte.gz";
        String labels = RESOURCE_DIR + prefix + "-labels-idx1-ubyte.gz";
        try (InputStream im = open(images); InputStream lb = open(labels)) {
            return IdxDataset.read(prefix, im, lb, 10);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read embedded data set " + prefix, e);
        }
    }

    private static InputStream open(String resource) {
        InputStream in = Datasets.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("Embedded resource " + resource + " is missing from the classpath");
        }
        return in;
    }
}
