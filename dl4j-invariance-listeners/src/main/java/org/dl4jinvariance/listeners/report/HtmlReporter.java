package org.dl4jinvariance.listeners.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.dl4jinvariance.listeners.DataRole;
import org.dl4jinvariance.metric.MetricGlossary;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.MetricValue;
import org.knowm.xchart.XYChart;

/**
 * Rewrites one self-contained page, {@code invariance-report.html}, at the end of every epoch:
 * the model (name, architecture read from the network, parameter count), the data sets and their
 * roles, failures, the latest epoch's values (one table per layer: metrics down, data sets
 * across, 95% CIs, {@value ValueFormat#EXACT} for round-off), a glossary of every metric shown
 * (formula, range, which way is better: {@link MetricGlossary}), the charts (embedded as base64
 * PNG, no external resources): training loss and accuracy, per-class values, the layer profile
 * and each layer against epoch; then the run settings and earlier epochs. The page is written to
 * a temporary file and moved into place.
 */
public final class HtmlReporter implements Reporter {

    /** The page's file name inside the directory. */
    public static final String FILE_NAME = "invariance-report.html";

    private final Path dir;
    private RunSettings settings;
    private ReportCharts charts = new ReportCharts(List.of());
    private final List<EpochReport> history = new ArrayList<>();
    private String backHref;
    private String backText;

    /** @throws IllegalArgumentException for a null directory or a path that is a file */
    public HtmlReporter(Path dir) {
        this.dir = ReporterDirs.require("html", dir);
    }

    /**
     * Adds a link at the top of the page, e.g. to an experiment's summary page
     * ({@code ../index.html}). The caller writes that page, at the latest when the run ends (the
     * experiments write their summary after training); the page links it from the start.
     *
     * @param href a path relative to this page's directory
     */
    public HtmlReporter linkBack(String href, String text) {
        if (href == null || href.isBlank() || text == null || text.isBlank()) {
            throw new IllegalArgumentException("linkBack needs a relative href and a text, got '" + href + "', '" + text + "'");
        }
        this.backHref = href;
        this.backText = text;
        return this;
    }

    /** The page this reporter writes. */
    public Path file() {
        return dir.resolve(FILE_NAME);
    }

    @Override
    public void start(RunSettings settings) {
        this.settings = settings;
        this.charts = new ReportCharts(settings.dataSets());
    }

    @Override
    public void trainingScore(int epoch, double score) {
        charts.addScore(epoch, score);
    }

    @Override
    public void record(EpochReport record) {
        history.add(record);
        charts.add(record);
    }

    @Override
    public void epochEnd(int epoch) throws IOException {
        AtomicFiles.write(file(), page().getBytes(StandardCharsets.UTF_8));
    }

