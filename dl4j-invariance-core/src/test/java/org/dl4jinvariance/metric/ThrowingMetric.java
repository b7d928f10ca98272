package org.dl4jinvariance.metric;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A test metric reporting {@code accuracy} whose computation throws {@code failure}: to check what
 * happens before a metric is computed (it never is) or after it fails.
 */
final class ThrowingMetric implements OrbitMetric {

    private final String name;
    private final boolean needsLabels;
    private final RuntimeException failure;

    ThrowingMetric(String name, boolean needsLabels, RuntimeException failure) {
        this.name = name;
        this.needsLabels = needsLabels;
        this.failure = failure;
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public List<MetricKey> metricKeys(ProbedLayer layer) {
        return List.of(OrbitConsistency.ACCURACY_KEY);
    }

    @Override
    public Set<OrbitStatistic> statistics(ProbedLayer layer) {
        return EnumSet.of(OrbitStatistic.FEATURES);
    }

    @Override
    public boolean needsLabels() {
        return needsLabels;
    }

    @Override
    public MetricSamples compute(OrbitActivations orbit) {
        throw failure;
    }
}
