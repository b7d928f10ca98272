package org.dl4jinvariance.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.MetricValue;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * What an experiment found, per model: accuracy upright and rotated, prediction invariance and
 * normalized latent invariance per probed layer on each data set, with 95% CIs. Prints as a
 * table and writes {@code summary.json}, a layer-profile chart and {@code index.html}.
 */
public final class Summary {

    static final String MNIST = "mnist";
    static final String MNIST_ROTATED = "mnist-rotated";
    static final String FASHION = "fashion-mnist";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String experiment;
    private final ExperimentOptions options;
    private final List<Entry> entries = new ArrayList<>();

    Summary(String experiment, ExperimentOptions options) {
        this.experiment = experiment;
        this.options = options;
    }

    /** One trained model's final reports. */
    record Entry(String id, String title, long params, double trainSeconds, Map<String, InvarianceReport> reports) {
    }

    void add(String id, String title, ModelRun run) {
        entries.add(new Entry(id, title, run.net().numParams(), run.trainSeconds(), run.finalReports()));
    }

    List<Entry> entries() {
        return entries;
    }

    /** The output layer's value of {@code metric} on {@code dataSet}, or null. */
    static MetricValue output(Entry e, String dataSet, String metric) {
        InvarianceReport r = e.reports.get(dataSet);
        if (r == null) {
            return null;
        }
        List<String> layers = r.layers();
        String last = layers.get(layers.size() - 1);
        return r.has(last, metric) ? r.get(last, metric) : null;
    }

    /** Accuracy on the examples as they are (the identity element of the orbit). */
    static MetricValue accuracyAsGiven(Entry e, String dataSet) {
        return output(e, dataSet, MetricKeys.accuracyOf("id"));
    }

    /** The aligned table printed at the end of a run. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s — %d epochs, %d training examples, %d per evaluation set, seed %d%n",
                experiment, options.epochs, options.trainSize, options.evalSize, options.seed));
        sb.append("mean [95% bootstrap CI]\n\n");
        String rowFormat = "%-30s %9s %24s %24s %24s %24s%n";
        sb.append(String.format(Locale.ROOT, rowFormat, "model", "params", "accuracy (upright)", "accuracy (rotated)",
                "prediction KL (MNIST)", "prediction KL (Fashion)"));
        for (Entry e : entries) {
            sb.append(String.format(Locale.ROOT, rowFormat, e.title, String.format(Locale.ROOT, "%,d", e.params),
                    fmt(accuracyAsGiven(e, MNIST)), fmt(accuracyAsGiven(e, MNIST_ROTATED)),
                    fmt(output(e, MNIST, MetricKeys.PREDICTION_KL)), fmt(output(e, FASHION, MetricKeys.PREDICTION_KL))));
        }
        sb.append("\nNormalized latent invariance (0 = invariant, 1 = orbit as spread as random inputs)\n");
        String layerFormat = "%-30s %-8s %24s %24s%n";
        sb.append(String.format(Locale.ROOT, layerFormat, "model", "layer", "MNIST (held-out)", "Fashion-MNIST (OOD)"));
        for (Entry e : entries) {
            InvarianceReport id = e.reports.get(MNIST);
            if (id == null) {
                sb.append(String.format(Locale.ROOT, "%-30s (no report: see the listener's history)%n", e.title));
                continue;
            }
            for (String layer : id.layers()) {
                sb.append(String.format(Locale.ROOT, layerFormat, e.title, layer,
                        fmt(value(e, MNIST, layer, MetricKeys.INVARIANCE_NORMALIZED)),
                        fmt(value(e, FASHION, layer, MetricKeys.INVARIANCE_NORMALIZED))));
            }
        }
        return sb.toString();
    }

    static MetricValue value(Entry e, String dataSet, String layer, String metric) {
        InvarianceReport r = e.reports.get(dataSet);
        return r != null && r.has(layer, metric) ? r.get(layer, metric) : null;
    }

    static String fmt(MetricValue v) {
        if (v == null || !v.isApplicable()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", v.mean(), v.ciLow(), v.ciHigh());
    }

    /** summary.json, the layer-profile chart and index.html, each written to a temp file then moved. */
    void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("experiment", experiment);
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("epochs", options.epochs);
            settings.put("trainSize", options.trainSize);
            settings.put("evalSize", options.evalSize);
            settings.put("seed", options.seed);
            doc.put("settings", settings);
            List<Map<String, Object>> models = new ArrayList<>();
            for (Entry e : entries) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", e.id);
                m.put("title", e.title);
                m.put("params", e.params);
                m.put("trainSeconds", e.trainSeconds);
                m.put("reports", e.reports);
                models.add(m);
            }
            doc.put("models", models);
            writeAtomically(dir.resolve("summary.json"), JSON.writeValueAsString(doc).getBytes(StandardCharsets.UTF_8));
            byte[] chart = SummaryCharts.layerProfile(this, MetricKeys.INVARIANCE_NORMALIZED, List.of(MNIST, FASHION));
            writeAtomically(dir.resolve("invariance-profile.png"), chart);
            writeAtomically(dir.resolve("index.html"), SummaryPage.html(this, chart).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the summary under " + dir, e);
        }
    }

    String experiment() {
        return experiment;
    }

    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
