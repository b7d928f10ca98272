package org.dl4jinvariance.listeners.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.dl4jinvariance.metric.MetricValue;

/**
 * The records of one epoch as an aligned text table: one row per (layer, data set), layers in
 * network order and data sets in evaluation order, one column per metric holding
 * {@code mean [ciLow, ciHigh]}; failures listed below the table.
 */
public final class EpochTable {

    private EpochTable() {
    }

    public static String format(int epoch, List<EpochReport> records) {
        Set<String> layers = new LinkedHashSet<>();
        Set<String> metrics = new LinkedHashSet<>();
        List<EpochReport> ok = new ArrayList<>();
        for (EpochReport r : records) {
            if (!r.failed()) {
                ok.add(r);
                layers.addAll(r.report().layers());
                metrics.addAll(r.report().metrics());
            }
        }
        List<String> header = new ArrayList<>(List.of("layer", "data set"));
        header.addAll(metrics);
        List<List<String>> rows = new ArrayList<>();
        for (String layer : layers) {
            for (EpochReport r : ok) {
                List<String> row = new ArrayList<>(List.of(layer, r.dataSet()));
                for (String metric : metrics) {
                    row.add(r.report().has(layer, metric) ? cell(r.report().get(layer, metric)) : "-");
                }
                rows.add(row);
            }
        }
        int[] widths = new int[header.size()];
        for (int c = 0; c < header.size(); c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Invariance after epoch ").append(epoch);
        if (!ok.isEmpty()) {
            sb.append(" (");
            for (int i = 0; i < ok.size(); i++) {
                EpochReport r = ok.get(i);
                sb.append(i == 0 ? "" : ", ").append(r.dataSet()).append(": ").append(r.millis()).append(" ms");
            }
            sb.append(')');
        }
        sb.append('\n');
        if (!rows.isEmpty()) {
            appendRow(sb, header, widths);
            for (List<String> row : rows) {
                appendRow(sb, row, widths);
            }
        }
        for (EpochReport r : records) {
            if (r.failed()) {
                sb.append("FAILED ").append(r.reporter() != null ? "reporter " + r.reporter() : "")
                        .append(r.reporter() != null && r.dataSet() != null ? " on " : "")
                        .append(r.dataSet() == null ? "" : r.dataSet()).append(": ").append(r.failure()).append('\n');
            }
        }
        return sb.toString();
    }

    private static String cell(MetricValue v) {
        return v.isApplicable() ? v.format() : "n/a";
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] widths) {
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                sb.append("  ");
            }
            sb.append(String.format(Locale.ROOT, "%-" + widths[c] + "s", cells.get(c)));
        }
        // No trailing blanks after the last column.
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }
}
