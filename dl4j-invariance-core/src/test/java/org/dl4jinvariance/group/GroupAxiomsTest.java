package org.dl4jinvariance.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GroupAxiomsTest {

    static List<PlanarGroup> groups() {
        List<PlanarGroup> all = new ArrayList<>();
        for (int n = 1; n <= 8; n++) {
            all.add(CyclicGroup.of(n));
            all.add(DihedralGroup.of(n));
        }
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groups")
    void satisfiesTheGroupAxiomsExhaustively(PlanarGroup g) {
        int n = g.order();
        int e = g.identity();
        for (int a = 0; a < n; a++) {
            assertEquals(a, g.compose(e, a), "left identity");
            assertEquals(a, g.compose(a, e), "right identity");
            assertEquals(e, g.compose(a, g.inverse(a)), "right inverse");
            assertEquals(e, g.compose(g.inverse(a), a), "left inverse");
            Set<Integer> row = new HashSet<>();
            for (int b = 0; b < n; b++) {
                int ab = g.compose(a, b);
                assertTrue(ab >= 0 && ab < n, "closure");
                row.add(ab);
                for (int c = 0; c < n; c++) {
                    assertEquals(g.compose(ab, c), g.compose(a, g.compose(b, c)), "associativity");
                }
            }
            assertEquals(n, row.size(), "each row of the Cayley table is a permutation");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groups")
    void ordersAndAnglesMatchTheDefinition(PlanarGroup g) {
        boolean dihedral = g instanceof DihedralGroup;
        assertEquals(dihedral ? 2 * g.rotations() : g.rotations(), g.order());
        for (int a = 0; a < g.order(); a++) {
            double expected = 360.0 * (a % g.rotations()) / g.rotations();
            assertEquals(expected, g.rotationDegrees(a), 1e-12);
            assertEquals(dihedral && a >= g.rotations(), g.isReflection(a));
        }
    }

    @Test
    void dihedralConventionMirrorReversesRotation() {
        DihedralGroup d4 = Groups.d4();
        int rot90 = d4.element(1, false);
        int flip = d4.element(0, true);
        // flip∘rot90∘flip = rot270
        assertEquals(d4.element(3, false), d4.compose(flip, d4.compose(rot90, flip)));
        // rot90∘flip is "mirror, then rotate 90°", element 1 + 4
        assertEquals(5, d4.compose(rot90, flip));
        assertEquals("rot90∘flip", d4.elementName(5));
        assertFalse(d4.compose(rot90, flip) == d4.compose(flip, rot90), "D4 is not abelian");
    }

    @Test
    void namedGroupsHaveTheirOrdersParseByNameAndRejectBadNamesAndElements() {
        assertEquals(4, Groups.c4().order());
        assertEquals(8, Groups.d4().order());
        assertEquals(2, Groups.flipH().order());
        assertEquals(Groups.d4(), Groups.byName("d4"));
        assertEquals(CyclicGroup.of(8), Groups.byName("C8"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Groups.byName("Q8"));
        assertTrue(e.getMessage().contains("Q8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CyclicGroup.of(0));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Groups.c4().compose(4, 0));
        assertTrue(bad.getMessage().contains("4"), bad.getMessage());
    }
}
