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
import java.util.function.Function;
import org.dl4jinvariance.listeners.report.ValueFormat;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.MetricValue;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * What an experiment found, per model, with 95% CIs: a model table (one row per model, the
 * columns of its {@link Layout}), a per-layer table (a metric per probed layer on chosen data
 * sets), any extra sections the experiment adds, and charts. Prints as text and writes
 * {@code summary.json}, the layer-profile chart, the extra charts and {@code index.html}.
 *
 * <p>The default layout is augmentation-vs-equivariance's: accuracy upright and rotated,
 * prediction invariance on MNIST and Fashion-MNIST, normalized latent invariance per layer.
 */
public final class Summary {

    static final String MNIST = "mnist";
    static final String MNIST_ROTATED = "mnist-rotated";
    static final String FASHION = "fashion-mnist";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String experiment;
    /** The headline settings: the training options of an experiment, or what evaluate measured. */
    private final Map<String, Object> baseSettings;
    /** The start of the table's first line, after the experiment's name. */
    private final String headline;
    /** Where the run writes, and whether a comparison page of every run sits above it. */
    private final RunFolder folder;
    private final Layout layout;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private final List<Section> sections = new ArrayList<>();
    private final List<Chart> charts = new ArrayList<>();
    private final Map<String, Object> json = new LinkedHashMap<>();

    /** An experiment's summary, written in the run folder its options prepared ({@link ExperimentOptions#runFolder()}). */
    Summary(String experiment, ExperimentOptions options) {
        this(experiment, options, Layout.augmentationVsEquivariance());
    }

    Summary(String experiment, ExperimentOptions options, Layout layout) {
        this(experiment, trainingSettings(options), String.format(Locale.ROOT,
                "%d epochs, %d training examples, %d per evaluation set, seed %d", options.epochs, options.trainSize,
                options.evalSize, options.seed), layout, options.runFolder());
    }

    /**
     * A summary whose summary.json settings start with {@code baseSettings} and whose table
     * starts with "experiment — headline", e.g. for a command that trains nothing, written in
     * {@code folder}.
     */
    Summary(String experiment, Map<String, Object> baseSettings, String headline, Layout layout, RunFolder folder) {
        if (folder == null) {
            throw new IllegalArgumentException("A summary of " + experiment + " needs the run folder it is written in, "
                    + "got null");
        }
        this.folder = folder;
        this.experiment = experiment;
        this.baseSettings = new LinkedHashMap<>(baseSettings);
        this.headline = headline;
        this.layout = layout;
    }

