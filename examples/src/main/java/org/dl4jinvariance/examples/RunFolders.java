package org.dl4jinvariance.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The run folders of an output folder: {@code <out>/2026-11-29T12-30-05/} per run (a suffix
 * {@code -2}, {@code -3} when two runs start in the same second), a {@code latest.txt} naming the
 * newest, and the clearing that {@code --overwrite} does. Used only through
 * {@link RunFolder#create} (by the experiments' {@link ExperimentOptions#prepareRunDir} and by
 * {@code evaluate}).
 */
final class RunFolders {

    /** The pointer file naming the newest run folder. */
    static final String LATEST = "latest.txt";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss");
    private static final Pattern RUN_NAME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}(-\\d+)?");
    /** Files whose presence says a folder holds results of this program. */
    private static final List<String> OURS = List.of("summary.json", "index.html", LATEST, "ranking.txt");

    private RunFolders() {
    }

    /** A new, empty run folder under {@code base} named by the current time; {@code latest.txt} names it. */
    static Path newRun(Path base) {
        String stamp = LocalDateTime.now().format(STAMP);
        try {
            for (int i = 1; ; i++) {
                Path dir = base.resolve(i == 1 ? stamp : stamp + "-" + i);
                try {
                    Files.createDirectory(dir);
                } catch (java.nio.file.FileAlreadyExistsException taken) {
                    continue;
                }
                Summary.writeAtomically(base.resolve(LATEST), (dir.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
                return dir;
            }
        } catch (IOException e) {
            throw new UsageException("--out " + base + ": cannot create a run folder in it (" + e.getMessage() + ")");
        }
    }

    /** True for a folder name made by {@link #newRun}. */
    static boolean isRunName(String name) {
        return RUN_NAME.matcher(name).matches();
    }

    /** The run folders under {@code base}, oldest first. */
    static List<Path> runs(Path base) {
        try (Stream<Path> children = Files.list(base)) {
            return children.filter(Files::isDirectory).filter(p -> isRunName(p.getFileName().toString()))
                    .sorted(Comparator.comparing(p -> sortKey(p.getFileName().toString()))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the run folders of " + base, e);
        }
    }

    /** Orders 2026-…-05 before 2026-…-05-2 before 2026-…-05-10. */
    private static String sortKey(String name) {
        int dash = name.lastIndexOf('-');
        boolean suffixed = name.length() > 19;
        int n = suffixed ? Integer.parseInt(name.substring(dash + 1)) : 1;
        return name.substring(0, 19) + String.format("%06d", n);
    }

    /**
     * Deletes everything in {@code base} for {@code --overwrite} and returns it: allowed when it is
     * empty or holds results of this program (a {@code summary.json}, {@code index.html} or
     * {@code latest.txt} at its top).
     *
     * @throws UsageException naming the folder when it holds something else
     */
    static Path clear(Path base) {
        try {
            List<Path> children = new ArrayList<>();
            try (Stream<Path> list = Files.list(base)) {
                list.forEach(children::add);
            }
            if (children.isEmpty()) {
                return base;
            }
            if (OURS.stream().noneMatch(name -> Files.exists(base.resolve(name)))) {
                throw new UsageException("--overwrite: " + base + " holds files that are not results of this program "
                        + "(no summary.json, index.html, latest.txt or ranking.txt); expected an empty folder or earlier results. "
                        + "Choose another --out, or drop --overwrite to write a new dated sub-folder");
            }
            for (Path child : children) {
                deleteTree(child);
            }
            return base;
        } catch (IOException e) {
            throw new UsageException("--overwrite: cannot clear " + base + " (" + e.getMessage() + ")");
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> list = Files.list(p)) {
                for (Path c : list.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.delete(p);
    }
}
