package org.dl4jinvariance.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The one reader of the MNIST IDX format (gzip or raw): a big-endian magic number
 * {@code 0x00000803} (unsigned-byte images [n, rows, cols]) or {@code 0x00000801}
 * (unsigned-byte labels [n]), the dimension sizes, then the bytes.
 *
 * <p>What it refuses, before allocating the data: a wrong magic number, negative dimensions,
 * more data than one Java array holds, and a header that promises more bytes than the file
 * holds (checked against the file size for raw files; for gzip and streams the array only grows
 * with the bytes that actually arrive). Each message names the source and the sizes.
 */
public final class IdxFile {

    /** Magic number of an unsigned-byte rank-3 (image) file. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte rank-1 (label) file. */
    public static final int LABELS_MAGIC = 0x00000801;

    /** The most data bytes one file may hold: the largest Java array (a few bytes under 2^31). */
    static final int MAX_DATA_BYTES = Integer.MAX_VALUE - 8;
    /** Size of the first data array; it doubles as bytes arrive. */
    private static final int FIRST_CHUNK = 1 << 20;
    private static final long UNKNOWN_SIZE = -1;

    private final int[] dimensions;
    private final byte[] data;

    private IdxFile(int[] dimensions, byte[] data) {
        this.dimensions = dimensions;
        this.data = data;
    }

    /** Reads an image file ([n, rows, cols]); {@code source} names the stream in errors. */
    public static IdxFile readImages(InputStream in, String source) {
        return read(in, source, IMAGES_MAGIC, UNKNOWN_SIZE);
    }

    /** Reads a label file ([n]); {@code source} names the stream in errors. */
    public static IdxFile readLabels(InputStream in, String source) {
        return read(in, source, LABELS_MAGIC, UNKNOWN_SIZE);
    }

    /**
     * Reads an image file ([n, rows, cols]) from disk, raw or gzip. A raw file's size is checked
     * against its header before the data array is allocated.
     */
    public static IdxFile readImages(Path file) {
        return read(file, IMAGES_MAGIC);
    }

    /** Reads a label file ([n]) from disk, raw or gzip; a raw file's size is checked as {@link #readImages(Path)}. */
    public static IdxFile readLabels(Path file) {
        return read(file, LABELS_MAGIC);
    }

    private static IdxFile read(Path file, int expectedMagic) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), expectedMagic, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read IDX file " + file, e);
        }
    }

    /**
     * Reads the header, then the data. Nothing the header promises is allocated up front: a raw
     * file of known size must hold the promised bytes, and otherwise (gzip, streams) the array
     * grows with the bytes that actually arrive, so a corrupt header cannot make the reader
     * allocate gigabytes before saying "truncated".
     *
     * @param fileSize the size of the (possibly gzipped) file in bytes, or {@link #UNKNOWN_SIZE}
     */
    private static IdxFile read(InputStream raw, String source, int expectedMagic, long fileSize) {
        BufferedInputStream buffered = new BufferedInputStream(raw);
        boolean gzip;
        try {
            gzip = isGzip(buffered);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read IDX file " + source, e);
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered, 1 << 16))) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw new IllegalArgumentException("IDX file " + source + " is empty or truncated before its magic number");
            }
            if (magic != expectedMagic) {
                throw new IllegalArgumentException(String.format(
                        "IDX file %s has magic number 0x%08X, expected 0x%08X (%s)", source, magic,
                        expectedMagic, expectedMagic == IMAGES_MAGIC ? "unsigned-byte images" : "unsigned-byte labels"));
            }
            int rank = magic & 0xFF;
            int[] dims = new int[rank];
            long total = 1;
            for (int d = 0; d < rank; d++) {
                try {
                    dims[d] = in.readInt();
                } catch (EOFException e) {
                    throw new IllegalArgumentException("IDX file " + source + " is truncated in its header (dimension "
                            + d + " of " + rank + ")");
                }
                if (dims[d] < 0) {
                    throw new IllegalArgumentException("IDX file " + source + " has negative dimension " + dims[d]);
                }
                total *= dims[d];
                // Checked per dimension: three ints can overflow a long product otherwise.
                if (total > MAX_DATA_BYTES) {
                    throw new IllegalArgumentException("IDX file " + source + " has dimensions "
                            + Arrays.toString(Arrays.copyOf(dims, d + 1)) + (d + 1 < rank ? "..." : "")
                            + ", more than the " + MAX_DATA_BYTES + " bytes one Java array holds");
                }
            }
            long header = 4L + 4L * rank;
            if (!gzip && fileSize != UNKNOWN_SIZE && total > fileSize - header) {
                throw truncated(source, total, dims, Math.max(0, fileSize - header));
            }
            return new IdxFile(dims, readData(in, (int) total, source, dims));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read IDX file " + source, e);
        }
    }

    /**
     * Exactly {@code total} bytes, in an array that starts at {@value #FIRST_CHUNK} bytes and
     * doubles (up to {@code total}) only after it has been filled: memory stays within three
     * times the bytes that actually arrived, whatever the header promised.
     */
    private static byte[] readData(InputStream in, int total, String source, int[] dims) throws IOException {
        byte[] data = new byte[Math.min(total, FIRST_CHUNK)];
        int filled = 0;
        while (true) {
            filled += in.readNBytes(data, filled, data.length - filled);
            if (filled < data.length) {
                throw truncated(source, total, dims, filled);
            }
            if (filled == total) {
                return data;
            }
            data = Arrays.copyOf(data, (int) Math.min(total, 2L * data.length));
        }
    }

    private static IllegalArgumentException truncated(String source, long promised, int[] dims, long actual) {
        return new IllegalArgumentException("IDX file " + source + " is truncated: its header promises " + promised
                + " data bytes (dimensions " + Arrays.toString(dims) + "), but it holds " + actual);
    }

    /** Gzip is detected by its two magic bytes, so raw and .gz files both read. */
    private static boolean isGzip(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b;
    }

    /**
     * Checks an image/label pair before use: images of rank 3 [n, rows, cols], as many labels as
     * images, every label in 0..classes−1 (the one place these rules live, for
     * {@link IdxDataset} and {@link IdxRecordReader}).
     *
     * @param labels null for images alone
     * @throws IllegalArgumentException naming {@code name}, the sizes or the bad label and its index
     */
    static void checkPair(String name, IdxFile images, IdxFile labels, int classes) {
        int[] dims = images.dimensions();
        if (dims.length != 3) {
            throw new IllegalArgumentException("IDX images of " + name + " must be [n, rows, cols], got "
                    + Arrays.toString(dims));
        }
        if (labels == null) {
            return;
        }
        if (classes < 1) {
            throw new IllegalArgumentException("IDX data set " + name + " needs at least one class, got " + classes);
        }
        if (images.count() != labels.count()) {
            throw new IllegalArgumentException("IDX data set " + name + " has " + images.count()
                    + " images but " + labels.count() + " labels; expected equal counts");
        }
        byte[] y = labels.bytes();
        for (int i = 0; i < y.length; i++) {
            int label = y[i] & 0xFF;
            if (label >= classes) {
                throw new IllegalArgumentException("IDX data set " + name + ": label " + label + " at index " + i
                        + " is outside 0.." + (classes - 1));
            }
        }
    }

    /** Size of each dimension, e.g. [10000, 28, 28]. */
    public int[] dimensions() {
        return dimensions.clone();
    }

    /** Number of items (the first dimension). */
    public int count() {
        return dimensions[0];
    }

    /** The raw unsigned bytes, row-major (shared, do not modify). */
    byte[] bytes() {
        return data;
    }
}
