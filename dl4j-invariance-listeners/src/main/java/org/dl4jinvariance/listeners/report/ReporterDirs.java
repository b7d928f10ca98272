package org.dl4jinvariance.listeners.report;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks every file reporter makes of its directory when it is made, so that a wrong
 * argument fails at once, before training, rather than as a failure record after the first epoch.
 */
final class ReporterDirs {

    private ReporterDirs() {
    }

    /**
     * {@code dir}, which must be non-null and, when it exists, a directory (it is created on the
     * first write otherwise).
     *
     * @param reporter the reporter's factory name, for the message
     * @throws IllegalArgumentException otherwise, naming the reporter and the path
     */
    static Path require(String reporter, Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException(reporter + "(dir) needs a directory, got null");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(reporter + "(dir) needs a directory, got " + dir.toAbsolutePath()
                    + ", which is a file");
        }
        return dir;
    }

    /** {@code dir} as a path; null stays null, for {@link #require} to name. */
    static Path path(File dir) {
        return dir == null ? null : dir.toPath();
    }

    /**
     * {@link AppendOnlyFile#requireOurs}, when the file can be read now; a file that cannot be read
     * is left to the reporter's first write, which fails with the I/O error's own message.
     */
    static void requireOurs(Path file, AppendOnlyFile.Format format) {
        try {
            AppendOnlyFile.requireOurs(file, format);
        } catch (IOException e) {
            // Unreadable now (permissions, a vanished mount): start() meets it again and reports it.
        }
    }
}
