package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link EvaluatorSettings#sampleElements(int)}: each example evaluated at the identity and k − 1
 * seeded random other elements; the estimators its Javadoc states.
 */
class SampleElementsTest {

    private static final int N = 160;
    private static final int K = 4;
    /** Estimated without bias (means over G of a per-element term) or as ratios whose shrinkage cancels. */
    private static final Set<String> AGREEING = Set.of(MetricKeys.EQUIVARIANCE, MetricKeys.CONSISTENCY,
            MetricKeys.ACCURACY, MetricKeys.INVARIANCE_NORMALIZED, MetricKeys.EQUIVARIANCE_NORMALIZED,
            MetricKeys.COSINE_SIMILARITY_RATIO);
    /** Spreads about a k-point centroid: biased low. */
    private static final Set<String> CENTROID_SPREADS = Set.of(MetricKeys.INVARIANCE, MetricKeys.PREDICTION_KL);

    private static MultiLayerNetwork net;

    @BeforeAll
    static void network() {
        net = TestNetworks.smallCnn(11, DataType.FLOAT);
    }

    private static InvarianceReport evaluate(PlanarGroup g, int k, int n) {
        InvarianceEvaluator.Builder b = InvarianceEvaluator.builder().inputAction(ImageActions.rotation(g)).maxExamples(n);
        if (k > 0) {
            b.sampleElements(k);
        }
        return b.build().evaluate(net, Datasets.mnist().iterator(100, 0, n));
    }

    @Test
    void sampleElementsOfTheWholeGroupIsTheFullEvaluation() {
        assertEquals(evaluate(Groups.c4(), 0, 100), evaluate(Groups.c4(), 4, 100));
    }

    /**
     * On C8 and C16 with k = 4: the unbiased and normalized values agree with the full orbit's
     * within their CIs, and the centroid spreads are lower by about the (k − 1)/k · |G|/(|G| − 1)
     * the Javadoc states (exact for the squared Euclidean distance; within 0.05 here, for the
     * cosine distance and KL). Agreement: |difference| ≤ √(hw_full² + hw_sampled²) is the 95%
     * bound for two independent estimates; about 30 values are compared, so a few may exceed
     * it by chance (the values of one run share its examples and baseline sets, so they exceed
     * together): at least 90% must be within it and every one within twice it (≈ 4 standard
     * errors), which the 15–20% bias of an unnormalized centroid spread would break. The
     * evaluation seed is fixed, so the test is deterministic.
     */
    @Test
    void sampledEstimatesAgreeWithTheWholeOrbitOnC8AndC16() {
        for (PlanarGroup g : List.of(Groups.byName("C8"), Groups.byName("C16"))) {
            InvarianceReport full = evaluate(g, 0, N);
            InvarianceReport sampled = evaluate(g, K, N);
            assertTrue(sampled.settings().get("sampleElements").startsWith(K + " of " + g.order()), sampled.settings().toString());
            double shrink = (K - 1.0) / K * g.order() / (g.order() - 1.0);
            int compared = 0;
            int agreeing = 0;
            int within = 0;
            for (String layer : full.layers()) {
                for (Map.Entry<String, MetricValue> e : full.values().get(layer).entrySet()) {
                    MetricValue f = e.getValue();
                    MetricValue s = sampled.get(layer, e.getKey());
                    String where = g.name() + " " + layer + " " + e.getKey() + ": full " + f + ", sampled " + s;
                    if (!f.isApplicable()) {
                        assertFalse(s.isApplicable(), where);
                    } else if (AGREEING.contains(e.getKey())) {
                        double bound = Math.hypot(Precision.halfWidth(f), Precision.halfWidth(s));
                        assertTrue(Math.abs(f.mean() - s.mean()) <= 2 * bound, where + ", bound " + bound);
                        within += Math.abs(f.mean() - s.mean()) <= bound ? 1 : 0;
                        agreeing++;
                        compared++;
                    } else if (CENTROID_SPREADS.contains(e.getKey())) {
                        assertEquals(shrink, s.mean() / f.mean(), 0.05, where);
                        compared++;
                    } else {
                        assertTrue(e.getKey().startsWith("accuracy["), where);
                        assertFalse(s.isApplicable(), "per-element accuracy needs every element on every example: " + where);
                    }
                }
            }
            assertTrue(compared >= 20, g.name() + ": " + compared + " values compared");
            assertTrue(within >= 0.9 * agreeing, g.name() + ": " + within + " of " + agreeing + " within the 95% bound");
        }
    }

    @Test
    void badElementCountsAndWholeOrbitMetricsAreRefusedNamingTheValue() {
        IllegalArgumentException low = assertThrows(IllegalArgumentException.class,
                () -> InvarianceEvaluator.builder().sampleElements(1));
        assertTrue(low.getMessage().contains("sampleElements") && low.getMessage().contains("got 1"), low.getMessage());

        IllegalArgumentException high = assertThrows(IllegalArgumentException.class, () -> InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.byName("C8"))).sampleElements(9).build());
        assertTrue(high.getMessage().contains("sampleElements(9)") && high.getMessage().contains("|G| = 8"), high.getMessage());

        OrbitMetric wholeOrbitsOnly = new OrbitMetric() {
            @Override
            public String describe() {
                return "myWholeOrbitMetric";
            }

            @Override
            public List<MetricKey> metricKeys(ProbedLayer layer) {
                return List.of(new MetricKey("mine", MetricKey.Direction.LOWER_IS_BETTER, MetricKey.Scope.EVERY_LAYER));
            }

            @Override
            public Set<OrbitStatistic> statistics(ProbedLayer layer) {
                return Set.of(OrbitStatistic.GRAM);
            }

            @Override
            public MetricSamples compute(OrbitActivations orbit) {
                return new MetricSamples();
            }
        };
        IllegalArgumentException custom = assertThrows(IllegalArgumentException.class, () -> InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.byName("C8"))).metrics(wholeOrbitsOnly).sampleElements(4)
                .build().evaluate(net, Datasets.mnist().iterator(10, 0, 10)));
        assertTrue(custom.getMessage().contains("myWholeOrbitMetric") && custom.getMessage().contains("sampleElements(4)"),
                custom.getMessage());
    }
}
