package org.dl4jinvariance.group;

/**
 * Z_2 as time reversal: element 0 is the identity, element 1 reverses the order of the time
 * steps; 1·1 = 0. Not a {@link PlanarGroup}. All instances are equal.
 */
public final class ReversalGroup implements FiniteGroup {

    static final ReversalGroup INSTANCE = new ReversalGroup();

    /** One instance per JVM, also after Java serialization. */
    private Object readResolve() {
        return INSTANCE;
    }

    private ReversalGroup() {
    }

    /** The group {id, reversed}. */
    public static ReversalGroup of() {
        return INSTANCE;
    }

    @Override
    public int order() {
        return 2;
    }

    @Override
    public int identity() {
        return 0;
    }

    @Override
    public int compose(int a, int b) {
        return checkElement(a) ^ checkElement(b);
    }

    @Override
    public int inverse(int a) {
        return checkElement(a);
    }

    @Override
    public String name() {
        return "Reversal";
    }

    @Override
    public String elementName(int g) {
        return checkElement(g) == 0 ? "id" : "reversed";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReversalGroup;
    }

    @Override
    public int hashCode() {
        return 7;
    }

    @Override
    public String toString() {
        return name();
    }
}
