package org.dl4jinvariance.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.field.EquivariantLayer;
import org.dl4jinvariance.field.FieldInference;
import org.dl4jinvariance.probe.ModelProbe;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.PlanarGroup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Equivariance checks for users' own tests: for every element g of the group and every layer i
 * whose field type ρ_i is known, the error
 * <pre>
 *   e_i(g) = max | f_i(g·x) − ρ_i(g) f_i(x) |
 * </pre>
 * (inference mode, max over the batch and all features; NaN anywhere makes the error NaN, which
 * fails every tolerance). ρ_i is {@link FieldInference}'s — the rule the metrics use, so the
 * assert and {@code InvarianceEvaluator} cannot disagree on what a layer should carry. The
 * assert checks what the architecture <em>declares</em>: every layer whose field comes from an
 * {@link EquivariantLayer} (directly, or carried through channel-wise layers, global pooling,
 * and dense layers after a trivial field). Plain feature maps, whose field the metrics take
 * from the input action, are measured by the metrics, not asserted. The network output is
 * always checked: against its declared field, or else for invariance (rank 2) or spatial
 * equivariance (rank 4). A failure names the worst group element and layer.
 */
public final class EquivarianceAssert {

    private static final int PROBE_BATCH = 4;
    private static final long PROBE_SEED = 12345;

    private EquivarianceAssert() {
    }

    /** One checked layer: its largest error over the group and where it occurred. */
    public record LayerError(String layer, String layerType, FieldType field, boolean assumed, double maxError,
            int worstElement) {
    }

    /** Errors of every checked layer, in forward order. */
    public record Report(PlanarGroup group, List<LayerError> layers) {

        /** The checked layer with the largest error. */
        public LayerError worst() {
            LayerError worst = layers.get(0);
            for (LayerError l : layers) {
                if (l.maxError > worst.maxError || Double.isNaN(l.maxError)) {
                    worst = l;
                }
            }
            return worst;
        }

        /** The first layer (forward order) whose error exceeds the tolerance, or null. */
        public LayerError firstAbove(double tolerance) {
            for (LayerError l : layers) {
                if (!(l.maxError <= tolerance)) {
                    return l;
                }
            }
            return null;
        }

        /** One line per checked layer. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            for (LayerError l : layers) {
                sb.append(String.format(Locale.ROOT, "  %-24s %-26s %-22s max error %.3g (at %s)%n", l.layer,
                        l.layerType, l.field.describe() + (l.assumed ? " (assumed)" : ""), l.maxError,
                        group.elementName(l.worstElement)));
            }
            return sb.toString();
        }
    }

    /**
     * Asserts equivariance on a seeded batch of random inputs shaped like the network's input
     * (taken from the first layer's recorded input type or input preprocessor).
     *
     * @throws AssertionError            naming the worst group element and layer
     * @throws IllegalArgumentException  when the input shape cannot be inferred (pass an input)
     */
    public static void assertEquivariant(Model net, PlanarGroup group, GroupAction action, double tolerance) {
        assertEquivariant(net, group, action, probeInput(net), tolerance);
    }

    /**
     * Asserts that every checked layer satisfies e_i(g) ≤ tolerance for every g, on the given batch.
     *
     * @throws AssertionError naming the worst group element and layer, with the per-layer table
     */
    public static void assertEquivariant(Model net, PlanarGroup group, GroupAction action, INDArray input,
            double tolerance) {
        Report report = measure(net, group, action, input);
        LayerError first = report.firstAbove(tolerance);
        if (first == null) {
            return;
        }
        LayerError worst = report.worst();
        throw new AssertionError(String.format(Locale.ROOT,
                "Network is not %s-equivariant within %.3g: worst element %s (g=%d) at layer %s (%s, expected %s%s): "
                        + "max |f(g·x) − ρ(g)f(x)| = %.4g; first layer over the tolerance: %s (%.4g at %s).%n%s",
                group.name(), tolerance, group.elementName(worst.worstElement), worst.worstElement, worst.layer,
                worst.layerType, worst.field.describe(), worst.assumed ? ", assumed for the output" : "",
                worst.maxError, first.layer, first.maxError, group.elementName(first.worstElement), report.table()));
    }

