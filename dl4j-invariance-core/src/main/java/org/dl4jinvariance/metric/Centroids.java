package org.dl4jinvariance.metric;

/**
 * Distances of n vectors f_1..f_n to their centroid c = (1/n) Σ_h f_h, from their Gram matrix
 * K_gh = ⟨f_g, f_h⟩ alone: ⟨f_g, c⟩ = (1/n) Σ_h K_gh and ‖c‖² = (1/n²) Σ_gh K_gh.
 */
final class Centroids {

    /** K_gh of one set of n vectors. */
    @FunctionalInterface
    interface Gram {
        double get(int g, int h);
    }

    private Centroids() {
    }

    /** (1/n) Σ_g m(f_g, c). */
    static double meanDistance(Distance m, Gram k, int n) {
        double cc = 0;
        double[] gc = new double[n];
        for (int g = 0; g < n; g++) {
            for (int h = 0; h < n; h++) {
                double v = k.get(g, h);
                gc[g] += v;
                cc += v;
            }
            gc[g] /= n;
        }
        cc /= (double) n * n;
        double sum = 0;
        for (int g = 0; g < n; g++) {
            sum += m.fromInnerProducts(k.get(g, g), cc, gc[g]);
        }
        return sum / n;
    }

    /** (1/n) Σ_g cos(f_g, c), cosine similarity = 1 − cosine distance. */
    static double meanCosineSimilarity(Gram k, int n) {
        return 1 - meanDistance(Distance.COSINE, k, n);
    }

    /** (1/n) Σ_g m(p_g, p̄) for probability vectors p_g and p̄ = (1/n) Σ_h p_h. */
    static double meanDistance(Distance m, double[][] p) {
        int n = p.length;
        double[] mean = new double[p[0].length];
        for (double[] v : p) {
            for (int k = 0; k < v.length; k++) {
                mean[k] += v[k] / n;
            }
        }
        double sum = 0;
        for (double[] v : p) {
            sum += m.between(v, mean);
        }
        return sum / n;
    }
}
