package org.dl4jinvariance.testing;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.dl4jinvariance.data.IdxDataset;

/**
 * Real image files written from the embedded data sets, for tests of folder readers (core's
 * {@code ImageFolder}, the examples' {@code evaluate --data DIR}). Everything is written with
 * {@code javax.imageio} under a folder the test owns (JUnit's {@code @TempDir}).
 *
 * <p>File names are the example index, zero-padded to five digits ({@code 00042.png}), so sorted
 * paths list the examples of a class in index order; {@link #exampleIndex(Path)} reads it back.
 * PNG is lossless: a grey PNG read back and divided by 255 equals the embedded example exactly.
 */
public final class ImageFiles {

    private ImageFiles() {
    }

    /** The pixels of example {@code index} as unsigned bytes 0..255, row-major [rows][cols]. */
    public static int[][] pixels(IdxDataset data, int index) {
        float[] v = data.slice(index, 1).getFeatures().dup('c').data().asFloat();
        int[][] out = new int[data.height()][data.width()];
        for (int r = 0; r < data.height(); r++) {
            for (int c = 0; c < data.width(); c++) {
                out[r][c] = Math.round(v[r * data.width() + c] * 255f);
            }
        }
        return out;
    }

    /** Example {@code index} as an 8-bit grey image. */
    public static BufferedImage grey(IdxDataset data, int index) {
        return grey(pixels(data, index));
    }

    /** An 8-bit grey image of the given pixels. */
    public static BufferedImage grey(int[][] pixels) {
        BufferedImage im = new BufferedImage(pixels[0].length, pixels.length, BufferedImage.TYPE_BYTE_GRAY);
        for (int r = 0; r < pixels.length; r++) {
            for (int c = 0; c < pixels[0].length; c++) {
                im.getRaster().setSample(c, r, 0, pixels[r][c]);
            }
        }
        return im;
    }

    /**
     * An RGB image with red = {@code red}'s pixels, green = {@code green}'s, blue = 255 − red's:
     * three different planes, so a channel mix-up or a wrong turn of one plane shows.
     */
    public static BufferedImage colour(int[][] red, int[][] green) {
        BufferedImage im = new BufferedImage(red[0].length, red.length, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < red.length; r++) {
            for (int c = 0; c < red[0].length; c++) {
                im.setRGB(c, r, (red[r][c] << 16) | (green[r][c] << 8) | (255 - red[r][c]));
            }
        }
        return im;
    }

    /** An RGB image whose three channels all equal the grey pixels (grey conversion gives them back exactly). */
    public static BufferedImage greyAsRgb(int[][] pixels) {
        BufferedImage im = new BufferedImage(pixels[0].length, pixels.length, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < pixels.length; r++) {
            for (int c = 0; c < pixels[0].length; c++) {
                int v = pixels[r][c];
                im.setRGB(c, r, (v << 16) | (v << 8) | v);
            }
        }
        return im;
    }

    /** Each pixel repeated {@code factor}×{@code factor} times (nearest-neighbour upscaling). */
    public static int[][] upscale(int[][] pixels, int factor) {
        int[][] out = new int[pixels.length * factor][pixels[0].length * factor];
        for (int r = 0; r < out.length; r++) {
            for (int c = 0; c < out[0].length; c++) {
                out[r][c] = pixels[r / factor][c / factor];
            }
        }
        return out;
    }

    /** Writes {@code image} in {@code format} ("png", "jpg", "bmp"), creating parent folders. */
    public static Path write(BufferedImage image, String format, Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("javax.imageio has no writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** The file name of example {@code index}: five digits and the extension. */
    public static String fileName(int index, String format) {
        return String.format("%05d.%s", index, format);
    }

    /** The example index in a name written by {@link #fileName}. */
    public static int exampleIndex(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(0, name.indexOf('.')));
    }

    /**
     * Examples [from, from + count) as grey images in class sub-folders {@code root/<label>/<index>.<format>};
     * every class folder 0 … classes−1 is created, so the sorted folder names are the labels.
     *
     * @return the files written, in example order
     */
    public static List<Path> writeClassFolders(Path root, IdxDataset data, int from, int count, String format) {
        List<Path> files = new ArrayList<>();
        try {
            for (int k = 0; k < data.classes(); k++) {
                Files.createDirectories(root.resolve(String.valueOf(k)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = from; i < from + count; i++) {
            Path file = root.resolve(String.valueOf(data.label(i))).resolve(fileName(i, format));
            files.add(write(grey(data, i), format, file));
        }
        return files;
    }

    /** Examples [from, from + count) as grey images directly in {@code root} (an unlabelled folder). */
    public static List<Path> writeFlat(Path root, IdxDataset data, int from, int count, String format) {
        List<Path> files = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            files.add(write(grey(data, i), format, root.resolve(fileName(i, format))));
        }
        return files;
    }

    /** A PNG of example {@code index} cut to half its bytes: a real PNG header, then nothing. */
    public static Path writeTruncatedPng(IdxDataset data, int index, Path file) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(grey(data, index), "png", bytes);
            byte[] all = bytes.toByteArray();
            Files.createDirectories(file.getParent());
            Files.write(file, Arrays.copyOf(all, all.length / 2));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /**
     * Examples [from, from + count) as a raw (uncompressed) IDX pair: {@code images} (magic
     * 0x00000803, [count, rows, cols]) and {@code labels} (magic 0x00000801, [count]).
     */
    public static void writeIdx(Path images, Path labels, IdxDataset data, int from, int count) {
        try {
            Files.createDirectories(images.toAbsolutePath().getParent());
            Files.createDirectories(labels.toAbsolutePath().getParent());
            try (DataOutputStream im = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(images)));
                 DataOutputStream lb = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(labels)))) {
                im.writeInt(0x00000803);
                im.writeInt(count);
                im.writeInt(data.height());
                im.writeInt(data.width());
                lb.writeInt(0x00000801);
                lb.writeInt(count);
                for (int i = from; i < from + count; i++) {
                    for (int[] row : pixels(data, i)) {
                        for (int v : row) {
                            im.writeByte(v);
                        }
                    }
                    lb.writeByte(data.label(i));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + images + " / " + labels, e);
        }
    }

    /** A text file (not an image) with a short note. */
    public static Path writeText(Path file) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, "not an image: a note left in the data folder\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
