package org.dl4jinvariance.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The experiment-level charts: a metric against depth, epochs or a setting, one line per model and data set. */
final class SummaryCharts {

    /**
     * One line of a chart; dashed lines mark out-of-distribution data by convention, and lines
     * of the same {@code color} index (e.g. one model on two data sets) share a colour.
     */
    record Line(String name, List<Double> x, List<Double> y, boolean dashed, int color) {
    }

    /** Ten colours that stay apart on white (Tableau 10). */
    private static final Color[] PALETTE = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759),
        new Color(0x76B7B2), new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7),
        new Color(0x9C755F), new Color(0xBAB0AC)};

    private static void colour(XYSeries s, int index) {
        Color c = PALETTE[Math.floorMod(index, PALETTE.length)];
        s.setLineColor(c);
        s.setMarkerColor(c);
    }

    private SummaryCharts() {
    }

    /** PNG bytes of a line chart; points whose y is not finite are left out. */
    static byte[] lines(String title, String xTitle, String yTitle, List<Line> lines) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(heightFor(lines.size())).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        legendRight(chart);
        for (Line line : lines) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < line.x().size(); i++) {
                if (Double.isFinite(line.y().get(i))) {
                    xs.add(line.x().get(i));
                    ys.add(line.y().get(i));
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(line.name(), xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            colour(s, line.color());
            if (line.dashed()) {
                s.setLineStyle(DASHED);
            }
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /** Room for the plot plus a legend column on the right (long model names must not be cut off). */
    private static final int WIDTH = 1250;
    private static final int MIN_HEIGHT = 520;
    private static final int LEGEND_ROW = 22;

    /** A legend of one entry per row, right of the plot. */
    private static void legendRight(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setLegendLayout(Styler.LegendLayout.Vertical);
    }

    /** Tall enough for every legend row. */
    private static int heightFor(int series) {
        return Math.max(MIN_HEIGHT, LEGEND_ROW * series + 120);
    }

    private static final BasicStroke DASHED =
            new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

    /** PNG bytes of {@code metric} per probed layer (x, in depth order) for every model × data set. */
    static byte[] layerProfile(Summary summary, String metric, List<String> dataSets) throws IOException {
        List<String> layers = unionOfLayers(summary);
        int series = summary.entries().size() * dataSets.size();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(heightFor(series))
                .title(summary.experiment() + ": " + metric + " by layer" + (dataSets.size() == 1 ? "" : " (solid: "
                        + dataSets.get(0) + ", dashed: " + String.join(", ", dataSets.subList(1, dataSets.size())) + ")"))
                .xAxisTitle("layer").yAxisTitle(metric).build();
        legendRight(chart);
        chart.setCustomXAxisTickLabelsFormatter(x -> {
            int i = (int) Math.round(x);
            return Math.abs(x - i) < 1e-9 && i >= 0 && i < layers.size() ? layers.get(i) : "";
        });
        // XChart places custom-labelled ticks at the first series' x values when they are equally
        // spaced (otherwise its tick search can loop): an invisible series at every layer comes first.
        double[] depths = new double[layers.size()];
        for (int i = 0; i < depths.length; i++) {
            depths[i] = i;
        }
        XYSeries axis = chart.addSeries(" axis", depths, new double[depths.length]);
        axis.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
        axis.setMarker(SeriesMarkers.NONE);
        axis.setShowInLegend(false);
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
                for (String layer : r.layers()) {
                    MetricValue v = r.has(layer, metric) ? r.get(layer, metric) : null;
                    if (v != null && v.isApplicable() && Double.isFinite(v.mean())) {
                        xs.add((double) layers.indexOf(layer));
                        ys.add(v.mean());
                    }
                }
                if (!xs.isEmpty()) {
                    XYSeries s = chart.addSeries(dataSets.size() == 1 ? e.title() : e.title() + " · " + dataSet, xs, ys);
                    s.setMarker(SeriesMarkers.CIRCLE);
                    colour(s, m);
                    if (d > 0) {
                        s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                                new float[] {6f, 4f}, 0f));
                    }
                }
            }
        }
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
