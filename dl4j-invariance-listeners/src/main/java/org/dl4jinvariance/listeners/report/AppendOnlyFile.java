package org.dl4jinvariance.listeners.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A text file that only ever grows by whole lines. Each {@link #append} hands the kernel all its
 * lines in one write and forces them to disk, so a process killed at any moment leaves only whole
 * lines behind. A file found with a torn last line (written by something else that crashed) is cut
 * back to its last complete line before anything is appended.
 *
 * <p>An existing file is appended to only when its {@link Format} says it is ours: appending rows
 * to another program's file (or to ours written with other columns) would leave a file that
 * neither reader understands, and cutting a "torn" last line off a file that is not ours would
 * destroy its data. Such a file is refused with an {@link IllegalArgumentException} naming it and
 * what was expected, and left exactly as it was.
 */
final class AppendOnlyFile {

    private static final Logger log = LoggerFactory.getLogger(AppendOnlyFile.class);
    /** Bytes of a foreign first line shown in the message. */
    private static final int SHOWN = 120;

    /**
     * How a file of ours starts: with one of {@code starts} (a file shorter than that must be the
     * beginning of one: our first line, torn by a crash while it was written).
     *
     * @param writer   who writes such files, for messages
     * @param expected what was expected, for messages
     */
    record Format(String writer, List<String> starts, String expected) {
    }

    private final Path path;

    AppendOnlyFile(Path path, Format format) throws IOException {
        this.path = path;
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        requireOurs(path, format);
        repairTornTail();
    }

    /**
     * Throws unless {@code path} is missing, empty, or starts as {@code format} says ours do.
     *
     * @throws IllegalArgumentException for a file that is not ours, naming it, its first line and
     *                                  what was expected
     */
    static void requireOurs(Path path, Format format) throws IOException {
        if (!Files.isRegularFile(path) || Files.size(path) == 0) {
            return;
        }
        int longest = format.starts().stream().mapToInt(String::length).max().orElse(0);
        byte[] head = new byte[Math.max(longest, SHOWN) * 4];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        }
        String text = new String(head, 0, n, StandardCharsets.UTF_8);
        for (String start : format.starts()) {
            if (text.startsWith(start) || (start.startsWith(text) && text.indexOf('\n') < 0)) {
                return;
            }
        }
        int eol = text.indexOf('\n');
        String first = eol < 0 ? text : text.substring(0, eol);
        if (first.length() > SHOWN) {
            first = first.substring(0, SHOWN) + "...";
        }
        throw new IllegalArgumentException(path.toAbsolutePath() + " exists and was not written by " + format.writer()
                + ": its first line is '" + visible(first) + "', expected " + format.expected() + ". Appending would "
                + "mix two formats in one file, so nothing was written to it; move it away, or report to another "
                + "directory");
    }

    /** Control characters as Java escapes: a CRLF file shows its {@code \r}. */
    private static String visible(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    Path path() {
        return path;
    }

    /** True when the file does not exist yet or holds nothing. */
    boolean isEmpty() throws IOException {
        return !Files.exists(path) || Files.size(path) == 0;
    }

    /**
     * Appends {@code lines}, which must be empty or end with a newline, and forces them to disk.
     */
    void append(String lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        if (lines.charAt(lines.length() - 1) != '\n') {
            throw new IllegalArgumentException("Appended text must end with a newline, got ..."
                    + lines.substring(Math.max(0, lines.length() - 40)));
        }
        ByteBuffer bytes = ByteBuffer.wrap(lines.getBytes(StandardCharsets.UTF_8));
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(false);
        }
    }

    private void repairTornTail() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0) {
                return;
            }
            long end = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            // Walk back to the last newline; everything after it is a torn line.
            while (end > 0) {
                one.clear();
                ch.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            if (end < size) {
                log.warn("{} ended with a torn line of {} bytes; cutting it off before appending", path, size - end);
                ch.truncate(end);
                ch.force(false);
            }
        }
    }
}
