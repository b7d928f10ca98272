package org.dl4jinvariance.listeners.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dl4jinvariance.metric.MetricValue;

/**
 * One (epoch, data set, layer, metric) cell of a run: the unit of a CSV or JSON-lines row.
 *
 * @param depth the layer's position among the probed layers (0 = first)
 */
public record MetricRow(int epoch, String dataSet, int depth, String layer, String metric, MetricValue value) {

    /** The rows of one successful record, layers in network order, metrics in report order. */
    public static List<MetricRow> of(EpochReport record) {
        List<MetricRow> rows = new ArrayList<>();
        if (record.failed()) {
            return rows;
        }
        int depth = 0;
        for (Map.Entry<String, Map<String, MetricValue>> layer : record.report().values().entrySet()) {
            for (Map.Entry<String, MetricValue> metric : layer.getValue().entrySet()) {
                rows.add(new MetricRow(record.epoch(), record.dataSet(), depth, layer.getKey(), metric.getKey(),
                        metric.getValue()));
            }
            depth++;
        }
        return rows;
    }
}
