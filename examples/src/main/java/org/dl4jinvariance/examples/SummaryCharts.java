package org.dl4jinvariance.examples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.dl4jinvariance.listeners.report.ChartStyle;
import org.dl4jinvariance.listeners.report.ValueFormat;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * The experiment-level charts: a metric against depth, epochs or a setting, one line per model
 * and data set, with 95% CIs where known, in the listener's {@link ChartStyle} (the same look as
 * the model pages' charts; coinciding lines stay visible).
 */
final class SummaryCharts {

    /**
     * One line of a chart; {@code dashed} marks out-of-distribution data by convention (another
     * dash and marker), and lines of the same {@code color} index (e.g. one model on two data
     * sets) share a colour. {@code low}/{@code high} are the 95% CI bounds per point, or null.
     */
    record Line(String name, List<Double> x, List<Double> y, List<Double> low, List<Double> high, boolean dashed,
                int color) {

        /** A line without CIs. */
        Line(String name, List<Double> x, List<Double> y, boolean dashed, int color) {
            this(name, x, y, null, null, dashed, color);
        }
    }

    /** Room for the plot plus a legend column on the right (long model names must not be cut off). */
    private static final int WIDTH = 1250;
    private static final int MIN_HEIGHT = 520;
    private static final int LEGEND_ROW = 22;

    private SummaryCharts() {
    }

    /** PNG bytes of a line chart; points whose y is not finite are left out. */
    static byte[] lines(String title, String xTitle, String yTitle, List<Line> lines) throws IOException {
        XYChart chart = ChartStyle.chart(title, xTitle, yTitle, WIDTH, heightFor(lines.size()));
        legendRight(chart);
        for (Line line : lines) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> lows = new ArrayList<>();
            List<Double> highs = new ArrayList<>();
            for (int i = 0; i < line.x().size(); i++) {
                if (Double.isFinite(line.y().get(i))) {
                    xs.add(line.x().get(i));
                    ys.add(line.y().get(i));
                    lows.add(line.low() == null ? Double.NaN : line.low().get(i));
                    highs.add(line.high() == null ? Double.NaN : line.high().get(i));
                }
            }
            add(chart, line.name(), xs, ys, lows, highs, line.color(), line.dashed() ? 1 : 0);
        }
        ChartStyle.fitYTicks(chart);
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    private static void add(XYChart chart, String name, List<Double> xs, List<Double> ys, List<Double> lows,
                            List<Double> highs, int colour, int shape) {
        if (xs.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        ChartStyle.style(s, colour, shape);
        if (lows.stream().allMatch(Double::isFinite) && highs.stream().allMatch(Double::isFinite)) {
            double[] x = xs.stream().mapToDouble(Double::doubleValue).toArray();
            ChartStyle.addBound(chart, name + " CI low", x, lows.stream().mapToDouble(Double::doubleValue).toArray(), colour);
            ChartStyle.addBound(chart, name + " CI high", x, highs.stream().mapToDouble(Double::doubleValue).toArray(), colour);
        }
    }

    /** A legend of one entry per row, right of the plot. */
    private static void legendRight(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setLegendLayout(Styler.LegendLayout.Vertical);
    }

    /** Tall enough for every legend row. */
    private static int heightFor(int series) {
        return Math.max(MIN_HEIGHT, LEGEND_ROW * series + 120);
    }

    /**
     * PNG bytes of {@code metric} per probed layer (x, in depth order) for every model × data set,
     * with 95% CIs as thin dashed lines; values within round-off of 0 are drawn at 0 and the line
     * is labelled {@value ValueFormat#EXACT}.
     */
    static byte[] layerProfile(Summary summary, String metric, List<String> dataSets) throws IOException {
        List<String> layers = unionOfLayers(summary);
        int series = summary.entries().size() * dataSets.size();
        XYChart chart = ChartStyle.chart(summary.experiment() + ": " + metric + " by layer" + (dataSets.size() == 1 ? ""
                : " (" + dataSets.get(0) + ": solid; " + String.join(", ", dataSets.subList(1, dataSets.size()))
                        + ": dashed)"), "layer", metric, WIDTH, heightFor(series));
        legendRight(chart);
        chart.setCustomXAxisTickLabelsFormatter(x -> {
            int i = (int) Math.round(x);
            return Math.abs(x - i) < 1e-9 && i >= 0 && i < layers.size() ? layers.get(i) : "";
        });
        double[] depths = new double[layers.size()];
        for (int i = 0; i < depths.length; i++) {
            depths[i] = i;
        }
        ChartStyle.addAxisSeries(chart, depths, 0);
        for (int m = 0; m < summary.entries().size(); m++) {
            Summary.Entry e = summary.entries().get(m);
            for (int d = 0; d < dataSets.size(); d++) {
                String dataSet = dataSets.get(d);
                InvarianceReport r = e.reports().get(dataSet);
                if (r == null) {
                    continue;
                }
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                List<Double> lows = new ArrayList<>();
                List<Double> highs = new ArrayList<>();
                boolean exact = true;
                for (String layer : r.layers()) {
                    MetricValue v = r.has(layer, metric) ? r.get(layer, metric) : null;
                    if (v != null && v.isApplicable() && Double.isFinite(v.mean())) {
                        boolean zero = ValueFormat.isExact(metric, v);
                        exact &= zero;
                        xs.add((double) layers.indexOf(layer));
                        ys.add(zero ? 0 : v.mean());
                        lows.add(zero ? 0 : v.ciLow());
                        highs.add(zero ? 0 : v.ciHigh());
                    }
                }
                String name = (dataSets.size() == 1 ? e.title() : e.title() + " · " + dataSet)
                        + (exact && !xs.isEmpty() ? " — " + ValueFormat.EXACT : "");
                add(chart, name, xs, ys, lows, highs, m, d);
            }
        }
        ChartStyle.fitYTicks(chart);
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    private static List<String> unionOfLayers(Summary summary) {
        // Keep depth order: a layer only one model has (e.g. gpool) slots in before the next shared one.
        List<String> ordered = new ArrayList<>();
        for (Summary.Entry e : summary.entries()) {
            for (InvarianceReport r : e.reports().values()) {
                List<String> own = r.layers();
                for (int i = 0; i < own.size(); i++) {
                    String layer = own.get(i);
                    if (!ordered.contains(layer)) {
                        int insertAt = ordered.size();
                        for (int j = i + 1; j < own.size(); j++) {
                            int at = ordered.indexOf(own.get(j));
                            if (at >= 0) {
                                insertAt = at;
                                break;
                            }
                        }
                        ordered.add(insertAt, layer);
                    }
                }
            }
        }
        return ordered;
    }
}
