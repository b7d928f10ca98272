package org.dl4jinvariance.listeners.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A text file that only ever grows by whole lines. Each {@link #append} hands the kernel all its
 * lines in one write and forces them to disk, so a process killed at any moment leaves only whole
 * lines behind. A file found with a torn last line (written by something else that crashed) is cut
 * back to its last complete line before anything is appended.
 */
final class AppendOnlyFile {

    private static final Logger log = LoggerFactory.getLogger(AppendOnlyFile.class);

    private final Path path;

    AppendOnlyFile(Path path) throws IOException {
        this.path = path;
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        repairTornTail();
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
