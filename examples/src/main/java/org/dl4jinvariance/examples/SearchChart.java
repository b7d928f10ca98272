package org.dl4jinvariance.examples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dl4jinvariance.arbiter.CandidateResult;
import org.dl4jinvariance.arbiter.ScoreBreakdown;
import org.dl4jinvariance.arbiter.SearchResult;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The search's trade-off as a scatter chart: accuracy against the invariance metric, one series per group. */
final class SearchChart {

    private SearchChart() {
    }

    /**
     * PNG bytes: x = the score's metric (lower = more invariant), y = accuracy; points labelled by
     * candidate index.
     */
    static byte[] accuracyVsInvariance(SearchResult result, String metricTitle) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(560)
                .title("Search candidates: accuracy vs invariance (upper left is better)")
                .xAxisTitle(metricTitle).yAxisTitle("accuracy on held-out MNIST").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
                .setLegendPosition(Styler.LegendPosition.OutsideE).setMarkerSize(11);
        Map<String, List<CandidateResult>> byGroup = new LinkedHashMap<>();
        for (CandidateResult c : result.ranked()) {
            ScoreBreakdown b = c.breakdown();
            if (c.completed() && b != null && Double.isFinite(b.metricValue()) && Double.isFinite(b.accuracy())) {
                byGroup.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c);
            }
        }
        // candidates at the same point (identical configurations train identically) share one label
        Map<String, String> labels = new LinkedHashMap<>();
        double maxX = 0;
        double minY = 1;
        double maxY = 0;
        for (Map.Entry<String, List<CandidateResult>> e : byGroup.entrySet()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (CandidateResult c : e.getValue()) {
                double x = c.breakdown().metricValue();
                double y = c.breakdown().accuracy();
                xs.add(x);
                ys.add(y);
                labels.merge(x + " " + y, String.valueOf(c.index()), (a, b) -> a + "," + b);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
            chart.addSeries(e.getKey(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            String[] xy = label.getKey().split(" ");
            chart.addAnnotation(new AnnotationText("    " + label.getValue(), Double.parseDouble(xy[0]),
                    Double.parseDouble(xy[1]), false));
        }
        if (byGroup.isEmpty()) {
            chart.addSeries("no completed candidate", new double[] {0}, new double[] {0});
        } else {
            // margins, so no point sits on the frame
            chart.getStyler().setXAxisMin(-0.05 * Math.max(maxX, 1e-3)).setXAxisMax(1.15 * Math.max(maxX, 1e-3))
                    .setYAxisMin(Math.max(0, minY - 0.05)).setYAxisMax(Math.min(1, maxY + 0.05));
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
