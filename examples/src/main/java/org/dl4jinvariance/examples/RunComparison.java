package org.dl4jinvariance.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.dl4jinvariance.listeners.DataRole;
import org.dl4jinvariance.listeners.report.ChartStyle;
import org.dl4jinvariance.listeners.report.CsvReporter;
import org.dl4jinvariance.listeners.report.HtmlReporter;
import org.dl4jinvariance.listeners.report.ReportCharts;
import org.dl4jinvariance.metric.MetricGlossary;
import org.dl4jinvariance.metric.MetricKeys;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The comparison page of an output folder, {@code <out>/index.html}: every run folder
 * ({@link RunFolders}) with its settings and a link to its summary, and charts that overlay the
 * runs (seeds, models) from the listener CSVs they wrote ({@code <run>/<model>/invariance.csv},
 * told apart by folder, model and the CSV's {@code run} column): each of a few output-layer
 * metrics on the first in-distribution data set against epoch, with 95% CIs.
 */
final class RunComparison {

    /** The metrics compared, read at the output layer (the deepest layer in each CSV). */
    static final List<String> METRICS = List.of(MetricKeys.ACCURACY, MetricKeys.PREDICTION_KL,
            MetricKeys.INVARIANCE_NORMALIZED);
    private static final int WIDTH = 900;
    private static final int HEIGHT = 420;

    private RunComparison() {
    }

    /** One CSV row, as far as the comparison reads it. */
    record Row(String run, int epoch, String dataSet, String role, String layer, int depth, String metric, double mean,
               double ciLow, double ciHigh) {
    }

    /** One line of a chart: run folder / model / CSV run id. */
    record Line(String name, TreeMap<Integer, double[]> points) {
    }

    /** Writes {@code base/index.html} over every run folder in {@code base}. */
    static void write(Path base) {
        try {
            Summary.writeAtomically(base.resolve("index.html"), html(base).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the comparison page in " + base, e);
        }
    }

    static String html(Path base) throws IOException {
        List<Path> runs = RunFolders.runs(base);
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Runs in ")
                .append(esc(base.getFileName() == null ? base.toString() : base.getFileName().toString()))
                .append("</title>\n<style>").append(SummaryPage.STYLE).append("</style></head><body>\n<h1>")
                .append(runs.size()).append(" run").append(runs.size() == 1 ? "" : "s").append(" in <code>")
                .append(esc(base.toString())).append("</code></h1>\n");
        h.append("<table>\n<tr><th>run folder</th><th>experiment</th><th>settings</th><th>models</th></tr>\n");
        Map<String, List<Row>> byLine = new LinkedHashMap<>();
        for (Path run : runs) {
            String name = run.getFileName().toString();
            JsonNode summary = readSummary(run);
            h.append("<tr><td>");
            if (Files.exists(run.resolve("index.html"))) {
                h.append("<a href=\"").append(esc(name)).append("/index.html\">").append(esc(name)).append("</a>");
            } else {
                h.append(esc(name)).append(" <span class=\"meta\">(no summary: unfinished or failed)</span>");
            }
            h.append("</td><td>").append(esc(summary == null ? "" : summary.path("experiment").asText())).append("</td><td>");
            if (summary != null) {
                List<String> parts = new ArrayList<>();
                summary.path("settings").fields().forEachRemaining(e -> parts.add(e.getKey() + " " + e.getValue().asText()));
                h.append(esc(String.join(", ", parts)));
            }
            h.append("</td><td>");
            List<String> models = new ArrayList<>();
            for (Path model : modelFolders(run)) {
                String id = model.getFileName().toString();
                String page = name + "/" + id + "/" + HtmlReporter.FILE_NAME;
                models.add(Files.exists(base.resolve(page)) ? "<a href=\"" + esc(page) + "\">" + esc(id) + "</a>" : esc(id));
                lines(name, id, readCsv(model.resolve(CsvReporter.FILE_NAME)))
                        .forEach((line, rows) -> byLine.computeIfAbsent(line, k -> new ArrayList<>()).addAll(rows));
            }
            h.append(String.join(", ", models)).append("</td></tr>\n");
        }
        h.append("</table>\n");
        List<XYChart> charts = charts(byLine);
        if (!charts.isEmpty()) {
            // One chart under another: each is as tall as its legend needs.
            String png = Base64.getEncoder().encodeToString(ReportCharts.pngColumn(charts));
            h.append("<h2>Runs overlaid (output layer, first in-distribution data set)</h2>\n<img alt=\"runs compared\" "
                    + "src=\"data:image/png;base64,").append(png).append("\">\n");
            h.append("<dl class=\"glossary\">\n");
            for (String metric : METRICS) {
                MetricGlossary.of(metric).ifPresent(g -> h.append("<dt>").append(esc(metric)).append(" (")
                        .append(esc(g.direction())).append(")</dt><dd>").append(esc(g.formula())).append(". Range: ")
                        .append(esc(g.range())).append(".</dd>\n"));
            }
            h.append("</dl>\n");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    /**
     * The chart lines of one model's CSV in one run folder, named "folder · model"; the CSV's run
     * id is added only when the CSV holds several runs (it is what tells their lines apart).
     */
    static Map<String, List<Row>> lines(String folder, String model, List<Row> rows) {
        boolean severalRuns = rows.stream().map(Row::run).distinct().count() > 1;
        Map<String, List<Row>> out = new LinkedHashMap<>();
        for (Row row : rows) {
            String line = folder + " · " + model + (severalRuns && !row.run().isEmpty() ? " · " + row.run() : "");
            out.computeIfAbsent(line, k -> new ArrayList<>()).add(row);
        }
        return out;
    }

    /** One chart per compared metric: mean against epoch with its CI, one line per run folder, model and run id. */
    static List<XYChart> charts(Map<String, List<Row>> byLine) {
        List<XYChart> charts = new ArrayList<>();
        for (String metric : METRICS) {
            List<Line> lines = new ArrayList<>();
            for (Map.Entry<String, List<Row>> e : byLine.entrySet()) {
                List<Row> rows = e.getValue();
                int outputDepth = rows.stream().mapToInt(Row::depth).max().orElse(-1);
                String dataSet = rows.stream().filter(r -> DataRole.IN_DISTRIBUTION.name().equals(r.role())
                        || r.role().isEmpty()).map(Row::dataSet).findFirst().orElse(null);
                TreeMap<Integer, double[]> points = new TreeMap<>();
                for (Row r : rows) {
                    if (r.depth() == outputDepth && r.metric().equals(metric) && r.dataSet().equals(dataSet)
                            && Double.isFinite(r.mean())) {
                        points.put(r.epoch(), new double[] {r.mean(), r.ciLow(), r.ciHigh()});
                    }
                }
                if (!points.isEmpty()) {
                    lines.add(new Line(e.getKey() + (dataSet == null ? "" : " (" + dataSet + ")"), points));
                }
            }
            if (lines.isEmpty()) {
                continue;
            }
            XYChart chart = ChartStyle.chart(metric + " at the output against epoch", "epoch", metric, WIDTH,
                    HEIGHT + 22 * lines.size());
            chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Vertical);
            chart.setCustomXAxisTickLabelsFormatter(x -> Math.abs(x - Math.rint(x)) < 1e-9 ? Long.toString(Math.round(x)) : "");
            double[] epochs = lines.stream().flatMap(l -> l.points().keySet().stream()).distinct().sorted()
                    .mapToDouble(Integer::doubleValue).toArray();
            double low = lines.stream().flatMap(l -> l.points().values().stream()).mapToDouble(p -> p[0]).min().orElse(0);
            ChartStyle.addAxisSeries(chart, epochs, low);
            for (int i = 0; i < lines.size(); i++) {
                Line line = lines.get(i);
                double[] x = line.points().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
                double[][] p = line.points().values().toArray(new double[0][]);
                XYSeries s = chart.addSeries(line.name(), x, column(p, 0));
                ChartStyle.style(s, i);
                if (allFinite(column(p, 1)) && allFinite(column(p, 2))) {
                    ChartStyle.addBound(chart, line.name() + " CI low", x, column(p, 1), i);
                    ChartStyle.addBound(chart, line.name() + " CI high", x, column(p, 2), i);
                }
            }
            ChartStyle.fitYTicks(chart);
            charts.add(chart);
        }
        return charts;
    }

    private static double[] column(double[][] p, int c) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i][c];
        }
        return out;
    }

    private static boolean allFinite(double[] xs) {
        for (double x : xs) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** The sub-folders of a run folder that hold a listener CSV, in name order. */
    static List<Path> modelFolders(Path run) throws IOException {
        try (Stream<Path> children = Files.list(run)) {
            return children.filter(p -> Files.isRegularFile(p.resolve(CsvReporter.FILE_NAME))).sorted().toList();
        }
    }

    private static JsonNode readSummary(Path run) {
        Path file = run.resolve("summary.json");
        try {
            return Files.exists(file) ? new ObjectMapper().readTree(file.toFile()) : null;
        } catch (IOException e) {
            return null;    // a run killed while writing has no summary; the table says so
        }
    }

    /** The metric rows of a listener CSV (failures and n/a rows left out); columns found by the header. */
    static List<Row> readCsv(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<Row> rows = new ArrayList<>();
        if (lines.isEmpty()) {
            return rows;
        }
        List<String> header = cells(lines.get(0));
        int run = header.indexOf("run");
        int epoch = header.indexOf("epoch");
        int dataSet = header.indexOf("dataSet");
        int role = header.indexOf("role");
        int layer = header.indexOf("layer");
        int depth = header.indexOf("depth");
        int metric = header.indexOf("metric");
        int mean = header.indexOf("mean");
        int low = header.indexOf("ciLow");
        int high = header.indexOf("ciHigh");
        for (String line : lines.subList(1, lines.size())) {
            List<String> c = cells(line);
            if (c.size() < header.size() || c.get(mean).isEmpty() || c.get(depth).isEmpty()) {
                continue;
            }
            rows.add(new Row(c.get(run), Integer.parseInt(c.get(epoch)), c.get(dataSet), role < 0 ? "" : c.get(role),
                    c.get(layer), Integer.parseInt(c.get(depth)), c.get(metric), Double.parseDouble(c.get(mean)),
                    parse(c.get(low)), parse(c.get(high))));
        }
        return rows;
    }

    private static double parse(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    /** The cells of one RFC 4180 line (quoted cells may hold commas and doubled quotes). */
    static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        out.add(cell.toString());
        return out;
    }

    private static String esc(String s) {
        return SummaryPage.escape(s);
    }
}
