package org.dl4jinvariance.metric.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Nd4jReduction} and {@link JavaReduction} give the same per-set Gram matrices and
 * equivariance products — to a relative 1e-12, since both widen every value to double before
 * forming products — in both memory layouts DL4J produces, for float and double, with ρ(g)
 * moving channels and pixels; NaN lands in the same places.
 */
class OrbitReductionTest {

    private static final double RELATIVE = 1e-12;

    @Test
    void bothPathsAgreeOnConvolutionLayoutRegularD4Floats() {
        PlanarGroup d4 = Groups.d4();
        int b = 11;
        // [C, N, H, W] memory, as DL4J's convolution outputs; 3 extra rows stand for perturbation rows
        INDArray act = Nd4j.rand(DataType.FLOAT, 16, d4.order() * b + 3, 5, 5).subi(0.5).permute(1, 0, 2, 3);
        double err = compare(act, b, d4.order(), d4.identity(), new FieldTransform(FieldType.regular(d4, 2), 8,
                new long[] {16, 5, 5}));
        System.out.printf("[C, N, H, W] floats, regular D4: largest relative difference %.3g%n", err);
    }

    /**
     * C4 on floats takes the Java path's fused four-member pass (Gram and equivariance products
     * in one pass) where ρ(g) keeps channels in place — a spatial field, and a regular field's
     * channels that stay — and the separate passes where it moves them.
     */
    @Test
    void bothPathsAgreeOnC4FloatsThroughTheFusedPass() {
        PlanarGroup c4 = Groups.c4();
        int b = 13;
        INDArray act = Nd4j.rand(DataType.FLOAT, 8, c4.order() * b, 6, 6).subi(0.5).permute(1, 0, 2, 3);
        compare(act, b, c4.order(), c4.identity(), new FieldTransform(FieldType.spatial(c4), 4, new long[] {8, 6, 6}));
        compare(act, b, c4.order(), c4.identity(), new FieldTransform(FieldType.regular(c4, 2), 4, new long[] {8, 6, 6}));
        INDArray rows = Nd4j.rand(DataType.FLOAT, c4.order() * b, 2, 5, 5).subi(0.5);
        compare(rows, b, c4.order(), c4.identity(), new FieldTransform(FieldType.spatial(c4), 4, new long[] {2, 5, 5}));
    }

    @Test
    void bothPathsAgreeOnCOrderDoublesWithAChannelOnlyField() {
        PlanarGroup c4 = Groups.c4();
        int b = 9;
        INDArray act = Nd4j.rand(DataType.DOUBLE, c4.order() * b, 12).subi(0.5);
        compare(act, b, c4.order(), c4.identity(), new FieldTransform(FieldType.regular(c4, 3), 4, new long[] {12}));
        compare(act, b, c4.order(), c4.identity(), null);
    }

    @Test
    void nanInOneExampleGivesNanInTheSameSetsOnBothPaths() {
        PlanarGroup c4 = Groups.c4();
        int b = 8;
        INDArray act = Nd4j.rand(DataType.FLOAT, c4.order() * b, 3, 4, 4);
        act.putScalar(new long[] {2 * b + 5, 1, 2, 3}, Float.NaN);    // f(g·x_5) for g = 2
        FieldTransform rho = new FieldTransform(FieldType.spatial(c4), 4, new long[] {3, 4, 4});
        boolean[] permute = {true, true, true, true};
        OrbitReduction.Products java = new JavaReduction().start(act, b, 4, 0, rho, permute).finish();
        OrbitReduction.Products nd4j = new Nd4jReduction().start(act, b, 4, 0, rho, permute).finish();
        for (int k = 0; k < b; k++) {
            boolean nan = k == 5;
            assertEquals(nan, Double.isNaN(nd4j.orbit().gram()[(k * 4 + 2) * 4 + 2]), "orbit " + k);
            assertEquals(nan, Double.isNaN(java.orbit().gram()[(k * 4 + 2) * 4 + 2]), "orbit " + k);
            assertEquals(nan, Double.isNaN(nd4j.orbit().cross()[k * 4 + 2]), "orbit " + k);
            assertEquals(Double.isNaN(java.orbit().cross()[k * 4 + 2]), Double.isNaN(nd4j.orbit().cross()[k * 4 + 2]));
        }
        // the NaN row is no identity row: the baseline sets (rows 0..b-1 here) stay finite on both
        for (double v : nd4j.baseline().gram()) {
            assertFalse(Double.isNaN(v));
        }
        compare(act, b, 4, 0, rho);
    }

    /** Largest difference of every product relative to its array's largest entry, after asserting it is at most {@link #RELATIVE}. */
    private static double compare(INDArray act, int examples, int order, int identity, FieldTransform rho) {
        boolean[] permute = null;
        if (rho != null) {
            permute = new boolean[order];
            for (int g = 0; g < order; g++) {
                permute[g] = rho.isPermutation(g);
                assertTrue(permute[g], "this test's fields permute entries");
            }
        }
        OrbitReduction.Products java = new JavaReduction().start(act, examples, order, identity, rho, permute).finish();
        OrbitReduction.Products nd4j = new Nd4jReduction().start(act, examples, order, identity, rho, permute).finish();
        double worst = 0;
        worst = Math.max(worst, same(java.orbit().gram(), nd4j.orbit().gram(), "orbit Gram"));
        worst = Math.max(worst, same(java.baseline().gram(), nd4j.baseline().gram(), "baseline Gram"));
        assertEquals(examples * order * order, nd4j.orbit().gram().length);
        assertEquals(examples / order * order * order, nd4j.baseline().gram().length);
        if (rho == null) {
            assertEquals(null, nd4j.orbit().cross());
        } else {
            worst = Math.max(worst, same(java.orbit().cross(), nd4j.orbit().cross(), "orbit cross"));
            worst = Math.max(worst, same(java.baseline().cross(), nd4j.baseline().cross(), "baseline cross"));
        }
        return worst;
    }

    private static double same(double[] a, double[] b, String what) {
        assertEquals(a.length, b.length, what);
        // relative to the array's largest entry: a sum of mixed-sign products may cancel to near 0
        double scale = 1e-300;
        for (double v : a) {
            scale = Double.isNaN(v) ? scale : Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            assertEquals(Double.isNaN(a[i]), Double.isNaN(b[i]), what + " [" + i + "]");
            if (Double.isNaN(a[i])) {
                continue;
            }
            double rel = Math.abs(a[i] - b[i]) / scale;
            assertTrue(rel <= RELATIVE || a[i] == b[i], what + " [" + i + "]: " + a[i] + " vs " + b[i]);
            worst = Math.max(worst, a[i] == b[i] ? 0 : rel);
        }
        return worst;
    }
}
