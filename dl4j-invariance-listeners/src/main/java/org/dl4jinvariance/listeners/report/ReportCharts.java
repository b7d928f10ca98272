package org.dl4jinvariance.listeners.report;

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
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

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

    private final List<EpochReport> history = new ArrayList<>();
    private final Set<String> dataSets = new LinkedHashSet<>();
    private final Set<String> layers = new LinkedHashSet<>();

    /** Data sets named up front keep their colour and order even before their first report. */
    public ReportCharts(List<String> dataSetOrder) {
        dataSets.addAll(dataSetOrder);
    }

    /** Epoch → training score (the model's loss), from {@link Reporter#trainingScore}. */
    private final java.util.TreeMap<Integer, Double> scores = new java.util.TreeMap<>();

    /** Records the model's training score (loss) at {@code epoch}; NaN is kept out of the chart. */
    public void addScore(int epoch, double score) {
        if (Double.isFinite(score)) {
            scores.put(epoch, score);
        }
    }

    /**
     * Training beside invariance: the training loss against epoch (DL4J's score, the last
     * minibatch's loss) and accuracy at the output layer against epoch, one line per data set
     * that has it (in-distribution sets: out-of-distribution sets carry no accuracy). Empty for a
     * single evaluation without training scores.
     */
    public List<XYChart> trainingCharts() {
        List<XYChart> out = new ArrayList<>();
        if (!scores.isEmpty()) {
            XYChart loss = chart("training loss", "epoch", "loss (score)");
            loss.setCustomXAxisTickLabelsFormatter(x -> integral(x) ? Long.toString(Math.round(x)) : "");
            double[] x = scores.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            double[] y = scores.values().stream().mapToDouble(Double::doubleValue).toArray();
            ChartStyle.addAxisSeries(loss, x, y[0]);
            ChartStyle.style(loss.addSeries("training loss", x, y), 0);
            ChartStyle.fitYTicks(loss);
            out.add(loss);
        }
        List<String> order = layers();
        // One evaluation (no training, e.g. the evaluate command) has no curve: its accuracy is in the tables.
        if (!order.isEmpty() && (!scores.isEmpty() || evaluatedEpochs() > 1)) {
            String output = order.get(order.size() - 1);
            out.addAll(epochCharts(output, List.of(org.dl4jinvariance.metric.MetricKeys.ACCURACY)));
        }
        return out;
    }

    private long evaluatedEpochs() {
        return history.stream().filter(r -> !r.failed()).mapToInt(EpochReport::epoch).distinct().count();
    }

    /**
     * Per-class bars at the output layer for the last epoch: one chart per metric that has
     * per-class values there (element-wise accuracies left out), one bar series per data set.
     */
    public List<org.knowm.xchart.CategoryChart> perClassCharts() {
        List<org.knowm.xchart.CategoryChart> out = new ArrayList<>();
        List<String> order = layers();
        if (order.isEmpty()) {
            return out;
        }
        String output = order.get(order.size() - 1);
        int last = lastEpoch();
        for (String metric : metricsAt(output)) {
            if (metric.contains("[")) {
                continue;
            }
            org.knowm.xchart.CategoryChart chart = null;
            int index = 0;
            for (String dataSet : dataSets) {
                EpochReport r = latest(dataSet, last);
                int colour = index++;
                if (r == null || !r.report().has(output, metric)) {
                    continue;
                }
                MetricValue v = r.report().get(output, metric);
                // Round-off per class (an exactly invariant output) is no pattern to draw.
                if (!v.isApplicable() || v.perClass().isEmpty() || ValueFormat.isExact(metric, v)) {
                    continue;
                }
                if (chart == null) {
                    chart = new org.knowm.xchart.CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                            .title(output + " · " + metric + " per class").xAxisTitle("class").yAxisTitle(metric).build();
                    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
                    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
                    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
                    chart.getStyler().setLegendBorderColor(java.awt.Color.WHITE);
                    chart.setCustomYAxisTickLabelsFormatter(ValueFormat::number);
                }
                List<String> classes = v.perClass().keySet().stream().map(String::valueOf).toList();
                List<Double> means = new ArrayList<>(v.perClass().values());
                chart.addSeries(dataSet, classes, means).setFillColor(ChartStyle.colour(colour));
            }
            if (chart != null) {
                out.add(chart);
            }
        }
        return out;
    }

    /**
     * Layer × channel heatmaps of per-channel invariance ({@link org.dl4jinvariance.metric.ChannelInvariance},
     * when it was measured) at the last epoch, one per data set: rows are the layers that have
     * it, in network order, columns the channels (0 … C−1 of each layer), colour the channel's
     * mean deviation (0 = invariant).
     */
    public List<org.knowm.xchart.HeatMapChart> channelHeatmaps() {
        String key = org.dl4jinvariance.metric.ChannelInvariance.KEY.name();
        List<org.knowm.xchart.HeatMapChart> out = new ArrayList<>();
        int last = lastEpoch();
        for (String dataSet : dataSets) {
            EpochReport r = latest(dataSet, last);
            if (r == null) {
                continue;
            }
            List<String> rows = new ArrayList<>();
            List<Number[]> cells = new ArrayList<>();
            int maxChannels = 0;
            double max = 0;
            for (String layer : layers) {
                if (!r.report().has(layer, key) || r.report().get(layer, key).perChannel().isEmpty()) {
                    continue;
                }
                List<Double> channels = r.report().get(layer, key).perChannel();
                for (int c = 0; c < channels.size(); c++) {
                    double v = channels.get(c);
                    cells.add(new Number[] {c, rows.size(), Double.isFinite(v) ? v : 0});
                    max = Math.max(max, Double.isFinite(v) ? v : 0);
                }
                maxChannels = Math.max(maxChannels, channels.size());
                rows.add(layer);
            }
            if (rows.isEmpty()) {
                continue;
            }
            List<Integer> columns = new ArrayList<>();
            for (int c = 0; c < maxChannels; c++) {
                columns.add(c);
            }
            org.knowm.xchart.HeatMapChart chart = new org.knowm.xchart.HeatMapChartBuilder().width(2 * WIDTH)
                    .height(Math.max(HEIGHT, 60 + 34 * rows.size())).title(key + " per channel · " + dataSet + " · epoch "
                            + last).xAxisTitle("channel").yAxisTitle("layer").build();
            chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
            chart.getStyler().setMin(0);
            chart.getStyler().setMax(max > 0 ? max : 1);
            chart.getStyler().setRangeColors(new java.awt.Color[] {new java.awt.Color(255, 255, 255),
                new java.awt.Color(253, 174, 97), new java.awt.Color(165, 0, 38)});
            chart.getStyler().setHeatMapDecimalValueFormatter(ValueFormat::number);
            chart.getStyler().setHeatMapValueDecimalPattern("0.###");
            chart.setCustomXAxisTickLabelsFormatter(x -> Math.abs(x - Math.rint(x)) < 1e-9 && ((int) Math.rint(x)) % 4 == 0
                    ? Long.toString(Math.round(x)) : "");
            chart.addSeries("channel invariance (0 = invariant)", columns, rows, cells);
            out.add(chart);
        }
        return out;
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
        return epochCharts(layer, metricsAt(layer));
    }

    private List<XYChart> epochCharts(String layer, List<String> metrics) {
        double[] epochs = history.stream().mapToDouble(EpochReport::epoch).distinct().sorted().toArray();
        List<XYChart> charts = new ArrayList<>();
        for (String metric : metrics) {
            Map<String, List<double[]>> series = new LinkedHashMap<>();
            for (String dataSet : dataSets) {
                List<double[]> points = new ArrayList<>();
                for (EpochReport r : history) {
                    if (r.dataSet().equals(dataSet) && r.report().has(layer, metric)) {
                        addPoint(points, r.epoch(), metric, r.report().get(layer, metric));
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
            addDataSeries(chart, metric, series);
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
                            addPoint(points, depth, metric, r.report().get(order.get(depth), metric));
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
            addDataSeries(chart, metric, series);
            charts.add(chart);
        }
        return charts;
    }

    /** The axis series of {@link ChartStyle#addAxisSeries} at the lowest plotted value. */
    private static void addAxisSeries(XYChart chart, double[] xs, Map<String, List<double[]>> series) {
        double y = series.values().stream().flatMap(List::stream).mapToDouble(p -> p[1]).min().orElse(0);
        ChartStyle.addAxisSeries(chart, xs, y);
    }

    /**
     * One styled series per data set (colour, marker, dash by position, so identical series stay
     * visible). For a lower-is-better metric, a series whose every value is exact
     * ({@link ValueFormat#isExact}) is drawn on the 0 floor and labelled so in the legend; a
     * chart with only such series gets a fixed [0, 1] axis.
     */
    static void addDataSeries(XYChart chart, String metric, Map<String, List<double[]>> series) {
        boolean allExact = series.values().stream().anyMatch(p -> !p.isEmpty())
                && series.values().stream().flatMap(List::stream).allMatch(p -> p[4] == 1);
        int index = 0;
        for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
            List<double[]> points = s.getValue();
            int colour = index++;
            if (points.isEmpty()) {
                continue;
            }
            boolean exact = points.stream().allMatch(p -> p[4] == 1);
            // When every series is exact the title says so once; otherwise each exact series does.
            addSeries(chart, exact && !allExact ? s.getKey() + " — " + ValueFormat.EXACT : s.getKey(), points, colour,
                    exact);
        }
        if (allExact) {
            ChartStyle.markAllExact(chart);
        }
        ChartStyle.fitYTicks(chart);
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

    /** A point {x, mean, ciLow, ciHigh, exact ? 1 : 0}; exact values are plotted at 0. */
    private static void addPoint(List<double[]> points, double x, String metric, MetricValue v) {
        if (v.isApplicable() && Double.isFinite(v.mean())) {
            if (ValueFormat.isExact(metric, v)) {
                points.add(new double[] {x, 0, 0, 0, 1});
            } else {
                points.add(new double[] {x, v.mean(), v.ciLow(), v.ciHigh(), 0});
            }
        }
    }

    private static void addSeries(XYChart chart, String name, List<double[]> points, int index, boolean exact) {
        double[] x = column(points, 0);
        XYSeries mean = chart.addSeries(name, x, column(points, 1));
        ChartStyle.style(mean, index);
        double[] low = column(points, 2);
        double[] high = column(points, 3);
        if (!exact && allFinite(low) && allFinite(high)) {
            ChartStyle.addBound(chart, name + " 95% CI low", x, low, index);
            ChartStyle.addBound(chart, name + " 95% CI high", x, high, index);
        }
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
        return ChartStyle.chart(title, xTitle, yTitle, WIDTH, HEIGHT);
    }

    /**
     * Renders {@code charts} as one PNG, in a grid of at most three columns (unused cells stay
     * white). The grid is composed here because XChart's own grid fails when the last row is not
     * full.
     */
    public static byte[] png(List<? extends org.knowm.xchart.internal.chartpart.Chart<?, ?>> charts) throws IOException {
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

    /**
     * Every PNG of the run: file name → bytes ({@code layer-NN-<name>.png}, {@code layer-profile.png},
     * {@code training.png}: loss and accuracy, {@code per-class.png}).
     */
    public Map<String, byte[]> renderAll() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<XYChart> profile = layerProfileCharts();
        if (!profile.isEmpty()) {
            files.put(ChartsReporter.PROFILE_FILE, png(profile));
        }
        List<XYChart> training = trainingCharts();
        if (!training.isEmpty()) {
            files.put("training.png", png(training));
        }
        List<org.knowm.xchart.CategoryChart> perClass = perClassCharts();
        if (!perClass.isEmpty()) {
            files.put("per-class.png", png(perClass));
        }
        List<org.knowm.xchart.HeatMapChart> heatmaps = channelHeatmaps();
        if (!heatmaps.isEmpty()) {
            files.put("channel-heatmap.png", pngColumn(heatmaps));
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

    /** Charts of any size stacked in one column, as one PNG. */
    public static byte[] pngColumn(List<? extends org.knowm.xchart.internal.chartpart.Chart<?, ?>> charts) throws IOException {
        if (charts.isEmpty()) {
            throw new IllegalArgumentException("No charts to render: got an empty list");
        }
        int width = charts.stream().mapToInt(c -> c.getWidth()).max().orElse(WIDTH);
        int height = charts.stream().mapToInt(c -> c.getHeight()).sum();
        BufferedImage column = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = column.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int y = 0;
            for (var chart : charts) {
                g.drawImage(BitmapEncoder.getBufferedImage(chart), 0, y, null);
                y += chart.getHeight();
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(column, "png", out)) {
            throw new IOException("No PNG writer available in this JVM");
        }
        return out.toByteArray();
    }

    /** {@code layer-03-conv_2.png}: the depth keeps files in network order and names unique. */
    static String fileName(int depth, String layer) {
        return String.format(Locale.ROOT, "layer-%02d-%s.png", depth, layer.replaceAll("[^A-Za-z0-9._-]", "_"));
    }
}
