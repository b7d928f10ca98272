package org.dl4jinvariance.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricValue;
import org.dl4jinvariance.metric.ReductionPath;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Checks that the two reduction paths ({@link ReductionPath#JAVA}, {@link ReductionPath#ND4J})
 * give the same report: every metric at every layer, mean, CI bounds and per-class means within
 * {@link #TOL}, the same n/a reasons, NaN where the other path has NaN.
 */
public final class ReductionPaths {

    /** The largest difference allowed between the two paths' figures. */
    public static final double TOL = 1e-6;

    private ReductionPaths() {
    }

    /**
     * Evaluates {@code model} on the Java path and on the ND4J path and checks every value of the
     * two reports; returns the largest absolute difference seen.
     */
    public static double assertSameFigures(InvarianceEvaluator.Builder config, Model model, DataSetIterator data) {
        InvarianceReport java = config.reduction(ReductionPath.JAVA).build().evaluate(model, data);
        InvarianceReport nd4j = config.reduction(ReductionPath.ND4J).build().evaluate(model, data);
        assertEquals(java.layers(), nd4j.layers());
        double largest = 0;
        int compared = 0;
        for (String layer : java.layers()) {
            Map<String, MetricValue> a = java.values().get(layer);
            Map<String, MetricValue> b = nd4j.values().get(layer);
            assertEquals(a.keySet(), b.keySet(), layer);
            for (String metric : a.keySet()) {
                MetricValue x = a.get(metric);
                MetricValue y = b.get(metric);
                String where = layer + " " + metric + ": JAVA " + x + ", ND4J " + y;
                assertEquals(x.notApplicable(), y.notApplicable(), where);
                if (!x.isApplicable()) {
                    continue;
                }
                assertEquals(x.n(), y.n(), where);
                for (double[] pair : List.of(new double[] {x.mean(), y.mean()}, new double[] {x.ciLow(), y.ciLow()},
                        new double[] {x.ciHigh(), y.ciHigh()})) {
                    largest = Math.max(largest, close(pair[0], pair[1], where));
                }
                assertEquals(x.perClass().keySet(), y.perClass().keySet(), where);
                for (Integer c : x.perClass().keySet()) {
                    largest = Math.max(largest, close(x.perClass().get(c), y.perClass().get(c), where + " class " + c));
                }
                compared++;
            }
        }
        assertTrue(compared >= java.layers().size(), "compared " + compared + " values: " + java);
        return largest;
    }

    /** |a − b| ≤ TOL, NaN only where the other is NaN; returns |a − b| (0 for two NaN). */
    private static double close(double a, double b, String where) {
        assertEquals(Double.isNaN(a), Double.isNaN(b), where);
        if (Double.isNaN(a) || a == b) {
            return 0;
        }
        assertFalse(Math.abs(a - b) > TOL, where);
        return Math.abs(a - b);
    }
}
