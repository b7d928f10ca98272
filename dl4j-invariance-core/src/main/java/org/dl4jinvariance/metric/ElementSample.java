package org.dl4jinvariance.metric;

import java.util.Arrays;
import java.util.Random;

/**
 * The group elements each example of one chunk is evaluated at under
 * {@link EvaluatorSettings#sampleElements(int) sampleElements(k)}: member 0 of every example is
 * the identity e, members 1..k−1 a uniform random (k−1)-subset of G \ {e}, drawn without
 * replacement, independently per example, in increasing element order.
 *
 * @param members  k, the elements per example
 * @param elements example b's member j is element {@code elements[b·k + j]}
 */
record ElementSample(int members, int[] elements) {

    /** The element of member j of example b. */
    int element(int b, int j) {
        return elements[b * members + j];
    }

    /** B examples' draws of k of the |G| = {@code order} elements from {@code random}. */
    static ElementSample draw(Random random, int order, int identity, int k, int examples) {
        int[] others = new int[order - 1];
        for (int g = 0, i = 0; g < order; g++) {
            if (g != identity) {
                others[i++] = g;
            }
        }
        int[] elements = new int[examples * k];
        int[] pool = new int[others.length];
        for (int b = 0; b < examples; b++) {
            System.arraycopy(others, 0, pool, 0, pool.length);
            // Partial Fisher–Yates: the first k − 1 entries of pool are a uniform subset.
            for (int i = 0; i < k - 1; i++) {
                int j = i + random.nextInt(pool.length - i);
                int t = pool[i];
                pool[i] = pool[j];
                pool[j] = t;
            }
            int[] chosen = Arrays.copyOf(pool, k - 1);
            Arrays.sort(chosen);
            elements[b * k] = identity;
            System.arraycopy(chosen, 0, elements, b * k + 1, k - 1);
        }
        return new ElementSample(k, elements);
    }

    /** The elements of baseline set s: those of its first example, s·k (the set's members play them). */
    int[] baselineElements(int sets) {
        int[] out = new int[sets * members];
        for (int s = 0; s < sets; s++) {
            System.arraycopy(elements, s * members * members, out, s * members, members);
        }
        return out;
    }
}
