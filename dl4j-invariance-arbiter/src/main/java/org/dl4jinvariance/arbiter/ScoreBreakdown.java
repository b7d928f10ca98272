package org.dl4jinvariance.arbiter;

import org.dl4jinvariance.metric.InvarianceReport;

/**
 * The figures behind one {@link InvarianceScoreFunction} score. Components that were not measured
 * (weight 0 and no bound) are NaN.
 *
 * @param score    the score handed to Arbiter
 * @param feasible false when the metric broke a bound set with {@code requireMetricAtMost/AtLeast}
 * @param metric   the metric key
 * @param layer    the report key of the layer it was read at (null when not measured)
 * @param metricValue the metric's mean over the examples
 * @param accuracy top-1 accuracy on the search's test data
 * @param loss     average loss on the search's test data
 * @param report   the full report of the evaluation (null when not measured)
 */
public record ScoreBreakdown(double score, boolean feasible, String metric, String layer, double metricValue,
                             double accuracy, double loss, InvarianceReport report) {
}
