package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test 1 of issue 3: a tiny linear model, 3 inputs, 2 group elements, every metric and distance
 * against values worked out by hand.
 *
 * <p>Inputs are 1×3 images x0 = e1 = (1,0,0), x1 = e2 = (0,1,0), x2 = e3 = (0,0,1); the group is
 * D1 = {id, flip}, flip mirrors left-right: flip(e1) = e3, flip(e2) = e2, flip(e3) = e1. Layer
 * "lin" is the identity map (so f(x) = x); layer "out" is softmax(ln2 · x), so e_k ↦ p with
 * p_k = 1/2 and 1/4 elsewhere. Labels are 0, 1, 2. With 3 examples and |G| = 2 there is one
 * distinct-input baseline set, a pair of distinct basis vectors; every pair gives the same
 * numbers (the inputs are cyclic shifts of each other), so the seeded shuffle does not matter.
 */
class HandComputedValuesTest {

    private static final double TOL = 1e-9;
    private static final double SQRT_HALF = Math.sqrt(0.5);

    @Test
    void everyMetricAndDistanceMatchesTheArithmetic() {
        MultiLayerNetwork net = TestNetworks.identityThenSoftmaxOfLn2();
        String flip = MetricKeys.accuracyOf(Groups.flipH().elementName(1));

        // COSINE, invariance at "lin": orbit {e1, e3}, centroid c = (½, 0, ½), cos(e1, c) = ½ / (1·√½) = √½,
        //   so x0 and x2 give 1 − √½ = 0.29289; x1 = e2 is fixed by the flip: 0.  Mean = 2(1 − √½)/3.
        //   Baseline: two distinct basis vectors, the same 1 − √½, so normalized per example 1, 0, 1 → 2/3.
        // COSINE, equivariance with ρ = trivial: m(f(flip·x), f(x)) = 1 − cos(e3, e1) = 1 for x0, x2 and 0 for x1,
        //   m(f(x), f(x)) = 0; mean over g: ½, 0, ½ → 1/3. Baseline: member 1 vs member 0, two basis vectors → ½.
        //   Normalized 2/3.
        // cosineSimilarityRatio: orbit similarity √½, 1, √½ (mean (1 + 2√½)/3) over distinct √½ → (2 + √2)/3.
        InvarianceReport cosine = evaluator(Distance.COSINE).evaluate(net, data());
        assertEquals(2 * (1 - SQRT_HALF) / 3, cosine.get("lin", MetricKeys.INVARIANCE).mean(), TOL);
        assertEquals(2.0 / 3, cosine.get("lin", MetricKeys.INVARIANCE_NORMALIZED).mean(), TOL);
        Map<Integer, Double> perClass = cosine.get("lin", MetricKeys.INVARIANCE).perClass();
        assertEquals(1 - SQRT_HALF, perClass.get(0), TOL);
        assertEquals(0.0, perClass.get(1), TOL);
        assertEquals(1 - SQRT_HALF, perClass.get(2), TOL);
        assertEquals(1.0 / 3, cosine.get("lin", MetricKeys.EQUIVARIANCE).mean(), TOL);
        assertEquals(2.0 / 3, cosine.get("lin", MetricKeys.EQUIVARIANCE_NORMALIZED).mean(), TOL);
        assertEquals((2 + Math.sqrt(2)) / 3, cosine.get("lin", MetricKeys.COSINE_SIMILARITY_RATIO).mean(), TOL);

        // Output probabilities: p(e1) = (½, ¼, ¼), p(e3) = (¼, ¼, ½), p(e2) = (¼, ½, ¼).
        // predictionKL(x0): p̄ = (⅜, ¼, ⅜); KL(p(e1) ‖ p̄) = ½ ln(4/3) + ¼ ln(2/3) = 0.0424750, the same for p(e3)
        //   by symmetry; x1: 0; mean = 2·0.0424750/3.
        double kl = 0.5 * Math.log(4.0 / 3) + 0.25 * Math.log(2.0 / 3);
        assertEquals(2 * kl / 3, cosine.get("out", MetricKeys.PREDICTION_KL).mean(), TOL);
        // COSINE invariance at "out": ⟨p(e1), p(e3)⟩ = 5/16, ‖p‖² = 3/8, ⟨p, c⟩ = ‖c‖² = 11/32,
        //   cos = √((11/32)/(3/8)) = √(11/12); x0, x2 give 1 − √(11/12), x1 gives 0.
        assertEquals(2 * (1 - Math.sqrt(11.0 / 12)) / 3, cosine.get("out", MetricKeys.INVARIANCE).mean(), TOL);
        // consistency: top-1 of flip(e1) is class 2 ≠ 0: x0 ½, x1 1, x2 ½ → 2/3.
        // accuracy (labels 0, 1, 2): identity always right; flip right only for x1: per example ½, 1, ½ → 2/3;
        //   accuracy[id] = 1, accuracy[flip] = 1/3.
        assertEquals(2.0 / 3, cosine.get("out", MetricKeys.CONSISTENCY).mean(), TOL);
        assertEquals(2.0 / 3, cosine.get("out", MetricKeys.ACCURACY).mean(), TOL);
        assertEquals(1.0, cosine.get("out", MetricKeys.accuracyOf("id")).mean(), TOL);
        assertEquals(1.0 / 3, cosine.get("out", flip).mean(), TOL);
        assertFalse(cosine.has("lin", MetricKeys.CONSISTENCY), "output-only metrics stay at the output layer");

        // L2 at "lin": ‖e1 − c‖ = √(¼ + ¼) = √½ for x0, x2; 0 for x1 → mean 2√½/3; baseline √½ → normalized 2/3.
        //   Equivariance: ‖e3 − e1‖ = √2, mean over g (0 + √2)/2 = √½ for x0, x2 → mean 2√½/3; baseline √½ → 2/3.
        InvarianceReport l2 = evaluator(Distance.L2).evaluate(net, data());
        assertEquals(2 * SQRT_HALF / 3, l2.get("lin", MetricKeys.INVARIANCE).mean(), TOL);
        assertEquals(2.0 / 3, l2.get("lin", MetricKeys.INVARIANCE_NORMALIZED).mean(), TOL);
        assertEquals(2 * SQRT_HALF / 3, l2.get("lin", MetricKeys.EQUIVARIANCE).mean(), TOL);
        assertEquals(2.0 / 3, l2.get("lin", MetricKeys.EQUIVARIANCE_NORMALIZED).mean(), TOL);

        // KL at "out": invariance = the prediction KL above; baseline pair (e1, e2): p̄ = (⅜, ⅜, ¼),
        //   KL(p(e1) ‖ p̄) = ½ ln(4/3) + ¼ ln(2/3) again → normalized 2/3. At "lin" KL does not apply.
        InvarianceReport klReport = evaluator(Distance.KL).evaluate(net, data());
        assertEquals(2 * kl / 3, klReport.get("out", MetricKeys.INVARIANCE).mean(), TOL);
        assertEquals(2.0 / 3, klReport.get("out", MetricKeys.INVARIANCE_NORMALIZED).mean(), TOL);
        assertFalse(klReport.get("lin", MetricKeys.INVARIANCE).isApplicable());
    }

