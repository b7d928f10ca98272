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
 * larger = more invariant (1/mean distinct similarity at most).
 */
public final class CosineSimilarityRatio implements OrbitMetric {

    @Override
    public String describe() {
        return MetricKeys.COSINE_SIMILARITY_RATIO;
    }

    @Override
    public List<String> keys(ProbedLayer layer) {
        return List.of(MetricKeys.COSINE_SIMILARITY_RATIO);
    }

    @Override
    public Set<OrbitStatistic> statistics(ProbedLayer layer) {
        return EnumSet.of(OrbitStatistic.GRAM, OrbitStatistic.BASELINE_GRAM);
    }

    @Override
    public MetricSamples compute(OrbitActivations o) {
        int n = o.group().order();
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
        return new MetricSamples().putRatio(MetricKeys.COSINE_SIMILARITY_RATIO, values, reference);
    }
}
