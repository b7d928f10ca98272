package org.dl4jinvariance.listeners.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.dl4jinvariance.metric.MetricValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Builds the XChart charts of a run from its history and renders them as PNG grids:
 * <ul>
 *   <li>per layer, one small chart per metric: mean against epoch, one solid line per data set
 *       (held-out and OOD side by side, same colours everywhere) with its 95% CI as thin dashed
 *       lines;</li>
 *   <li>the layer profile: per metric, mean against depth (probed layers in network order) at the
 *       last epoch, one line per data set.</li>
 * </ul>
 * Points whose metric is not applicable or not finite are left out.
 */
public final class ReportCharts {

    /** Width of one chart in a grid, pixels. */
    public static final int WIDTH = 420;
    /** Height of one chart in a grid, pixels. */
    public static final int HEIGHT = 300;
    private static final int MAX_COLUMNS = 3;

    // Tableau-10: distinguishable and colour-blind friendly enough for a handful of data sets.
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
    private static final BasicStroke CI_STROKE = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {4f, 3f}, 0f);

    private final List<EpochReport> history = new ArrayList<>();
    private final Set<String> dataSets = new LinkedHashSet<>();
    private final Set<String> layers = new LinkedHashSet<>();

    /** Data sets named up front keep their colour and order even before their first report. */
    public ReportCharts(List<String> dataSetOrder) {
        dataSets.addAll(dataSetOrder);
    }

    /** Adds a record; failures are ignored (they have nothing to draw). */
    public void add(EpochReport record) {
        if (record.failed()) {
            return;
        }
        history.add(record);
        dataSets.add(record.dataSet());
        layers.addAll(record.report().layers());
    }

    /** Probed layers in network order, as seen so far. */
    public List<String> layers() {
        return new ArrayList<>(layers);
    }

    /** The last epoch with at least one report, or -1. */
    public int lastEpoch() {
        return history.stream().mapToInt(EpochReport::epoch).max().orElse(-1);
    }

    /** One chart per metric at {@code layer}: mean against epoch, one line per data set. */
    public List<XYChart> epochCharts(String layer) {
        double[] epochs = history.stream().mapToDouble(EpochReport::epoch).distinct().sorted().toArray();
        List<XYChart> charts = new ArrayList<>();
        for (String metric : metricsAt(layer)) {
            Map<String, List<double[]>> series = new LinkedHashMap<>();
            for (String dataSet : dataSets) {
                List<double[]> points = new ArrayList<>();
                for (EpochReport r : history) {
                    if (r.dataSet().equals(dataSet) && r.report().has(layer, metric)) {
                        addPoint(points, r.epoch(), r.report().get(layer, metric));
                    }
                }
                series.put(dataSet, points);
            }
            if (series.values().stream().allMatch(List::isEmpty)) {
                continue;
            }
            XYChart chart = chart(layer + " · " + metric, "epoch", metric);
            chart.setCustomXAxisTickLabelsFormatter(x -> integral(x) ? Long.toString(Math.round(x)) : "");
            addAxisSeries(chart, epochs, series);
            addDataSeries(chart, series);
            charts.add(chart);
        }
        return charts;
    }

    /**
     * One chart per metric that is measured at two or more layers: mean against depth at the last
     * epoch, one line per data set.
     */
    public List<XYChart> layerProfileCharts() {
        int last = lastEpoch();
        List<String> order = layers();
        double[] depths = new double[order.size()];
        for (int i = 0; i < depths.length; i++) {
            depths[i] = i;
        }
        Set<String> metrics = new LinkedHashSet<>();
        for (String layer : order) {
            metrics.addAll(metricsAt(layer));
        }
        List<XYChart> charts = new ArrayList<>();
        for (String metric : metrics) {
            Map<String, List<double[]>> series = new LinkedHashMap<>();
            for (String dataSet : dataSets) {
                EpochReport r = latest(dataSet, last);
                List<double[]> points = new ArrayList<>();
                if (r != null) {
                    for (int depth = 0; depth < order.size(); depth++) {
                        if (r.report().has(order.get(depth), metric)) {
                            addPoint(points, depth, r.report().get(order.get(depth), metric));
                        }
                    }
                }
                series.put(dataSet, points);
            }
            if (series.values().stream().mapToInt(List::size).max().orElse(0) < 2) {
                continue;
            }
            XYChart chart = chart(metric + " · epoch " + last, "layer", metric);
            chart.setCustomXAxisTickLabelsFormatter(x -> {
                if (!integral(x)) {
                    return "";
                }
                int i = (int) Math.round(x);
                return i >= 0 && i < order.size() ? order.get(i) : Integer.toString(i);
            });
            chart.getStyler().setXAxisLabelRotation(order.size() > 6 ? 45 : 0);
            addAxisSeries(chart, depths, series);
            addDataSeries(chart, series);
            charts.add(chart);
        }
        return charts;
    }

    /**
     * An invisible first series holding every x position (all evaluated epochs, or every probed
     * layer), so that each chart spans them all even where a data set or metric has no value.
     * Being first also matters to XChart: with a tick-label function it puts ticks at the data's x
     * values when the first-seen x values are equally spaced (one tick per epoch or layer), and
     * otherwise searches for a tick step whose labels are all distinct.
     */
    private static void addAxisSeries(XYChart chart, double[] xs, Map<String, List<double[]>> series) {
        double y = series.values().stream().flatMap(List::stream).mapToDouble(p -> p[1]).min().orElse(0);
        double[] ys = new double[xs.length];
        java.util.Arrays.fill(ys, y);
        XYSeries axis = chart.addSeries(" axis", xs, ys);
        axis.setLineStyle(SeriesLines.NONE);
        axis.setMarker(SeriesMarkers.NONE);
        axis.setShowInLegend(false);
    }

    private static void addDataSeries(XYChart chart, Map<String, List<double[]>> series) {
        int colour = 0;
        for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
            addSeries(chart, s.getKey(), s.getValue(), PALETTE[colour++ % PALETTE.length]);
        }
    }

    private static boolean integral(double x) {
        return Math.abs(x - Math.rint(x)) < 1e-9;
    }

    private EpochReport latest(String dataSet, int epoch) {
        EpochReport found = null;
        for (EpochReport r : history) {
            if (r.dataSet().equals(dataSet) && r.epoch() == epoch) {
                found = r;
            }
        }
        return found;
    }

    /** Metrics with at least one applicable, finite value at {@code layer}, in first-seen order. */
    private List<String> metricsAt(String layer) {
        Set<String> metrics = new LinkedHashSet<>();
        for (EpochReport r : history) {
            Map<String, MetricValue> m = r.report().values().get(layer);
            if (m != null) {
                m.forEach((k, v) -> {
                    if (v.isApplicable() && Double.isFinite(v.mean())) {
                        metrics.add(k);
                    }
                });
            }
        }
        return new ArrayList<>(metrics);
    }

    private static void addPoint(List<double[]> points, double x, MetricValue v) {
        if (v.isApplicable() && Double.isFinite(v.mean())) {
            points.add(new double[] {x, v.mean(), v.ciLow(), v.ciHigh()});
        }
    }

    private static void addSeries(XYChart chart, String name, List<double[]> points, Color colour) {
        if (points.isEmpty()) {
            return;
        }
        double[] x = column(points, 0);
        XYSeries mean = chart.addSeries(name, x, column(points, 1));
        mean.setLineColor(colour);
        mean.setMarkerColor(colour);
        mean.setMarker(SeriesMarkers.CIRCLE);
        mean.setLineWidth(2f);
        double[] low = column(points, 2);
        double[] high = column(points, 3);
        if (allFinite(low) && allFinite(high)) {
            addBound(chart, name + " 95% CI low", x, low, colour);
            addBound(chart, name + " 95% CI high", x, high, colour);
        }
    }

    private static void addBound(XYChart chart, String name, double[] x, double[] y, Color colour) {
        XYSeries ci = chart.addSeries(name, x, y);
        ci.setLineColor(colour);
        ci.setLineStyle(CI_STROKE);
        ci.setMarker(SeriesMarkers.NONE);
        ci.setShowInLegend(false);
    }

    private static boolean allFinite(double[] xs) {
        for (double x : xs) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private static double[] column(List<double[]> points, int c) {
        double[] out = new double[points.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = points.get(i)[c];
        }
        return out;
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setLegendBorderColor(Color.WHITE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setYAxisDecimalPattern("0.0###");
        return chart;
    }

    /**
     * Renders {@code charts} as one PNG, in a grid of at most three columns (unused cells stay
     * white). The grid is composed here because XChart's own grid fails when the last row is not
     * full.
     */
    public static byte[] png(List<XYChart> charts) throws IOException {
        if (charts.isEmpty()) {
            throw new IllegalArgumentException("No charts to render: got an empty list");
        }
        int cols = Math.min(MAX_COLUMNS, charts.size());
        int rows = (charts.size() + cols - 1) / cols;
        BufferedImage grid = new BufferedImage(cols * WIDTH, rows * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            for (int i = 0; i < charts.size(); i++) {
                g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * WIDTH, (i / cols) * HEIGHT, null);
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(grid, "png", out)) {
            throw new IOException("No PNG writer available in this JVM");
        }
        return out.toByteArray();
    }

    /** Every PNG of the run: file name → bytes ({@code layer-NN-<name>.png}, {@code layer-profile.png}). */
    public Map<String, byte[]> renderAll() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<XYChart> profile = layerProfileCharts();
        if (!profile.isEmpty()) {
            files.put(ChartsReporter.PROFILE_FILE, png(profile));
        }
        int depth = 0;
        for (String layer : layers) {
            List<XYChart> charts = epochCharts(layer);
            if (!charts.isEmpty()) {
                files.put(fileName(depth, layer), png(charts));
            }
            depth++;
        }
        return files;
    }

    /** {@code layer-03-conv_2.png}: the depth keeps files in network order and names unique. */
    static String fileName(int depth, String layer) {
        return String.format(Locale.ROOT, "layer-%02d-%s.png", depth, layer.replaceAll("[^A-Za-z0-9._-]", "_"));
    }
}
