package org.dl4jinvariance.metric;

/**
 * How far apart two per-example feature vectors a and b (flattened) are.
 * <ul>
 *   <li>{@link #COSINE}: m(a, b) = 1 − ⟨a, b⟩ / (‖a‖ ‖b‖); 0 when both are zero, 1 when only one is.</li>
 *   <li>{@link #L2}: m(a, b) = ‖a − b‖ = √(‖a‖² + ‖b‖² − 2⟨a, b⟩).</li>
 *   <li>{@link #KL}: m(p, q) = Σ_k p_k log(p_k / q_k) for class-probability vectors (output layer only).</li>
 * </ul>
 * COSINE and L2 need only inner products, so the metric engine computes them from each
 * example's Gram matrix; KL needs the vectors themselves.
 */
public enum Distance {

    /** 1 − cosine similarity: scale-free, in [0, 2]. */
    COSINE {
        @Override
        public double fromInnerProducts(double aa, double bb, double ab) {
            if (aa == 0 && bb == 0) {
                return 0;
            }
            if (aa == 0 || bb == 0) {
                return 1;
            }
            double cos = ab / Math.sqrt(aa * bb);
            return 1 - Math.max(-1, Math.min(1, cos));
        }
    },

    /** Euclidean distance ‖a − b‖. */
    L2 {
        @Override
        public double fromInnerProducts(double aa, double bb, double ab) {
            double sq = aa + bb - 2 * ab;
            return Double.isNaN(sq) ? Double.NaN : Math.sqrt(Math.max(0, sq));
        }
    },

    /** Kullback–Leibler divergence KL(p ‖ q) of two probability vectors. */
    KL {
        @Override
        public boolean usesInnerProducts() {
            return false;
        }

        @Override
        public double fromInnerProducts(double aa, double bb, double ab) {
            throw new UnsupportedOperationException("KL needs the probability vectors, not inner products");
        }

        @Override
        public double between(double[] p, double[] q) {
            double kl = 0;
            for (int k = 0; k < p.length; k++) {
                if (Double.isNaN(p[k]) || Double.isNaN(q[k])) {
                    return Double.NaN;
                }
                if (p[k] > 0) {
                    kl += p[k] * Math.log(p[k] / q[k]);
                }
            }
            return Math.max(0, kl);
        }
    };

    /** True when the distance follows from ‖a‖², ‖b‖² and ⟨a, b⟩ alone. */
    public boolean usesInnerProducts() {
        return true;
    }

    /** m(a, b) from aa = ‖a‖², bb = ‖b‖², ab = ⟨a, b⟩. */
    public abstract double fromInnerProducts(double aa, double bb, double ab);

    /** m(a, b) of two vectors of equal length. */
    public double between(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("Vectors of length " + a.length + " and " + b.length + " cannot be compared");
        }
        double aa = 0;
        double bb = 0;
        double ab = 0;
        for (int i = 0; i < a.length; i++) {
            aa += a[i] * a[i];
            bb += b[i] * b[i];
            ab += a[i] * b[i];
        }
        return fromInnerProducts(aa, bb, ab);
    }
}
