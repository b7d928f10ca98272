package org.dl4jinvariance.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/**
 * The one reader of the MNIST IDX format (gzip or raw): a big-endian magic number
 * {@code 0x00000803} (unsigned-byte images [n, rows, cols]) or {@code 0x00000801}
 * (unsigned-byte labels [n]), the dimension sizes, then the bytes.
 */
public final class IdxFile {

    /** Magic number of an unsigned-byte rank-3 (image) file. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte rank-1 (label) file. */
    public static final int LABELS_MAGIC = 0x00000801;

    private final int[] dimensions;
    private final byte[] data;

    private IdxFile(int[] dimensions, byte[] data) {
        this.dimensions = dimensions;
        this.data = data;
    }

    /** Reads an image file ([n, rows, cols]); {@code source} names the stream in errors. */
    public static IdxFile readImages(InputStream in, String source) {
        return read(in, source, IMAGES_MAGIC);
    }

    /** Reads a label file ([n]); {@code source} names the stream in errors. */
    public static IdxFile readLabels(InputStream in, String source) {
        return read(in, source, LABELS_MAGIC);
    }

    private static IdxFile read(InputStream raw, String source, int expectedMagic) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(ungzip(raw), 1 << 16))) {
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
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("IDX file " + source + " holds " + total + " bytes, more than one array can");
            }
            byte[] data = new byte[(int) total];
            int read = in.readNBytes(data, 0, data.length);
            if (read < data.length) {
                throw new IllegalArgumentException("IDX file " + source + " is truncated: header promises "
                        + total + " data bytes, found " + read);
            }
            return new IdxFile(dims, data);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read IDX file " + source, e);
        }
    }

    /** Gzip is detected by its two magic bytes, so raw and .gz files both read. */
    private static InputStream ungzip(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return (b1 == 0x1f && b2 == 0x8b) ? new GZIPInputStream(in, 1 << 16) : in;
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
