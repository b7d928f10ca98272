package org.dl4jinvariance.examples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricValue;

/**
 * One metric at one layer over training epochs, per model and data set, read from the
 * listener's history: as a chart (first data set solid, the others dashed), a text table of
 * means, and a map for summary.json.
 */
final class Curves {

    private final String layer;
    private final String metric;
    private final List<String> dataSets;
    /** model title → data set → epoch → value. */
    private final Map<String, Map<String, SortedMap<Integer, MetricValue>>> values = new LinkedHashMap<>();

    /**
     * @param dataSets the data sets to follow; the first is in distribution (solid lines)
     */
    Curves(String layer, String metric, List<String> dataSets) {
        if (dataSets.isEmpty()) {
            throw new IllegalArgumentException("Curves need at least one data set, got none");
        }
        this.layer = layer;
        this.metric = metric;
        this.dataSets = List.copyOf(dataSets);
    }

    /** Adds {@code run}'s history under {@code model}, its epochs shifted by {@code epochOffset}. */
    Curves add(String model, ModelRun run, int epochOffset) {
        Map<String, SortedMap<Integer, MetricValue>> perSet = values.computeIfAbsent(model, m -> new LinkedHashMap<>());
        for (String dataSet : dataSets) {
            SortedMap<Integer, MetricValue> series = perSet.computeIfAbsent(dataSet, d -> new TreeMap<>());
            for (Map.Entry<Integer, InvarianceReport> e : run.byEpoch(dataSet).entrySet()) {
                if (e.getValue().has(layer, metric)) {
                    series.put(e.getKey() + epochOffset, e.getValue().get(layer, metric));
                }
            }
        }
        return this;
    }

    String layer() {
        return layer;
    }

    String metric() {
        return metric;
    }

    /** The value of {@code model} on {@code dataSet} after {@code epoch}, or null. */
    MetricValue value(String model, String dataSet, int epoch) {
        Map<String, SortedMap<Integer, MetricValue>> perSet = values.get(model);
        return perSet == null || perSet.get(dataSet) == null ? null : perSet.get(dataSet).get(epoch);
    }

    /** PNG: the metric against the epoch, one line per model and data set. */
    byte[] chart(String title) throws IOException {
        List<SummaryCharts.Line> lines = new ArrayList<>();
        int m = 0;
        for (Map.Entry<String, Map<String, SortedMap<Integer, MetricValue>>> model : values.entrySet()) {
            for (int d = 0; d < dataSets.size(); d++) {
                SortedMap<Integer, MetricValue> series = model.getValue().get(dataSets.get(d));
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                List<Double> lows = new ArrayList<>();
                List<Double> highs = new ArrayList<>();
                series.forEach((epoch, v) -> {
                    if (v.isApplicable()) {
                        xs.add((double) epoch);
                        ys.add(v.mean());
                        lows.add(v.ciLow());
                        highs.add(v.ciHigh());
                    }
                });
                String name = dataSets.size() == 1 ? model.getKey() : model.getKey() + " · " + dataSets.get(d);
                lines.add(new SummaryCharts.Line(name, xs, ys, lows, highs, d > 0, m));
            }
            m++;
        }
        return SummaryCharts.lines(title, "epoch", metric + " at " + layer, lines);
    }

    /** Rows: models; columns: epochs; cells: the data sets' means separated by " / ". */
    String table() {
        return grid().text();
    }

    /** Means per model (rows) and epoch (columns), the data sets' values joined by " / " in a cell. */
    TextTable grid() {
        TreeSet<Integer> epochs = new TreeSet<>();
        values.values().forEach(perSet -> perSet.values().forEach(s -> epochs.addAll(s.keySet())));
        List<String> header = new ArrayList<>(List.of("model"));
        epochs.forEach(e -> header.add("epoch " + e));
        TextTable t = new TextTable(header);
        for (Map.Entry<String, Map<String, SortedMap<Integer, MetricValue>>> model : values.entrySet()) {
            List<String> row = new ArrayList<>(List.of(model.getKey()));
            for (int epoch : epochs) {
                List<String> parts = new ArrayList<>();
                for (String dataSet : dataSets) {
                    MetricValue v = model.getValue().get(dataSet).get(epoch);
                    parts.add(v == null || !v.isApplicable() ? "-" : String.format(Locale.ROOT, "%.3f", v.mean()));
                }
                row.add(String.join(" / ", parts));
            }
            t.row(row);
        }
        return t;
    }

    /** For summary.json: layer, metric, and model → data set → epoch → value. */
    Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("layer", layer);
        out.put("metric", metric);
        out.put("dataSets", dataSets);
        out.put("values", values);
        return out;
    }
}