    /**
     * The per-layer errors of a MultiLayerNetwork or ComputationGraph on one batch. Which layers
     * are checked, and against which ρ, is {@link FieldInference}'s answer — the same the metrics
     * use — plus the network output, checked for invariance (rank 2) or spatial equivariance
     * (rank 4) when its field is unknown ("assumed").
     */
    public static Report measure(Model net, PlanarGroup group, GroupAction action, INDArray input) {
        if (!action.group().equals(group)) {
            throw new IllegalArgumentException("The action acts with " + action.group().name() + " but the group is "
                    + group.name());
        }
        ModelProbe probe = ModelProbe.of(net);
        FieldInference fields = FieldInference.of(probe, action, probe.networkInputs(), Map.of());
        List<String> keys = probe.layerNames();
        Map<String, INDArray> base = probe.activations(input, keys);
        List<Probe> probes = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            FieldInference.LayerField known = fields.field(key);
            // Checked: what the architecture declares (equivariant layers and what they carry
            // through), and the output. Plain feature maps are measured by the metrics, not asserted.
            FieldType field = known.declared() ? known.field() : null;
            boolean assumed = field == null;
            if (assumed && key.equals(probe.outputLayer())) {
                field = base.get(key).rank() == 4 ? FieldType.spatial(group) : FieldType.trivial();
            }
            if (field != null) {
                org.deeplearning4j.nn.conf.layers.Layer conf = probe.layerConfig(key);
                probes.add(new Probe(key, label(net, i, key), conf == null ? "vertex" : conf.getClass().getSimpleName(),
                        field, assumed));
            }
        }
        double[] worst = new double[probes.size()];
        int[] worstElement = new int[probes.size()];
        for (int g = 0; g < group.order(); g++) {
            if (g == group.identity()) {
                continue;
            }
            Map<String, INDArray> moved = probe.activations(action.apply(g, input), keys);
            for (int i = 0; i < probes.size(); i++) {
                Probe p = probes.get(i);
                INDArray expected = p.field.apply(g, base.get(p.key));
                double err = maxAbsDiff(moved.get(p.key), expected);
                if (err > worst[i] || Double.isNaN(err)) {
                    worst[i] = err;
                    worstElement[i] = g;
                }
            }
        }
        List<LayerError> layers = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            layers.add(new LayerError(p.label, p.type, p.field, p.assumed, worst[i], worstElement[i]));
        }
        return new Report(group, layers);
    }

    /** {@code 3 'classifier'} for MultiLayerNetwork layers (index and name), {@code 'name'} for graph vertices. */
    private static String label(Model net, int index, String key) {
        if (net instanceof MultiLayerNetwork mln) {
            String name = mln.getLayerWiseConfigurations().getConf(index).getLayer().getLayerName();
            return index + (name == null || key.equals(String.valueOf(index)) ? "" : " '" + name + "'");
        }
        return "'" + key + "'";
    }

    /** max |a − b| over every entry, NaN when any entry is NaN (ND4J's maxNumber skips NaN). */
    private static double maxAbsDiff(INDArray a, INDArray b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("Transformed activations have shape " + Arrays.toString(a.shape())
                    + " but ρ(g)f(x) has " + Arrays.toString(b.shape()));
        }
        double[] diff = a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).dup('c').data().asDouble();
        double max = 0;
        for (double d : diff) {
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            max = Math.max(max, Math.abs(d));
        }
        return max;
    }

    /** A layer to check: activation key, label, and the field its output should carry. */
    private record Probe(String key, String label, String type, FieldType field, boolean assumed) {
    }

    /** A seeded uniform [0, 1) batch shaped like the network's input ({@link ModelProbe#inputExampleShape()}). */
    static INDArray probeInput(Model net) {
        long[] example = ModelProbe.of(net).inputExampleShape().orElseThrow(() -> new IllegalArgumentException(
                "Cannot infer the input shape of this " + net.getClass().getSimpleName()
                        + " (first layer has no recorded input size); pass an input batch to "
                        + "assertEquivariant(net, group, action, input, tolerance)"));
        long[] shape = new long[example.length + 1];
        shape[0] = PROBE_BATCH;
        System.arraycopy(example, 0, shape, 1, example.length);
        Random random = new Random(PROBE_SEED);
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] values = new double[(int) n];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble();
        }
        return Nd4j.createFromArray(values).reshape('c', shape).castTo(net.params().dataType());
    }
}
