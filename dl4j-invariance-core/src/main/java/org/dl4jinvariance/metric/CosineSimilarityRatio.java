package org.dl4jinvariance.metric;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The paper's Eq. 6 form of normalized invariance:
 * <pre>
 *   cosineSimilarityRatio = mean_x (1/|G|) Σ_g cos(f(g·x), c(x))  /  mean_S (1/|G|) Σ_{x'∈S} cos(f(x'), c(S))
 * </pre>
 * the mean cosine similarity of orbit members to their centroid divided by that of sets S of
 * |G| distinct untransformed inputs to theirs. 1 = the orbit is as spread as unrelated inputs;
 * larger = more invariant (1/mean distinct similarity at most), so {@link #KEY} is
 * higher-is-better, unlike the deviations.
 */
public final class CosineSimilarityRatio implements OrbitMetric {

    /** {@link MetricKeys#COSINE_SIMILARITY_RATIO}: higher is better (more invariant), every layer. */
    public static final MetricKey KEY = new MetricKey(MetricKeys.COSINE_SIMILARITY_RATIO,
            MetricKey.Direction.HIGHER_IS_BETTER, MetricKey.Scope.EVERY_LAYER);
    /** What {@link #KEY} means, for report glossaries. */
    public static final MetricGlossary GLOSSARY = new MetricGlossary(KEY,
            "mean cos(f(g·x), c(x)) over orbits / mean cos(f(x'), c(S)) over sets S of |G| distinct inputs "
                    + "(Kvinge et al., Eq. 6)", "about 1 = orbits as spread as unrelated inputs; larger = more invariant");

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
        return EnumSet.of(OrbitStatistic.GRAM, OrbitStatistic.BASELINE_GRAM);
    }

    /** True: the plug-in value on the k sampled members and on sets of k distinct inputs. */
    @Override
    public boolean supportsSampledElements() {
        return true;
    }

    @Override
    public MetricSamples compute(OrbitActivations o) {
        int n = o.members();
        double[] values = new double[o.examples()];
        for (int b = 0; b < values.length; b++) {
            final int x = b;
            values[b] = Centroids.meanCosineSimilarity((g, h) -> o.inner(x, g, h), n);
        }
        double[] reference = new double[o.sets()];
        for (int s = 0; s < reference.length; s++) {
            final int set = s;
            reference[s] = Centroids.meanCosineSimilarity((j, k) -> o.baselineInner(set, j, k), n);
        }
        return new MetricSamples().putRatio(KEY, values, reference);
    }
}
