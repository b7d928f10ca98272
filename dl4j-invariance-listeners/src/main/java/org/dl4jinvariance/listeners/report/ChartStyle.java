package org.dl4jinvariance.listeners.report;

import java.awt.BasicStroke;
import java.awt.Color;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The one look of every chart the project draws (per-model pages, experiment summaries,
 * comparisons): white background, legend below, tick labels with four significant digits, and
 * series that stay visible when they coincide. Series i gets colour i, marker i, dash i and a
 * line width that falls with i: two identical series show as a wide line with a narrower one of
 * another colour and dash on top, and markers of two shapes.
 *
 * <p>Round-off is not drawn as a trend: for lower-is-better metrics, values within
 * ±{@link org.dl4jinvariance.metric.MetricValue#EXACT_THRESHOLD} are plotted at 0 (the floor)
 * and the series is labelled {@value ValueFormat#EXACT} in the legend; a chart whose every value
 * is exact gets a fixed [0, 1] axis and says so in its title.
 */
public final class ChartStyle {

    /** Tableau 10: distinguishable and colour-blind friendly enough for a handful of series. */
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
    /** Largest footprint first: a later, smaller marker on top leaves the earlier one's edges visible. */
    private static final Marker[] MARKERS = {SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.CIRCLE,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS};
    private static final float[][] DASHES = {null, {9f, 4f}, {2f, 3f}, {9f, 3f, 2f, 3f}, {5f, 5f}};
    private static final float[] WIDTHS = {4.5f, 3f, 2f, 1.5f};
    private static final BasicStroke CI_STROKE = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {4f, 3f}, 0f);

    private ChartStyle() {
    }

    /** The colour of series {@code index} (cycling through ten). */
    public static Color colour(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    /** The marker of series {@code index}. */
    public static Marker marker(int index) {
        return MARKERS[Math.floorMod(index, MARKERS.length)];
    }

    /** The line stroke of series {@code index}: dash pattern and width both depend on it. */
    public static BasicStroke stroke(int index) {
        return stroke(index, index);
    }

    /** A stroke of width {@code widthIndex} (wide to narrow) and dash pattern {@code dashIndex}. */
    public static BasicStroke stroke(int widthIndex, int dashIndex) {
        float width = WIDTHS[Math.min(Math.max(widthIndex, 0), WIDTHS.length - 1)];
        float[] dash = DASHES[Math.floorMod(dashIndex, DASHES.length)];
        return dash == null ? new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f);
    }

    /** An empty chart in the house style. */
    public static XYChart chart(String title, String xTitle, String yTitle, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        Styler styler = chart.getStyler();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setMarkerSize(9);
        // Four significant digits until fitYTicks knows the data: a decimal pattern would print
        // 1e-15 … 1e-8 as 0.0 on every tick.
        chart.setCustomYAxisTickLabelsFormatter(ValueFormat::number);
        return chart;
    }

    /**
     * Tick labels with as many digits as the plotted range needs, so that neighbouring ticks
     * differ (1.0002 and 1.0003, not 1 and 1): call once every series is added.
     */
    public static void fitYTicks(XYChart chart) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (XYSeries s : chart.getSeriesMap().values()) {
            for (double y : s.getYData()) {
                if (Double.isFinite(y)) {
                    lo = Math.min(lo, y);
                    hi = Math.max(hi, y);
                }
            }
        }
        if (chart.getStyler().getYAxisMin() != null && chart.getStyler().getYAxisMax() != null) {
            lo = chart.getStyler().getYAxisMin();
            hi = chart.getStyler().getYAxisMax();
        }
        chart.setCustomYAxisTickLabelsFormatter(tickFormat(lo, hi));
    }

    /** Labels for ticks between {@code lo} and {@code hi}: plain decimals, or scientific below 1e-3. */
    static java.util.function.Function<Double, String> tickFormat(double lo, double hi) {
        double magnitude = Math.max(Math.abs(lo), Math.abs(hi));
        double step = (hi - lo) / 5;
        if (!Double.isFinite(magnitude) || magnitude == 0) {
            return ValueFormat::number;
        }
        if (!(step > 0)) {
            step = magnitude / 10;
        }
        if (magnitude < 1e-3 || magnitude >= 1e6) {
            int digits = Math.max(1, Math.min(8, (int) Math.ceil(Math.log10(magnitude / step))));
            String f = "%." + digits + "e";
            return y -> y == 0 ? "0" : String.format(java.util.Locale.ROOT, f, y);
        }
        int decimals = Math.max(0, Math.min(10, (int) Math.ceil(-Math.log10(step)) + 1));
        String f = "%." + decimals + "f";
        return y -> {
            String t = String.format(java.util.Locale.ROOT, f, y);
            return t.contains(".") ? t.replaceAll("0+$", "").replaceAll("\\.$", "") : t;
        };
    }

    /** Styles series {@code index} of a chart: colour, marker, dash and width all by index. */
    public static void style(XYSeries series, int index) {
        style(series, index, index);
    }

    /**
     * Styles a series with colour and line width by {@code colourIndex}, marker and dash by
     * {@code shapeIndex} (e.g. one colour per model, one dash per data set): two series that
     * coincide differ in colour and width, or in marker and dash, so both stay visible.
     */
    public static void style(XYSeries series, int colourIndex, int shapeIndex) {
        Color c = colour(colourIndex);
        series.setLineColor(c);
        series.setMarkerColor(c);
        series.setMarker(marker(shapeIndex));
        series.setLineStyle(stroke(colourIndex, shapeIndex));
    }

    /** A 95% CI bound: a thin dashed line in the series' colour, not in the legend. */
    public static void addBound(XYChart chart, String name, double[] x, double[] y, int colourIndex) {
        XYSeries ci = chart.addSeries(name, x, y);
        ci.setLineColor(colour(colourIndex));
        ci.setLineStyle(CI_STROKE);
        ci.setMarker(SeriesMarkers.NONE);
        ci.setShowInLegend(false);
    }

    /**
     * An invisible series at every x (all epochs or layers) so the chart spans them; added first,
     * it also makes XChart put one custom-labelled tick per x when the x values are evenly spaced.
     */
    public static void addAxisSeries(XYChart chart, double[] xs, double y) {
        double[] ys = new double[xs.length];
        java.util.Arrays.fill(ys, y);
        XYSeries axis = chart.addSeries(" axis", xs, ys);
        axis.setLineStyle(SeriesLines.NONE);
        axis.setMarker(SeriesMarkers.NONE);
        axis.setShowInLegend(false);
    }

    /** A chart whose every value is exact: a fixed [0, 1] axis and the label in the title. */
    public static void markAllExact(XYChart chart) {
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.setTitle(chart.getTitle() + " — " + ValueFormat.EXACT);
    }
}
