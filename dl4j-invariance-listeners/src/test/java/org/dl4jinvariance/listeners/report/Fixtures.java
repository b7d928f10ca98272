package org.dl4jinvariance.listeners.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricValue;

/** Synthetic reports with known shapes, for reporter tests that need no network. */
final class Fixtures {

    static final List<String> LAYERS = List.of("conv1", "pool1", "conv2", "dense", "output");
    static final List<String> METRICS = List.of("invariance", "invariance.normalized", "equivariance");

    private Fixtures() {
    }

    /**
     * A report whose invariance falls with epoch and rises with depth; equivariance is "n/a" at
     * the dense and output layers, as it is where no field type is known.
     */
    static InvarianceReport report(int epoch, String dataSet, long seed) {
        Random random = new Random(seed + 31L * epoch + dataSet.hashCode());
        Map<String, Map<String, MetricValue>> values = new LinkedHashMap<>();
        for (int depth = 0; depth < LAYERS.size(); depth++) {
            Map<String, MetricValue> m = new LinkedHashMap<>();
            double level = (0.1 + 0.15 * depth) / epoch * (dataSet.startsWith("ood") ? 1.6 : 1.0);
            for (String metric : METRICS) {
                if (metric.equals("equivariance") && depth >= 3) {
                    m.put(metric, MetricValue.notApplicable("no field type known for layer " + LAYERS.get(depth)));
                    continue;
                }
                double[] xs = new double[40];
                int[] classes = new int[40];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = Math.max(0, level + 0.05 * random.nextGaussian());
                    classes[i] = i % 10;
                }
                m.put(metric, MetricValue.of(xs, classes, 7));
            }
            values.put(LAYERS.get(depth), m);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("group", "C4");
        settings.put("distance", "COSINE");
        return new InvarianceReport(values, settings);
    }

    static RunSettings settings(String runId) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("group", "C4");
        values.put("inputAction", "rotation(C4)");
        values.put("maxExamples", "1000");
        values.put("note", "a, \"quoted\" <value>");
        return new RunSettings(runId, List.of("heldOut", "oodFashion"), values);
    }

    /** Drives a reporter through {@code epochs} epochs of both data sets, as the listener does. */
    static void drive(Reporter reporter, RunSettings settings, int fromEpoch, int epochs) throws Exception {
        reporter.start(settings);
        for (int e = fromEpoch; e < fromEpoch + epochs; e++) {
            for (String ds : settings.dataSets()) {
                reporter.record(EpochReport.of(e, ds, report(e, ds, 1), 12));
            }
            reporter.epochEnd(e);
        }
    }

    /** Rows one epoch produces with {@link #report}: data sets × layers × metrics. */
    static int rowsPerEpoch(RunSettings settings) {
        return settings.dataSets().size() * LAYERS.size() * METRICS.size();
    }
}
