package org.dl4jinvariance.ui;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium}) as a subprocess: loads a page, lets its scripts run
 * for a virtual-time budget, and hands back the rendered DOM or a screenshot. A missing browser is
 * an error, not a skip: CI installs it ({@code .ci/run}).
 */
final class Chromium {

    private static final long TIMEOUT_SECONDS = 90;

    private Chromium() {
    }

    /** The browser binary: {@code chromium} on the PATH, else {@code /usr/bin/chromium}. */
    static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            return "/usr/bin/chromium";
        }
        throw new IllegalStateException("No chromium on the PATH (" + System.getenv("PATH") + ") nor /usr/bin/chromium: "
                + "the UI tests need a real browser; install Debian's chromium (apt-get install chromium), "
                + "as .ci/run does");
    }

    /** The DOM of {@code url} after its scripts ran for {@code budgetMillis} of virtual time. */
    static String dumpDom(String url, int budgetMillis, Path work) throws IOException, InterruptedException {
        return run(work, url, budgetMillis, "--dump-dom");
    }

    /** A PNG of {@code url} ({@code width}×{@code height}) after {@code budgetMillis} of virtual time. */
    static void screenshot(String url, int budgetMillis, int width, int height, Path png, Path work)
            throws IOException, InterruptedException {
        run(work, url, budgetMillis, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars");
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IllegalStateException("chromium wrote no screenshot to " + png);
        }
    }

    private static String run(Path work, String url, int budgetMillis, String... extra)
            throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(binary(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile,
                "--virtual-time-budget=" + budgetMillis));
        cmd.addAll(List.of(extra));
        cmd.add(url);
        Path out = work.resolve("chromium-" + System.nanoTime() + ".out");
        Path err = work.resolve("chromium-" + System.nanoTime() + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + cmd);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("chromium exited with " + p.exitValue() + ": " + cmd + "\n"
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return stdout;
    }
}