    /** The page as it would be written now. */
    String page() throws IOException {
        StringBuilder h = new StringBuilder();
        ModelDescription model = settings == null ? null : settings.model();
        String modelName = model == null ? "model" : model.name();
        String title = "Invariance of " + modelName;
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>\n").append(STYLE).append("\n</style></head><body>\n");
        if (backHref != null) {
            h.append("<p class=\"nav\"><a href=\"").append(esc(backHref)).append("\">&larr; ").append(esc(backText))
                    .append("</a></p>\n");
        }
        h.append("<h1>").append(esc(title)).append("</h1>\n<p class=\"meta\">");
        if (model != null) {
            h.append(esc(model.type())).append(", <b>").append(esc(model.parametersText())).append("</b> parameters, ")
                    .append(model.layers().size()).append(" layers. ");
        }
        h.append("Run ").append(esc(settings == null ? "-" : settings.runId())).append(", written ")
                .append(esc(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(java.time.ZoneOffset.UTC))
                        .replaceAll("\\.\\d+", ""))).append(".</p>\n");
        files(h);
        failures(h);
        TreeSet<Integer> epochs = new TreeSet<>();
        // Epochs with something to tabulate; failures are listed above.
        history.stream().filter(r -> !r.failed()).forEach(r -> epochs.add(r.epoch()));
        dataSets(h);
        if (!epochs.isEmpty()) {
            h.append("<h2>After epoch ").append(epochs.last()).append("</h2>\n");
            table(h, epochs.last());
        }
        glossary(h);
        List<XYChart> training = charts.trainingCharts();
        if (!training.isEmpty()) {
            h.append("<h2>Training: loss and accuracy</h2>\n");
            image(h, ReportCharts.png(training), "training loss and accuracy against epoch");
        }
        List<org.knowm.xchart.CategoryChart> perClass = charts.perClassCharts();
        if (!perClass.isEmpty()) {
            h.append("<h2>Per class (epoch ").append(charts.lastEpoch()).append(", output layer)</h2>\n");
            image(h, ReportCharts.png(perClass), "per-class values at the output layer");
        }
        List<org.knowm.xchart.HeatMapChart> heatmaps = charts.channelHeatmaps();
        if (!heatmaps.isEmpty()) {
            h.append("<h2>Invariance per channel (epoch ").append(charts.lastEpoch()).append(")</h2>\n");
            image(h, ReportCharts.pngColumn(heatmaps), "per-channel invariance heatmap, layer by channel");
        }
        List<XYChart> profile = charts.layerProfileCharts();
        if (!profile.isEmpty()) {
            h.append("<h2>Layer profile (epoch ").append(charts.lastEpoch()).append(")</h2>\n");
            image(h, ReportCharts.png(profile), "layer profile");
        }
        for (String layer : charts.layers()) {
            List<XYChart> layerCharts = charts.epochCharts(layer);
            if (!layerCharts.isEmpty()) {
                h.append("<h2>Layer ").append(esc(layer)).append(" against epoch</h2>\n");
                image(h, ReportCharts.png(layerCharts), "layer " + layer);
            }
        }
        if (model != null && !model.layers().isEmpty()) {
            architecture(h, model);
        }
        if (settings != null) {
            h.append("<h2>Run settings</h2>\n<table class=\"kv\">\n");
            for (Map.Entry<String, String> e : settings.values().entrySet()) {
                h.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(e.getValue()))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        if (epochs.size() > 1) {
            h.append("<h2>Earlier epochs</h2>\n");
            for (int epoch : epochs.descendingSet().tailSet(epochs.last(), false)) {
                h.append("<details><summary>Epoch ").append(epoch).append("</summary>\n");
                table(h, epoch);
                h.append("</details>\n");
            }
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static final String STYLE = "body{font-family:sans-serif;margin:2em;color:#222;max-width:1300px}"
            + "table{border-collapse:collapse;margin:0.5em 0 1.2em}"
            + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:13px;vertical-align:top}"
            + "th{background:#f3f3f3}td.num{font-family:monospace;white-space:nowrap}td.exact{color:#276a27}"
            + "img{max-width:100%;border:1px solid #eee}.fail{color:#b00}.meta{color:#555}"
            + ".layers{display:flex;flex-wrap:wrap;gap:0 1.5em}.layers h3{margin:0.6em 0 0.2em;font-size:15px}"
            + "dl.glossary dt{font-weight:bold;margin-top:0.5em}dl.glossary dd{margin-left:1.5em}"
            + "table.kv td{word-break:break-all}";

    /** The sibling files written by the listener's other reporters, linked when they exist now. */
    private void files(StringBuilder h) {
        List<String> present = new ArrayList<>();
        for (String name : List.of(CsvReporter.FILE_NAME, JsonLinesReporter.FILE_NAME, ChartsReporter.PROFILE_FILE)) {
            if (Files.exists(dir.resolve(name))) {
                present.add("<a href=\"" + esc(name) + "\">" + esc(name) + "</a>");
            }
        }
        if (!present.isEmpty()) {
            h.append("<p class=\"meta\">Data: ").append(String.join(", ", present)).append("</p>\n");
        }
    }

    private void dataSets(StringBuilder h) {
        if (settings == null || settings.dataSets().isEmpty()) {
            return;
        }
        h.append("<p>Data sets: ");
        List<String> parts = new ArrayList<>();
        for (String d : settings.dataSets()) {
            DataRole role = settings.role(d);
            parts.add("<b>" + esc(d) + "</b> (" + esc(role.label()) + (!role.outOfDistribution() ? ""
                    : measuresLabels(d) ? ": accuracy against its own labels" : ": no accuracy against its labels") + ")");
        }
        h.append(String.join(", ", parts)).append(".</p>\n");
    }

    /**
     * True when a report of {@code dataSet} holds a metric that compares predictions with its
     * labels: for an out-of-distribution set, only when label metrics were asked for
     * ({@code InvarianceListener.Builder#labelMetricsOutOfDistribution()}); the page says what was measured.
     */
    private boolean measuresLabels(String dataSet) {
        return history.stream().filter(r -> !r.failed() && dataSet.equals(r.dataSet()))
                .anyMatch(r -> r.report().metrics().stream().anyMatch(k -> MetricGlossary.of(k)
                        .map(g -> g.key().needsLabels()).orElse(false)));
    }

    private static void architecture(StringBuilder h, ModelDescription model) {
        h.append("<h2>Architecture</h2>\n<table>\n<tr><th>#</th><th>layer</th><th>type</th><th>size</th>")
                .append("<th>parameters</th><th>group field</th></tr>\n");
        int i = 0;
        for (ModelDescription.LayerInfo l : model.layers()) {
            h.append("<tr><td>").append(i++).append("</td><td>").append(esc(l.name())).append("</td><td>")
                    .append(esc(l.type())).append("</td><td>").append(esc(l.size())).append("</td><td class=\"num\">")
                    .append(String.format(java.util.Locale.ROOT, "%,d", l.parameters())).append("</td><td>")
                    .append(esc(l.field())).append("</td></tr>\n");
        }
        h.append("<tr><th colspan=\"4\">total</th><th class=\"num\">").append(esc(model.parametersText()))
                .append("</th><th></th></tr>\n</table>\n");
    }

    /** Every metric key shown on the page, once, with its formula, range and direction. */
    private void glossary(StringBuilder h) {
        Set<String> shown = new LinkedHashSet<>();
        history.stream().filter(r -> !r.failed()).forEach(r -> shown.addAll(r.report().metrics()));
        if (shown.isEmpty()) {
            return;
        }
        h.append("<h2>Glossary</h2>\n<dl class=\"glossary\">\n");
        boolean elementAccuracy = false;
        for (String key : shown) {
            java.util.Optional<MetricGlossary> entry = MetricGlossary.of(key);
            if (key.startsWith(MetricKeys.ACCURACY + "[")) {
                if (elementAccuracy) {
                    continue;       // one entry stands for accuracy[id], accuracy[rot90], ...
                }
                elementAccuracy = true;
                entry = entry.map(e -> new MetricGlossary(e.key(), "accuracy on g·x for one group element g (id, "
                        + "rot90, ...): fraction of x with argmax p(g·x) = y(x), needs the data's own labels",
                        "[0, 1]; 1 = every input transformed by g is classified correctly"));
                key = MetricKeys.ACCURACY + "[g]";
            }
            h.append("<dt id=\"m-").append(esc(key)).append("\">").append(esc(key));
            if (entry.isPresent()) {
                MetricGlossary e = entry.get();
                h.append(" <span class=\"meta\">(").append(esc(e.direction())).append(")</span></dt>\n<dd>")
                        .append(esc(e.formula())).append(". Range: ").append(esc(e.range())).append(".</dd>\n");
            } else {
                h.append("</dt>\n<dd>a metric of your own (no glossary entry registered)</dd>\n");
            }
        }
        h.append("</dl>\n<p class=\"meta\">").append(esc(ValueFormat.EXACT)).append(": a deviation whose mean and "
                + "95% CI lie within float round-off of 0. Brackets: 95% bootstrap CI of the mean.</p>\n");
    }

    private void failures(StringBuilder h) {
        List<EpochReport> failed = history.stream().filter(EpochReport::failed).toList();
        if (failed.isEmpty()) {
            return;
        }
        h.append("<h2 class=\"fail\">Failures</h2>\n<ul>\n");
        for (EpochReport r : failed) {
            h.append("<li class=\"fail\">epoch ").append(r.epoch()).append(", ")
                    .append(esc(r.reporter() != null ? "reporter " + r.reporter() : ""))
                    .append(r.reporter() != null && r.dataSet() != null ? " on " : "")
                    .append(esc(r.dataSet() == null ? "" : r.dataSet())).append(": ").append(esc(r.failure()))
                    .append("</li>\n");
        }
        h.append("</ul>\n");
    }

    /**
     * One small table per layer: metrics down, data sets across (a handful of columns that fit,
     * where one row per layer and data set with a column per metric did not).
     */
    private void table(StringBuilder h, int epoch) {
        List<EpochReport> ok = history.stream().filter(r -> r.epoch() == epoch && !r.failed()).toList();
        Set<String> layers = new LinkedHashSet<>();
        ok.forEach(r -> layers.addAll(r.report().layers()));
        h.append("<div class=\"layers\">\n");
        for (String layer : layers) {
            Set<String> metrics = new LinkedHashSet<>();
            ok.forEach(r -> {
                if (r.report().values().containsKey(layer)) {
                    metrics.addAll(r.report().values().get(layer).keySet());
                }
            });
            h.append("<div><h3>").append(esc(layer)).append("</h3>\n<table>\n<tr><th>metric</th>");
            ok.forEach(r -> h.append("<th>").append(esc(r.dataSet()))
                    .append(r.role().outOfDistribution() ? " <span class=\"meta\">(OOD)</span>" : "").append("</th>"));
            h.append("</tr>\n");
            for (String m : metrics) {
                h.append("<tr><th><a href=\"#m-").append(esc(glossaryAnchor(m))).append("\">").append(esc(m))
                        .append("</a></th>");
                for (EpochReport r : ok) {
                    MetricValue v = r.report().has(layer, m) ? r.report().get(layer, m) : null;
                    String cell = v == null ? "-" : ValueFormat.cell(m, v);
                    boolean exact = v != null && ValueFormat.isExact(m, v);
                    h.append("<td class=\"num").append(exact ? " exact" : "").append("\"")
                            .append(v != null && !v.isApplicable() ? " title=\"" + esc(v.notApplicable()) + "\"" : "")
                            .append('>').append(esc(cell)).append("</td>");
                }
                h.append("</tr>\n");
            }
            h.append("</table></div>\n");
        }
        h.append("</div>\n");
    }

    private static String glossaryAnchor(String key) {
        return key.startsWith(MetricKeys.ACCURACY + "[") ? MetricKeys.ACCURACY + "[g]" : key;
    }

    private static void image(StringBuilder h, byte[] png, String alt) {
        h.append("<p><img alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"></p>\n");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public Set<Path> writesTo() {
        return Set.of(file());
    }

    @Override
    public String name() {
        return "html(" + dir + ")";
    }
}
