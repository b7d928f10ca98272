package org.dl4jinvariance.metric;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How invariant each channel of a feature-map layer is, for a layer × channel heatmap (as the
 * tmeasures library draws): for channel c with map f_c,
 * <pre>
 *   channelInvariance_c(x) = (1/|G|) Σ_g cos-distance(f_c(g·x), c_c(x)),   c_c(x) = (1/|G|) Σ_h f_c(h·x)
 * </pre>
 * the {@link InvarianceDeviation} formula on one channel's map. Reported under {@link #KEY}: the
 * mean over channels and examples, with each channel's mean in {@link MetricValue#perChannel()}.
 * Only at layers whose output has channels with a map ([C, H, W] or [C, T]); dense layers get
 * n/a. Off by default (add it to the metrics): it reads the activations the one forward pass
 * already computed, one element-wise product per pair of group elements, no extra pass.
 */
public final class ChannelInvariance implements OrbitMetric {

    /** {@code invariance.channels}: lower is better (0 = every channel invariant), every layer. */
    public static final MetricKey KEY = new MetricKey("invariance.channels", MetricKey.Direction.LOWER_IS_BETTER,
            MetricKey.Scope.EVERY_LAYER);
    /** What {@link #KEY} means, for report glossaries. */
    public static final MetricGlossary GLOSSARY = new MetricGlossary(KEY,
            "per channel c: mean over x and g of cos-distance(f_c(g·x), c_c(x)), c_c(x) the orbit centroid of "
                    + "channel c's map; the value is the mean over channels, the heatmap shows each channel",
            "[0, 2]; 0 = the channel's map does not change within an orbit");

    @Override
    public String describe() {
        return KEY.name();
    }

    @Override
    public List<MetricKey> metricKeys(ProbedLayer layer) {
        return List.of(KEY);
    }

    @Override
    public Set<OrbitStatistic> statistics(ProbedLayer layer) {
        return EnumSet.of(OrbitStatistic.CHANNEL_GRAM);
    }

    @Override
    public MetricSamples compute(OrbitActivations o) {
        int channels = o.channels();
        if (channels == 0) {
            long[] shape = o.exampleShape();
            return new MetricSamples().notApplicable(KEY, "per-channel invariance needs feature maps [C, H, W] or "
                    + "[C, T]; layer '" + o.layer().name() + "' gives " + java.util.Arrays.toString(shape) + " per example");
        }
        int n = o.group().order();
        int examples = o.examples();
        double[][] perChannel = new double[channels][examples];
        double[] mean = new double[examples];
        for (int b = 0; b < examples; b++) {
            final int x = b;
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                final int ch = c;
                double v = Centroids.meanDistance(Distance.COSINE, (g, h) -> o.channelInner(x, ch, g, h), n);
                perChannel[c][b] = v;
                sum += v;
            }
            mean[b] = sum / channels;
        }
        return new MetricSamples().put(KEY, mean).putPerChannel(KEY, perChannel);
    }
}
