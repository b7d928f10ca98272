package org.dl4jinvariance.metric;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The last sizing pass of an evaluator ({@link MemoryBudget}): per probed layer, the
 * activation size of one example's orbit. Those sizes follow from the model's configuration
 * and the shapes of the inputs alone, so while the same model object is measured on inputs of
 * the same shapes and types (every epoch of a listener, every round of a benchmark) the pass —
 * one small forward pass, but tens of milliseconds of ND4J overhead — is not run again. The
 * model is held weakly: a memo never keeps a network alive.
 */
final class SizingMemo {

    /** One remembered pass. */
    private record Entry(WeakReference<Model> model, List<String> pass, String inputs, Map<String, ?> sizes) {
    }

    private volatile Entry last;

    /**
     * The sizes for {@code model} on {@code inputs} (with {@code masks}) through the layers of
     * {@code pass}: the remembered ones when all of these match the last call, else
     * {@code measure}'s, which are then remembered.
     */
    @SuppressWarnings("unchecked")
    <T> Map<String, T> sizes(Model model, List<String> pass, INDArray[] inputs, INDArray[] masks,
                             Supplier<Map<String, T>> measure) {
        String key = describe(inputs) + " masks " + describe(masks);
        Entry e = last;
        if (e != null && e.model().get() == model && e.pass().equals(pass) && e.inputs().equals(key)) {
            return (Map<String, T>) e.sizes();
        }
        // kept in the pass's order: ties between layers resolve the same way on every call
        Map<String, T> sizes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(measure.get()));
        last = new Entry(new WeakReference<>(model), List.copyOf(pass), key, sizes);
        return sizes;
    }

    /** Shape and type of every array (null arrays as "null"): what the sizes depend on. */
    private static String describe(INDArray[] arrays) {
        if (arrays == null) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        for (INDArray a : arrays) {
            b.append(a == null ? "null" : a.dataType() + Arrays.toString(a.shape())).append(';');
        }
        return b.toString();
    }
}
