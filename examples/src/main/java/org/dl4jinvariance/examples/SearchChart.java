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

    /** PNG bytes: x = the score's metric (lower = more invariant), y = accuracy; points labelled by candidate index. */
    static byte[] accuracyVsInvariance(SearchResult result, String metricTitle) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(560)
                .title("Search candidates: accuracy vs invariance (upper left is better)")
                .xAxisTitle(metricTitle).yAxisTitle("accuracy on held-out MNIST").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
                .setLegendPosition(Styler.LegendPosition.InsideNE).setMarkerSize(11);
        Map<String, List<CandidateResult>> byGroup = new LinkedHashMap<>();
        for (CandidateResult c : result.ranked()) {
            ScoreBreakdown b = c.breakdown();
            if (c.completed() && b != null && Double.isFinite(b.metricValue()) && Double.isFinite(b.accuracy())) {
                byGroup.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c);
            }
        }
        for (Map.Entry<String, List<CandidateResult>> e : byGroup.entrySet()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (CandidateResult c : e.getValue()) {
                xs.add(c.breakdown().metricValue());
                ys.add(c.breakdown().accuracy());
                chart.addAnnotation(new AnnotationText("  " + c.index(), c.breakdown().metricValue(), c.breakdown().accuracy(),
                        false));
            }
            chart.addSeries(e.getKey(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
        }
        if (byGroup.isEmpty()) {
            chart.addSeries("no completed candidate", new double[] {0}, new double[] {0});
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
