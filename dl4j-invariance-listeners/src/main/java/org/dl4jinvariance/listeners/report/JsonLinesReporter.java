package org.dl4jinvariance.listeners.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Appends one JSON object per line to {@code invariance.jsonl}:
 * <ul>
 *   <li>{@code {"type":"settings","run":…,"dataSets":[…],"settings":{…}}} once per run;</li>
 *   <li>{@code {"type":"metric","run":…,"epoch":…,"dataSet":…,"layer":…,"depth":…,"metric":…,
 *       "mean":…,"ciLow":…,"ciHigh":…,"n":…,"perClass":{…}}} per (epoch, data set, layer, metric)
 *       ({@code "notApplicable":reason} instead of numbers where a metric does not apply);</li>
 *   <li>{@code {"type":"failure","run":…,"epoch":…,"dataSet":…,"reporter":…,"failure":…}}.</li>
 * </ul>
 * Lines of an epoch are appended together at its end and forced to disk: a killed run leaves only
 * whole lines. Non-finite numbers are written as the strings {@code "NaN"}, {@code "Infinity"}.
 *
 * <p>An existing {@code invariance.jsonl} is appended to only when its first line is one of
 * these objects (it starts with <code>{"type":"settings","run":</code>, or {@code metric} or
 * {@code failure} in place of {@code settings}): another program's JSON lines are refused with an
 * {@link IllegalArgumentException} naming the file and what was expected, and left as they are.
 * The constructor checks already; {@link #start} checks again.
 */
public final class JsonLinesReporter implements Reporter {

    /** The file name inside the directory. */
    public static final String FILE_NAME = "invariance.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private AppendOnlyFile file;
    private String runId = "run";
    private final StringBuilder pending = new StringBuilder();

    static final AppendOnlyFile.Format FORMAT = new AppendOnlyFile.Format("JsonLinesReporter",
            List.of("{\"type\":\"settings\",\"run\":", "{\"type\":\"metric\",\"run\":",
                    "{\"type\":\"failure\",\"run\":"),
            "JSON lines of JsonLinesReporter, the first starting with {\"type\":\"settings\",\"run\":");

    /**
     * @throws IllegalArgumentException for a null directory, a path that is a file, or a
     *                                  directory holding an {@code invariance.jsonl} that is not ours
     */
    public JsonLinesReporter(Path dir) {
        this.dir = ReporterDirs.require("jsonLines", dir);
        ReporterDirs.requireOurs(file(), FORMAT);
    }

    /** The JSON-lines file this reporter appends to. */
    public Path file() {
        return dir.resolve(FILE_NAME);
    }

    @Override
    public void start(RunSettings settings) throws IOException {
        runId = settings.runId();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "settings");
        line.put("run", runId);
        line.put("dataSets", settings.dataSets());
        line.put("settings", settings.values());
        Map<String, String> roles = new LinkedHashMap<>();
        settings.dataSets().forEach(d -> roles.put(d, settings.role(d).name()));
        line.put("roles", roles);
        if (settings.model() != null) {
            line.put("model", settings.model());
        }
        open();
        file.append(json(line) + "\n");
    }

    private void open() throws IOException {
        if (file == null) {
            file = new AppendOnlyFile(file(), FORMAT);
        }
    }

    @Override
    public void record(EpochReport record) throws JsonProcessingException {
        if (record.failed()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("type", "failure");
            line.put("run", runId);
            line.put("epoch", record.epoch());
            line.put("dataSet", record.dataSet());
            line.put("reporter", record.reporter());
            line.put("failure", record.failure());
            pending.append(json(line)).append('\n');
            return;
        }
        for (MetricRow row : MetricRow.of(record)) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("type", "metric");
            line.put("run", runId);
            line.put("epoch", row.epoch());
            line.put("dataSet", row.dataSet());
            line.put("role", record.role().name());
            line.put("layer", row.layer());
            line.put("depth", row.depth());
            line.put("metric", row.metric());
            if (row.value().isApplicable()) {
                line.put("mean", row.value().mean());
                line.put("ciLow", row.value().ciLow());
                line.put("ciHigh", row.value().ciHigh());
                line.put("n", row.value().n());
                if (!row.value().perClass().isEmpty()) {
                    line.put("perClass", row.value().perClass());
                }
            } else {
                line.put("notApplicable", row.value().notApplicable());
            }
            pending.append(json(line)).append('\n');
        }
    }

    private static String json(Map<String, Object> line) throws JsonProcessingException {
        // The default mapper never emits a raw line break inside a value: one object, one line.
        return JSON.writeValueAsString(line);
    }

    @Override
    public void epochEnd(int epoch) throws IOException {
        open();
        String lines = pending.toString();
        pending.setLength(0);
        file.append(lines);
    }

    @Override
    public Set<Path> writesTo() {
        return Set.of(file());
    }

    @Override
    public String name() {
        return "jsonLines(" + dir + ")";
    }
}