    @Test
    void lieDerivativeOfTheIdentityLayerUnderTranslationMatchesTheArithmetic() {
        // T_t shifts content t pixels right, bilinear, zeros entering: for 0 < t < 1,
        //   T_t e1 = (1−t, t, 0), T_−t e1 = (1−t, 0, 0): difference (0, t, 0), norm t → t / 2t = ½;
        //   T_t e2 = (0, 1−t, t), T_−t e2 = (t, 1−t, 0): difference (−t, 0, t), norm √2·t → √½;
        //   T_t e3 = (0, 0, 1−t), T_−t e3 = (0, t, 1−t): norm t → ½.  Mean (1 + √½)/3.
        InvarianceReport r = InvarianceEvaluator.builder()
                .inputAction(ImageActions.reflection())
                .layers("lin")
                .metrics(LieDerivative.translation(1, 0, 0.25))
                .build()
                .evaluate(TestNetworks.identityThenSoftmaxOfLn2(), data());
        assertEquals((1 + SQRT_HALF) / 3, r.get("lin", MetricKeys.LIE_DERIVATIVE_TRANSLATION).mean(), TOL);
        assertEquals(3, r.get("lin", MetricKeys.LIE_DERIVATIVE_TRANSLATION).n());
    }

    private static InvarianceEvaluator evaluator(Distance distance) {
        return InvarianceEvaluator.builder()
                .group(Groups.flipH())
                .inputAction(ImageActions.reflection())
                .distance(distance)
                .fieldType("lin", FieldType.trivial())
                .seed(7)
                .build();
    }

    /** x0, x1, x2 as 1×3 images, labels 0, 1, 2; two per mini-batch. */
    private static ViewIterator data() {
        INDArray x = Nd4j.eye(3).castTo(DataType.DOUBLE).reshape(3, 1, 1, 3);
        return new ViewIterator(new DataSet(x, Nd4j.eye(3).castTo(DataType.DOUBLE)), 2);
    }
}
