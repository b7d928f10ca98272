package org.dl4jinvariance.listeners.report;

import java.io.File;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.deeplearning4j.core.storage.StatsStorageRouter;

/**
 * The reporters that come with the library. Directories are created on first write. Each
 * factory checks its arguments at once and throws {@link IllegalArgumentException} naming the
 * bad one: a null directory or sink, a directory that is a file, or a CSV or JSON-lines file
 * there that another program wrote (see {@link CsvReporter}).
 */
public final class Reporters {

    private Reporters() {
    }

    /** An aligned table per epoch (layer × data set × metric) through SLF4J at INFO. */
    public static Reporter log() {
        return new LogReporter();
    }

    /** The same table per epoch, handed to {@code sink} (e.g. {@code System.out::print}). */
    public static Reporter log(Consumer<String> sink) {
        return new LogReporter(sink);
    }

    /** Appends {@value CsvReporter#FILE_NAME} in {@code dir}: one row per epoch, data set, layer, metric. */
    public static Reporter csv(Path dir) {
        return new CsvReporter(dir);
    }

    public static Reporter csv(File dir) {
        return csv(ReporterDirs.path(dir));
    }

    /** Appends {@value JsonLinesReporter#FILE_NAME} in {@code dir}: one JSON object per line. */
    public static Reporter jsonLines(Path dir) {
        return new JsonLinesReporter(dir);
    }

    public static Reporter jsonLines(File dir) {
        return jsonLines(ReporterDirs.path(dir));
    }

    /** PNG charts in {@code dir}: each metric against epoch per layer, and the layer profile. */
    public static Reporter charts(Path dir) {
        return new ChartsReporter(dir);
    }

    public static Reporter charts(File dir) {
        return charts(ReporterDirs.path(dir));
    }

    /** One self-contained page, {@value HtmlReporter#FILE_NAME}, in {@code dir}. */
    public static Reporter html(Path dir) {
        return new HtmlReporter(dir);
    }

    public static Reporter html(File dir) {
        return html(ReporterDirs.path(dir));
    }

    /** Posts records into a DL4J stats storage, in a session named after the run. */
    public static Reporter statsStorage(StatsStorageRouter router) {
        return new StatsStorageReporter(router, null, null);
    }

    /**
     * Posts records into a DL4J stats storage, in session {@code sessionId} (e.g. the one of your
     * {@code StatsListener}, to keep both together).
     */
    public static Reporter statsStorage(StatsStorageRouter router, String sessionId) {
        return new StatsStorageReporter(router, sessionId, null);
    }
}
