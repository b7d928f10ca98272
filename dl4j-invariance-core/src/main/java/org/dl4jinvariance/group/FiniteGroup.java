package org.dl4jinvariance.group;

/**
 * A finite group whose elements are the integers {@code 0 .. order()-1}.
 *
 * <p>Implementations must satisfy the group axioms: {@code compose} is associative,
 * {@code identity()} is neutral, and {@code compose(a, inverse(a)) == identity()}.
 *
 * <p>Groups are values: implementations define {@code equals} and {@code hashCode} by value (the
 * same group built twice is equal), and the library compares groups only with {@code equals},
 * never by {@link #name()}, which is for display.
 */
public interface FiniteGroup extends java.io.Serializable {

    /**
     * The largest order the library builds or evaluates, 720 (= |D360|). An evaluation stacks
     * |G| transformed copies of every example into one forward pass and keeps a |G|×|G| Gram
     * matrix per example and probed layer: at 720 that is 720 rows and 4 MB of doubles per
     * example and layer; orders in the thousands cost minutes to hours per example (the Gram
     * work grows with |G|²) without measuring anything a coarser group would miss.
     */
    int MAX_ORDER = 720;

    /** |G|, the number of elements. */
    int order();

    /** The neutral element e. */
    int identity();

    /** The product a·b: first apply b, then a. */
    int compose(int a, int b);

    /** The element a⁻¹ with a·a⁻¹ = e. */
    int inverse(int a);

    /** A short name such as {@code C4} or {@code D4}. */
    String name();

    /** A readable name for one element, e.g. {@code rot90} or {@code flip∘rot180}. */
    default String elementName(int g) {
        return name() + "[" + g + "]";
    }

    /** Throws {@link IllegalArgumentException} naming {@code g} unless it is an element. */
    default int checkElement(int g) {
        if (g < 0 || g >= order()) {
            throw new IllegalArgumentException("Group element " + g + " is not in " + name()
                    + " (expected 0.." + (order() - 1) + ")");
        }
        return g;
    }
}
