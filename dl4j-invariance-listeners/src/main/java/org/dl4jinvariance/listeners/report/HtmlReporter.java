package org.dl4jinvariance.listeners.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.dl4jinvariance.metric.MetricValue;
import org.knowm.xchart.XYChart;

/**
 * Rewrites one self-contained page, {@code invariance-report.html}, at the end of every epoch: run
 * settings, failures, the latest epoch's table (layer × data set × metric with 95% CIs), the
 * charts (embedded as base64 PNG, no external resources), and the tables of earlier epochs. The
 * page is written to a temporary file and moved into place.
 */
public final class HtmlReporter implements Reporter {

    /** The page's file name inside the directory. */
    public static final String FILE_NAME = "invariance-report.html";

    private final Path dir;
    private RunSettings settings;
    private ReportCharts charts = new ReportCharts(List.of());
    private final List<EpochReport> history = new ArrayList<>();

    /** @throws IllegalArgumentException for a null directory or a path that is a file */
    public HtmlReporter(Path dir) {
        this.dir = ReporterDirs.require("html", dir);
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
        String title = "Invariance report" + (settings == null ? "" : " — run " + settings.runId());
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:13px}")
                .append("th{background:#f3f3f3}td.num{font-family:monospace}img{max-width:100%;border:1px solid #eee}")
                .append(".fail{color:#b00}\n</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n<p>Written ")
                .append(esc(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))).append(".</p>\n");
        if (settings != null) {
            h.append("<h2>Run settings</h2>\n<table>\n<tr><th>data sets</th><td>")
                    .append(esc(String.join(", ", settings.dataSets()))).append("</td></tr>\n");
            for (Map.Entry<String, String> e : settings.values().entrySet()) {
                h.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(e.getValue()))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        failures(h);
        TreeSet<Integer> epochs = new TreeSet<>();
        // Epochs with something to tabulate; failures are listed above.
        history.stream().filter(r -> !r.failed()).forEach(r -> epochs.add(r.epoch()));
        if (!epochs.isEmpty()) {
            h.append("<h2>After epoch ").append(epochs.last()).append("</h2>\n");
            table(h, epochs.last());
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

    private void table(StringBuilder h, int epoch) {
        List<EpochReport> ok = history.stream().filter(r -> r.epoch() == epoch && !r.failed()).toList();
        Set<String> layers = new LinkedHashSet<>();
        Set<String> metrics = new LinkedHashSet<>();
        ok.forEach(r -> {
            layers.addAll(r.report().layers());
            metrics.addAll(r.report().metrics());
        });
        h.append("<table>\n<tr><th>layer</th><th>data set</th>");
        metrics.forEach(m -> h.append("<th>").append(esc(m)).append("</th>"));
        h.append("</tr>\n");
        for (String layer : layers) {
            for (EpochReport r : ok) {
                h.append("<tr><td>").append(esc(layer)).append("</td><td>").append(esc(r.dataSet())).append("</td>");
                for (String m : metrics) {
                    String cell = "-";
                    if (r.report().has(layer, m)) {
                        MetricValue v = r.report().get(layer, m);
                        cell = v.isApplicable() ? v.format() : "n/a";
                    }
                    h.append("<td class=\"num\">").append(esc(cell)).append("</td>");
                }
                h.append("</tr>\n");
            }
        }
        h.append("</table>\n");
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