    private static Map<String, Object> trainingSettings(ExperimentOptions options) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("epochs", options.epochs);
        s.put("trainSize", options.trainSize);
        s.put("evalSize", options.evalSize);
        s.put("seed", options.seed);
        return s;
    }

    /**
     * One trained model's final reports.
     *
     * @param trainSeconds training time, or NaN for a model this run did not train (left out of summary.json)
     * @param extra further values about the model (e.g. a linear probe's accuracy as a
     *              {@link MetricValue}, an augmentation probability), written to summary.json
     */
    record Entry(String id, String title, long params, double trainSeconds, Map<String, InvarianceReport> reports,
                 Map<String, Object> extra) {

        Entry(String id, String title, long params, double trainSeconds, Map<String, InvarianceReport> reports) {
            this(id, title, params, trainSeconds, reports, Map.of());
        }
    }

    /** A model-table column: a header and how to read the value from an entry (null prints n/a). */
    record Column(String header, Function<Entry, MetricValue> value, String metric) {

        /** A column of values that are not a report metric (e.g. a linear probe's accuracy). */
        Column(String header, Function<Entry, MetricValue> value) {
            this(header, value, null);
        }

        /** {@code metric} at the output layer on {@code dataSet}. */
        static Column output(String header, String dataSet, String metric) {
            return new Column(header, e -> Summary.output(e, dataSet, metric), metric);
        }

        /** Accuracy on {@code dataSet} as given (the identity element of the orbit). */
        static Column accuracyAsGiven(String header, String dataSet) {
            return output(header, dataSet, MetricKeys.accuracyOf("id"));
        }

        /** A {@link MetricValue} the experiment stored in {@link Entry#extra()} under {@code key}. */
        static Column extra(String header, String key) {
            return new Column(header, e -> e.extra().get(key) instanceof MetricValue v ? v : null);
        }
    }

    /** A per-layer-table column: {@code metric} on {@code dataSet} at each probed layer. */
    record LayerColumn(String header, String dataSet, String metric) {
    }

    /** What the model table, the per-layer table and the layer-profile chart show. */
    record Layout(List<Column> columns, String layerCaption, List<LayerColumn> layerColumns, String profileMetric,
                  List<String> profileDataSets) {

        Layout {
            if (layerColumns.isEmpty() || profileDataSets.isEmpty()) {
                throw new IllegalArgumentException("A summary layout needs at least one layer column and one profile "
                        + "data set, got " + layerColumns + " and " + profileDataSets);
            }
            columns = List.copyOf(columns);
            layerColumns = List.copyOf(layerColumns);
            profileDataSets = List.copyOf(profileDataSets);
        }

        /** augmentation-vs-equivariance: upright/rotated MNIST accuracy, prediction KL, normalized invariance. */
        static Layout augmentationVsEquivariance() {
            return new Layout(List.of(
                    Column.accuracyAsGiven("accuracy (upright)", MNIST),
                    Column.accuracyAsGiven("accuracy (rotated)", MNIST_ROTATED),
                    Column.output("prediction KL (MNIST)", MNIST, MetricKeys.PREDICTION_KL),
                    Column.output("prediction KL (Fashion)", FASHION, MetricKeys.PREDICTION_KL)),
                    NORMALIZED_CAPTION,
                    List.of(new LayerColumn("MNIST (held-out)", MNIST, MetricKeys.INVARIANCE_NORMALIZED),
                            new LayerColumn("Fashion-MNIST (OOD)", FASHION, MetricKeys.INVARIANCE_NORMALIZED)),
                    MetricKeys.INVARIANCE_NORMALIZED, List.of(MNIST, FASHION));
        }
    }

    /** The caption of a per-layer table of normalized invariance. */
    static final String NORMALIZED_CAPTION =
            "Normalized latent invariance (0 = invariant, 1 = orbit as spread as random inputs)";

    /** A further titled table (or, for text that is no table, a body shown as a paragraph). */
    private record Section(String title, TextTable table, String body) {
    }

    private record Chart(String fileName, String alt, byte[] png) {
    }

    void add(String id, String title, ModelRun run) {
        add(id, title, run, Map.of());
    }

    void add(String id, String title, ModelRun run, Map<String, Object> extra) {
        add(new Entry(id, title, run.net().numParams(), run.trainSeconds(), run.finalReports(), extra));
    }

    void add(Entry entry) {
        entries.add(entry);
    }

    List<Entry> entries() {
        return entries;
    }

    Layout layout() {
        return layout;
    }

    /** A setting beyond the shared options (shown in the table's first line and in summary.json). */
    void setting(String key, Object value) {
        settings.put(key, value);
    }

    /** A further titled text table, printed after the per-layer table and shown on the page. */
    void section(String title, String body) {
        sections.add(new Section(title, null, body));
    }

    /** A further titled table, printed after the per-layer table and shown on the page as an HTML table. */
    void section(String title, TextTable table) {
        sections.add(new Section(title, table, null));
    }

    /** A further chart, written as {@code fileName} and embedded in index.html. */
    void chart(String fileName, String alt, byte[] png) {
        charts.add(new Chart(fileName, alt, png));
    }

    /** A further top-level field of summary.json (e.g. curves over epochs). */
    void put(String key, Object value) {
        json.put(key, value);
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

    /** The first line of the printed table: experiment, sizes, seed and extra settings. */
    String headline() {
        StringBuilder sb = new StringBuilder();
        sb.append(experiment).append(" — ").append(headline);
        settings.forEach((k, v) -> sb.append(", ").append(k).append(' ').append(v));
        return sb.toString();
    }

    /** One row per model: title, parameters, the layout's columns. */
    TextTable modelTable() {
        List<String> header = new ArrayList<>(List.of("model", "params"));
        layout.columns.forEach(c -> header.add(c.header));
        TextTable t = new TextTable(header);
        for (Entry e : entries) {
            List<String> row = new ArrayList<>(List.of(e.title, String.format(Locale.ROOT, "%,d", e.params)));
            for (Column c : layout.columns) {
                row.add(fmt(c.metric, c.value.apply(e)));
            }
            t.row(row);
        }
        return t;
    }

    /** One row per model and probed layer: the layout's per-layer columns. */
    TextTable layerTable() {
        List<String> header = new ArrayList<>(List.of("model", "layer"));
        layout.layerColumns.forEach(c -> header.add(c.header));
        TextTable t = new TextTable(header);
        String first = layout.layerColumns.get(0).dataSet;
        for (Entry e : entries) {
            InvarianceReport reference = e.reports.get(first);
            if (reference == null) {
                List<String> row = new ArrayList<>(List.of(e.title, "(no report: see the listener's history)"));
                layout.layerColumns.forEach(c -> row.add(""));
                t.row(row);
                continue;
            }
            for (String layer : reference.layers()) {
                List<String> row = new ArrayList<>(List.of(e.title, layer));
                for (LayerColumn c : layout.layerColumns) {
                    row.add(fmt(c.metric, value(e, c.dataSet, layer, c.metric)));
                }
                t.row(row);
            }
        }
        return t;
    }

    /** The metric keys the tables show, for the page's glossary. */
    List<String> metricsShown() {
        java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>();
        layout.columns.stream().map(Column::metric).filter(java.util.Objects::nonNull).forEach(keys::add);
        layout.layerColumns.forEach(c -> keys.add(c.metric));
        keys.add(layout.profileMetric);
        return new ArrayList<>(keys);
    }

    /** Titled tables and texts the experiment added. */
    List<Map.Entry<String, String>> sectionsHtml() {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Section s : sections) {
            out.add(Map.entry(s.title, s.table != null ? s.table.html()
                    : "<p>" + SummaryPage.escape(s.body).replace("\n", "<br>") + "</p>\n"));
        }
        return out;
    }

    /** The aligned table printed at the end of a run. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(headline()).append("\nmean [95% bootstrap CI]; ").append(ValueFormat.EXACT)
                .append(": a deviation within float round-off of 0\n\n");
        sb.append(modelTable().text());
        sb.append('\n').append(layout.layerCaption).append('\n');
        sb.append(layerTable().text());
        for (Section s : sections) {
            String body = s.table != null ? s.table.text() : s.body;
            sb.append('\n').append(s.title).append('\n').append(body);
            if (!body.endsWith("\n")) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    static String pad(String s, int width) {
        return String.format(Locale.ROOT, "%-" + width + "s", s);
    }

    static String right(String s, int width) {
        return String.format(Locale.ROOT, "%" + width + "s", s);
    }

    static MetricValue value(Entry e, String dataSet, String layer, String metric) {
        InvarianceReport r = e.reports.get(dataSet);
        return r != null && r.has(layer, metric) ? r.get(layer, metric) : null;
    }

    /** {@link ValueFormat#cell}: four significant digits, {@value ValueFormat#EXACT} for a deviation within round-off of 0. */
    static String fmt(String metric, MetricValue v) {
        return metric == null ? fmt(v) : ValueFormat.cell(metric, v);
    }

    static String fmt(MetricValue v) {
        if (v == null || !v.isApplicable()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", v.mean(), v.ciLow(), v.ciHigh());
    }

    /**
     * summary.json, the charts and index.html in the run folder, each written to a temp file then
     * moved; then the comparison page above it, when there is one ({@link RunFolder#finish()}).
     */
    void write() {
        Path dir = folder.dir();
        try {
            Files.createDirectories(dir);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("experiment", experiment);
            Map<String, Object> allSettings = new LinkedHashMap<>();
            allSettings.putAll(baseSettings);
            allSettings.putAll(settings);
            doc.put("settings", allSettings);
            List<Map<String, Object>> models = new ArrayList<>();
            for (Entry e : entries) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", e.id);
                m.put("title", e.title);
                m.put("params", e.params);
                if (!Double.isNaN(e.trainSeconds)) { // NaN: nothing was trained (evaluate)
                    m.put("trainSeconds", e.trainSeconds);
                }
                if (!e.extra.isEmpty()) {
                    m.put("extra", e.extra);
                }
                m.put("reports", e.reports);
                models.add(m);
            }
            doc.put("models", models);
            doc.putAll(json);
            writeAtomically(dir.resolve("summary.json"), JSON.writeValueAsString(doc).getBytes(StandardCharsets.UTF_8));
            byte[] profile = SummaryCharts.layerProfile(this, layout.profileMetric, layout.profileDataSets);
            writeAtomically(dir.resolve("invariance-profile.png"), profile);
            List<SummaryPage.Image> images = new ArrayList<>();
            images.add(new SummaryPage.Image(layout.profileMetric + " by layer", profile));
            for (Chart c : charts) {
                writeAtomically(dir.resolve(c.fileName), c.png);
                images.add(new SummaryPage.Image(c.alt, c.png));
            }
            writeAtomically(dir.resolve("index.html"), SummaryPage.html(this, images, dir).getBytes(StandardCharsets.UTF_8));
            folder.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the summary under " + dir, e);
        }
    }

    String experiment() {
        return experiment;
    }

    /** Where the run writes, and whether a comparison page sits above it. */
    RunFolder folder() {
        return folder;
    }

    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
