package org.dl4jinvariance.metric;

import org.dl4jinvariance.metric.kernel.ActivationBuffer;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.dl4jinvariance.probe.ModelProbe;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many examples go into one probe pass: the rule behind {@code maxBatchBytes}.
 *
 * <p><b>Sizing.</b> Before the first chunk, one forward pass of a single example's orbit
 * (r = |G| + 2·perturbations rows, see {@link OrbitInputs#rowsPerExample()}) through every layer
 * up to the last probed one records each layer's activation bytes per row. From them, the bytes
 * one stacked row costs at the peak of a pass are estimated as
 *
 * <pre>
 *   rowBytes = SAFETY · (2·A + W) + INPUT_COPIES · I + H
 * </pre>
 *
 * <ul>
 *   <li>A: the largest activation of one row among those layers. DL4J holds a layer's input and
 *       its output at once, in two alternating activation workspaces, hence 2·A.</li>
 *   <li>W: the largest working memory of one row: for a convolution, its im2col buffer of
 *       nIn·∏kernel·(output positions) elements (DL4J's own {@code ConvolutionLayer.getMemoryReport}
 *       formula; nOut instead of nIn for a deconvolution's col2im buffer), which is
 *       nIn·∏kernel/nOut times the layer's output and so can be several times it; 0 without
 *       convolutions.</li>
 *   <li>{@value #SAFETY}: the safety factor on the workspaces, which after learning are each
 *       sized to the largest allocation they ever held (so the three workspaces together may hold
 *       the maxima of different layers), plus ND4J's temporaries (bias and activation functions
 *       that do not work in place, batch-normalization intermediates), the float copy
 *       {@link ActivationBuffer} makes of activations it cannot view, and working memory of custom
 *       layers, which is not modelled.</li>
 *   <li>I: the network input of one row; {@value #INPUT_COPIES} copies (the chunk as read, its
 *       transformed copies, the stacked batch) live outside the workspaces.</li>
 *   <li>H: Java heap per row: per probed layer, the Gram row and equivariance products,
 *       8·(2·|G| + 4) bytes, and for layers whose metrics read raw features (KL or other
 *       non-inner-product distances, consistency) 16 bytes per activation element (two double
 *       copies).</li>
 * </ul>
 *
 * <p><b>Chunk.</b> The examples per pass are
 *
 * <pre>
 *   chunk = max(1, min(⌊maxBatch / r⌋, ⌊maxBatchBytes / (r · rowBytes)⌋, ⌊(2^31 − 1) / (r · V)⌋))
 * </pre>
 *
 * where V is the largest per-row size of a probed activation as {@link ActivationBuffer} reads it
 * (a NIO view addresses at most 2^31 − 1 bytes). One example's orbit is the smallest unit, so it is
 * refused up front with an {@link IllegalArgumentException} when it alone exceeds the view limit,
 * or an explicit {@code maxBatchBytes}; it only draws a warning when it exceeds the default budget,
 * which is a fraction of the real limits.
 *
 * <p><b>Default budget.</b> {@code min(heap max, JavaCPP maxBytes, JavaCPP maxPhysicalBytes) / 4}
 * ({@link #defaultBytes()}). ND4J's activations live off the Java heap, inside JavaCPP's limits
 * ({@code -Dorg.bytedeco.javacpp.maxbytes} / {@code maxphysicalbytes}, by default the heap size
 * and 4× it); the one ND4J's native buffers actually meet is the physical one, which counts the
 * heap too. The smallest of the three is what the user granted most tightly, and a quarter of
 * it, by default a sixteenth of the physical limit, leaves room for the estimate's misses
 * (custom layers), for the workspaces of other code on the thread (a training loop, when the
 * evaluation runs from a listener) and for the rest of the application. A quarter rather than
 * less keeps small networks where they were: a 28×28 CNN still takes the 4,096 rows of
 * {@code maxBatch} per pass under a 3 GB heap. Under {@code -Xmx4g}: 1 GiB.
 */
final class MemoryBudget {

    private static final Logger log = LoggerFactory.getLogger(MemoryBudget.class);

    /** The default budget is this fraction of the tightest memory limit: 1/4. */
    static final int DEFAULT_FRACTION = 4;
    /** Safety factor on the workspace estimate 2·A + W (see the class comment). */
    static final double SAFETY = 1.5;
    /** Copies of the network input held per row outside the workspaces. */
    static final int INPUT_COPIES = 3;

    private MemoryBudget() {
    }

    /**
     * The default {@code maxBatchBytes}: 1/{@value #DEFAULT_FRACTION} of the smallest of the
     * JVM's maximum heap, JavaCPP's {@code maxBytes} and JavaCPP's {@code maxPhysicalBytes}
     * (limits that are 0 or unset are ignored).
     */
    static long defaultBytes() {
        long limit = Runtime.getRuntime().maxMemory();
        if (Pointer.maxBytes() > 0) {
            limit = Math.min(limit, Pointer.maxBytes());
        }
        if (Pointer.maxPhysicalBytes() > 0) {
            limit = Math.min(limit, Pointer.maxPhysicalBytes());
        }
        return Math.max(1, limit / DEFAULT_FRACTION);
    }

    /**
     * The chunk an evaluation uses, and why.
     *
     * @param examples     examples per pass
     * @param rows         rows per pass (examples · r)
     * @param budgetBytes  the budget used
     * @param defaultBudget true when {@code budgetBytes} is {@link #defaultBytes()}
     * @param rowBytes     the estimated peak bytes of one row
     * @param limitedBy    which bound set the chunk: maxBatch, maxBatchBytes or the view limit
     * @param largestLayer the layer with the largest activation of one row (A)
     */
    record Chunking(int examples, long rows, long budgetBytes, boolean defaultBudget, long rowBytes, String limitedBy,
                    String largestLayer) {

        /** For the report's settings ("chunking"): examples and rows per pass, the bound that set them, the estimate. */
        String describe() {
            return examples + " examples (" + rows + " rows) per pass, set by " + limitedBy + "; estimated "
                    + mib(rowBytes) + " per row at the peak (largest activation: layer '" + largestLayer + "')";
        }

        /** The budget for the report's settings, marked when it is the default. */
        String describeBudget() {
            return budgetBytes + (defaultBudget ? " (default: 1/" + DEFAULT_FRACTION
                    + " of min(heap max, JavaCPP maxBytes, maxPhysicalBytes))" : "");
        }
    }

    /** Per-row sizes of one layer's activations in the sizing pass. */
    private record LayerSize(String layer, long[] orbitShape, DataType type, long elementsPerRow) {
        long bytesPerRow() {
            return elementsPerRow * type.width();
        }
    }

    /**
     * Runs the sizing pass (or takes it from {@code memo}, when it has run there on the same
     * model and shapes) and applies the rule of the class comment.
     *
     * @param budgetBytes the user's {@code maxBatchBytes}, or 0 for {@link #defaultBytes()}
     * @throws IllegalArgumentException when one example's orbit exceeds the view limit or an
     *                                  explicit budget, naming the layer, its shape and the bytes
     */
    static Chunking chunking(ModelProbe probe, EvaluationPlan plan, Examples first, int maxBatch, long budgetBytes,
                             SizingMemo memo) {
        boolean defaultBudget = budgetBytes == 0;
        long budget = defaultBudget ? defaultBytes() : budgetBytes;
        int r = plan.inputs.rowsPerExample();

        Examples one = first.head(1);
        INDArray[] inputs;
        try {
            inputs = plan.inputs.inputs(one);
        } catch (IllegalArgumentException e) {
            // The action refuses the input: let it say so for the batch as the user passed it, not for one example.
            plan.inputs.inputs(first);
            throw e;
        }
        long inputBytes = 0;
        for (INDArray x : inputs) {
            inputBytes += x.length() / x.size(0) * x.dataType().width();
        }
        INDArray[] masks = plan.inputs.masks(one);
        List<String> pass = pass(probe, plan);
        Map<String, LayerSize> sizes = memo.sizes(probe.model(), pass, inputs, masks,
                () -> measure(probe, pass, inputs, masks));

        long largest = 0;
        String largestLayer = plan.layers.get(0);
        long working = 0;
        long heap = 0;
        long viewed = 0;
        LayerSize viewedLayer = null;
        for (LayerSize s : sizes.values()) {
            if (s.bytesPerRow() > largest) {
                largest = s.bytesPerRow();
                largestLayer = s.layer();
            }
            working = Math.max(working, workingBytesPerRow(probe, s));
            ProbedLayer layer = plan.info.get(s.layer());
            if (layer != null) {
                heap += 8L * (2L * plan.group.order() + 4);
                if (readsFeatures(plan, layer)) {
                    heap += 16L * s.elementsPerRow();
                }
                long v = s.elementsPerRow() * Math.max(s.type().width(), ActivationBuffer.copyType(s.type()).width());
                if (v > viewed) {
                    viewed = v;
                    viewedLayer = s;
                }
            }
        }
        long rowBytes = (long) Math.ceil(SAFETY * (2.0 * largest + working)) + INPUT_COPIES * inputBytes + heap;

        if (viewedLayer != null && (double) r * viewed > ActivationBuffer.MAX_VIEW_BYTES) {
            throw new IllegalArgumentException("Layer '" + viewedLayer.layer() + "': the activations of one example's orbit ("
                    + r + " rows, shape " + Arrays.toString(viewedLayer.orbitShape()) + ", " + viewedLayer.type() + ") take "
                    + r * viewed + " bytes as the metric engine reads them, more than the " + ActivationBuffer.MAX_VIEW_BYTES
                    + " bytes (2^31 - 1) of one NIO view; evaluate smaller inputs, a smaller group, or leave the layer out"
                    + " with layers(...)");
        }
        long orbitBytes = r * rowBytes;
        if (orbitBytes > budget && !defaultBudget) {
            throw new IllegalArgumentException("maxBatchBytes = " + budget + " cannot hold one example's orbit: " + r
                    + " rows × an estimated " + rowBytes + " bytes per row = " + orbitBytes + " bytes (largest activation:"
                    + " layer '" + largestLayer + "'); raise maxBatchBytes to at least " + orbitBytes);
        }

        long byRows = Math.max(1, maxBatch / r);
        long byBudget = budget / orbitBytes;
        long byView = viewed == 0 ? Long.MAX_VALUE : ActivationBuffer.MAX_VIEW_BYTES / (r * viewed);
        long examples = Math.min(byRows, Math.min(byBudget, byView));
        String limitedBy = examples == byRows ? "maxBatch = " + maxBatch
                : examples == byBudget ? "maxBatchBytes = " + budget : "the 2^31-byte view limit";
        if (byBudget == 0) {
            log.warn("One example's orbit ({} rows, estimated {}) exceeds the default maxBatchBytes of {}; evaluating one "
                    + "example per pass. Set maxBatchBytes(...) to accept more, or evaluate smaller inputs.", r,
                    mib(orbitBytes), mib(budget));
            examples = 1;
            limitedBy = "one example's orbit, above the default maxBatchBytes = " + budget;
        }
        int chunk = (int) Math.min(Integer.MAX_VALUE, examples);
        if (chunk < plan.group.order() && chunk < byRows) {
            log.warn("Memory allows {} examples per pass, fewer than |G| = {}: the distinct-input baselines of the "
                    + "normalized metrics need at least |G| examples per pass and are reported as not applicable; raise "
                    + "maxBatchBytes (now {}) to about {} to have them", chunk, plan.group.order(), budget,
                    (long) plan.group.order() * orbitBytes);
        }
        log.debug("Sizing: {} bytes per row (A = {}, W = {}, I = {}, H = {}), {}", rowBytes, largest, working, inputBytes,
                heap, limitedBy);
        return new Chunking(chunk, (long) chunk * r, budget, defaultBudget, rowBytes, limitedBy, largestLayer);
    }

    /** The layers the sizing pass visits: every layer up to the last probed one. */
    private static List<String> pass(ModelProbe probe, EvaluationPlan plan) {
        List<String> all = probe.layerNames();
        String last = plan.layers.get(plan.layers.size() - 1);
        return new ArrayList<>(all.subList(0, all.indexOf(last) + 1));
    }

    /** One forward pass of the orbit of one example through the layers of {@code pass}. */
    private static Map<String, LayerSize> measure(ModelProbe probe, List<String> pass, INDArray[] inputs, INDArray[] masks) {
        Map<String, LayerSize> sizes = new LinkedHashMap<>();
        probe.forward(inputs, masks, pass, (layer, act) -> {
            long rows = act.size(0);
            sizes.put(layer, new LayerSize(layer, act.shape(), act.dataType(), rows == 0 ? 0 : act.length() / rows));
        });
        return sizes;
    }

    /**
     * Working memory of one row beyond the layer's output: a convolution's im2col buffer,
     * nIn·∏kernel elements per output position (nOut·∏kernel for a deconvolution); 0 for other
     * layers.
     */
    private static long workingBytesPerRow(ModelProbe probe, LayerSize s) {
        if (!(probe.layerConfig(s.layer()) instanceof ConvolutionLayer conv) || conv.getKernelSize() == null
                || conv.getNOut() <= 0) {
            return 0;
        }
        long kernel = 1;
        for (int k : conv.getKernelSize()) {
            kernel *= k;
        }
        long positions = s.elementsPerRow() / conv.getNOut();
        // A deconvolution's col2im buffer holds nOut·∏kernel per input position, at most that per output position.
        boolean deconvolution = conv instanceof Deconvolution2D || conv instanceof Deconvolution3D;
        return (deconvolution ? conv.getNOut() : conv.getNIn()) * kernel * positions * s.type().width();
    }

    /** True when a metric reported at {@code layer} copies its raw features to the Java heap. */
    private static boolean readsFeatures(EvaluationPlan plan, ProbedLayer layer) {
        return plan.metrics.stream().anyMatch(m -> EvaluationPlan.applies(m, layer)
                && m.statistics(layer).contains(OrbitStatistic.FEATURES));
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /**
     * The last sizing pass of an evaluator: per probed layer, the activation size of one
     * example's orbit. Those sizes follow from the model's configuration and the shapes of the
     * inputs alone, so while the same model object is measured on inputs of the same shapes and
     * types (every epoch of a listener, every round of a benchmark) the pass — one small forward
     * pass, but tens of milliseconds of ND4J overhead — is not run again. The model is held
     * weakly: a memo never keeps a network alive.
     */
    static final class SizingMemo {

        /** One remembered pass. */
        private record Entry(WeakReference<Model> model, List<String> pass, String inputs, Map<String, LayerSize> sizes) {
        }

        private volatile Entry last;

        /**
         * The sizes for {@code model} on {@code inputs} (with {@code masks}) through the layers of
         * {@code pass}: the remembered ones when all of these match the last call, else
         * {@code measure}'s, which are then remembered.
         */
        Map<String, LayerSize> sizes(Model model, List<String> pass, INDArray[] inputs, INDArray[] masks,
                                     Supplier<Map<String, LayerSize>> measure) {
            String key = describe(inputs) + " masks " + describe(masks);
            Entry e = last;
            if (e != null && e.model().get() == model && e.pass().equals(pass) && e.inputs().equals(key)) {
                return e.sizes();
            }
            // kept in the pass's order: ties between layers resolve the same way on every call
            Map<String, LayerSize> sizes = Collections.unmodifiableMap(new LinkedHashMap<>(measure.get()));
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
}
