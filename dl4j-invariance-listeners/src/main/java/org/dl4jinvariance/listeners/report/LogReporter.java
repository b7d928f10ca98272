package org.dl4jinvariance.listeners.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an {@link EpochTable} per epoch (layer × data set × metric, mean and 95% CI) to a sink:
 * by default the SLF4J logger {@code org.dl4jinvariance.listeners.report.LogReporter} at INFO.
 */
public final class LogReporter implements Reporter {

    private static final Logger log = LoggerFactory.getLogger(LogReporter.class);

    private final Consumer<String> sink;
    private final List<EpochReport> epochRecords = new ArrayList<>();

    /** Logs through SLF4J at INFO. */
    public LogReporter() {
        this(table -> log.info("\n{}", table));
    }

    /** Hands each epoch's table to {@code sink} (e.g. {@code System.out::print}). */
    public LogReporter(Consumer<String> sink) {
        if (sink == null) {
            throw new IllegalArgumentException("log(sink) needs a sink for the tables, e.g. System.out::print, got null");
        }
        this.sink = sink;
    }

    @Override
    public void start(RunSettings settings) {
        sink.accept("Watching invariance: " + settings + "\n");
    }

    @Override
    public void record(EpochReport record) {
        epochRecords.add(record);
    }

    @Override
    public void epochEnd(int epoch) {
        List<EpochReport> records = new ArrayList<>(epochRecords);
        epochRecords.clear();
        sink.accept(EpochTable.format(epoch, records));
    }

    @Override
    public String name() {
        return "log";
    }
}
