package org.dl4jinvariance.listeners.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricValue;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** Charts that read right: round-off labelled exact, coinciding series visible, tick labels that differ. */
class ChartStyleTest {

    private static MetricValue around(double level, long seed) {
        double[] xs = new double[30];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = level * (1 + 0.1 * r.nextGaussian());
        }
        return MetricValue.of(xs, null, 3);
    }

    /** A history of two data sets over three epochs with the given invariance levels at layer "gap". */
    private static ReportCharts charts(double heldOut, double ood) {
        ReportCharts charts = new ReportCharts(List.of("heldOut", "ood"));
        for (int epoch = 1; epoch <= 3; epoch++) {
            charts.add(EpochReport.of(epoch, "heldOut", report(around(heldOut, epoch)), 1));
            charts.add(EpochReport.of(epoch, "ood", report(around(ood, epoch)), 1));
        }
        return charts;
    }

    private static InvarianceReport report(MetricValue v) {
        Map<String, Map<String, MetricValue>> values = new LinkedHashMap<>();
        values.put("gap", Map.of("invariance", v));
        return new InvarianceReport(values, Map.of());
    }

    private static List<XYSeries> visible(XYChart chart) {
        return chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).toList();
    }

    @Test
    void aSeriesOfRoundOffValuesIsLabelledExactAndDrawnOnTheFloor() {
        XYChart all = charts(1e-12, 3e-10).epochCharts("gap").get(0);
        assertTrue(all.getTitle().endsWith("— " + ValueFormat.EXACT), all.getTitle());
        assertEquals(1.0, all.getStyler().getYAxisMax(), "a readable fixed axis, not 1e-12 … 1e-10 blown up");
        for (XYSeries s : visible(all)) {
            for (double y : s.getYData()) {
                assertEquals(0.0, y, "round-off is drawn at 0, not as a trend");
            }
        }

        XYChart mixed = charts(1e-12, 0.3).epochCharts("gap").get(0);
        List<String> names = visible(mixed).stream().map(XYSeries::getName).toList();
        assertEquals(List.of("heldOut — " + ValueFormat.EXACT, "ood"), names);
        assertFalse(mixed.getTitle().contains(ValueFormat.EXACT));

        // Tables say it the same way; a higher-is-better value near 0 (accuracy) is not "exact".
        MetricValue tiny = MetricValue.of(new double[] {1e-12, 2e-12, 0}, null, 1);
        assertEquals(ValueFormat.EXACT, ValueFormat.cell("invariance.normalized", tiny));
        assertEquals("0 [0, 0]", ValueFormat.cell("accuracy", MetricValue.of(new double[] {0, 0}, null, 1)));
        assertFalse(ValueFormat.isExact("accuracy", tiny));
        assertNotEquals(ValueFormat.EXACT, ValueFormat.cell("invariance", around(2e-8, 1)), "above the threshold");
    }

    @Test
    void twoIdenticalSeriesAreBothVisible() throws Exception {
        ReportCharts charts = new ReportCharts(List.of("heldOut", "copy"));
        for (int epoch = 1; epoch <= 3; epoch++) {
            MetricValue v = around(0.5 / epoch, epoch);
            charts.add(EpochReport.of(epoch, "heldOut", report(v), 1));
            charts.add(EpochReport.of(epoch, "copy", report(v), 1));
        }
        XYChart chart = charts.epochCharts("gap").get(0);
        List<XYSeries> series = visible(chart);
        assertEquals(2, series.size());
        assertNotEquals(series.get(0).getMarker(), series.get(1).getMarker(), "markers differ");
        assertNotEquals(series.get(0).getLineStyle().getLineWidth(), series.get(1).getLineStyle().getLineWidth(),
                "line widths differ: the first shows around the second");
        // Rendered: both colours are on the picture, each in a visible amount of pixels.
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        int first = count(image, ChartStyle.colour(0));
        int second = count(image, ChartStyle.colour(1));
        assertTrue(first > 150 && second > 150, "pixels of the first and second series: " + first + ", " + second);
    }

    private static int count(BufferedImage image, Color colour) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color c = new Color(image.getRGB(x, y));
                if (Math.abs(c.getRed() - colour.getRed()) + Math.abs(c.getGreen() - colour.getGreen())
                        + Math.abs(c.getBlue() - colour.getBlue()) < 30) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void tickLabelsHaveTheDigitsTheRangeNeeds() {
        assertDistinct(ChartStyle.tickFormat(1.0002, 1.0003), 1.0002, 0.00002);
        assertDistinct(ChartStyle.tickFormat(9e-9, 1.3e-8), 9e-9, 1e-9);
        assertDistinct(ChartStyle.tickFormat(0, 0.8), 0, 0.2);
        assertEquals("0.2", ChartStyle.tickFormat(0, 0.8).apply(0.2));
    }

    private static void assertDistinct(Function<Double, String> format, double from, double step) {
        Set<String> labels = new HashSet<>();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String label = format.apply(from + i * step);
            labels.add(label);
            all.add(label);
        }
        assertEquals(6, labels.size(), "neighbouring ticks print alike: " + all);
    }
}
