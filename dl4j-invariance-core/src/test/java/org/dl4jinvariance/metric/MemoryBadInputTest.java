package org.dl4jinvariance.metric;

import org.dl4jinvariance.metric.kernel.ActivationBuffer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.data.IdxFile;
import org.dl4jinvariance.group.CyclicGroup;
import org.dl4jinvariance.group.DihedralGroup;
import org.dl4jinvariance.group.FiniteGroup;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.group.ShiftGroup;
import org.dl4jinvariance.probe.ModelProbe;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Issue 13's memory and size cases ("Wrong answers must be impossible"): evaluations sized by a
 * memory budget ({@code maxBatchBytes}, {@link MemoryBudget}) instead of a row count, activations
 * too large for a NIO view refused with a message, a failed evaluation that leaves the JVM able to
 * run the next one, IDX headers that promise more than the file holds, and groups too large to
 * evaluate.
 */
class MemoryBadInputTest {

    // ----------------------------------------------------------------------------------------
    // The 96×96 case of the issue
    // ----------------------------------------------------------------------------------------

    private static final int IMAGES = 1024;
    private static final int SIDE = 96;

    /**
     * The network: a 3→32 {@code Same} 3×3 convolution, global average pooling, a
     * 10-class softmax. Identity activation: the issue names none, and ND4J's ReLU on DL4J's
     * [C, N, H, W]-ordered convolution output takes a strided path that alone costs as much as
     * the rest of the evaluation, which this test does not need to pay twice.
     */
    static MultiLayerNetwork conv96() {
        return TestNetworks.withGlobalPoolingHead(13, new ConvolutionLayer.Builder(3, 3).name("conv").nOut(32)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(),
                InputType.convolutional(SIDE, SIDE, 3));
    }

    /** 1,024 random 3×96×96 images with random labels, the same in every JVM (java.util.Random, seeded). */
    static DataSetIterator images96() {
        Random random = new Random(13);
        float[] pixels = new float[IMAGES * 3 * SIDE * SIDE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        float[] oneHot = new float[IMAGES * 10];
        for (int i = 0; i < IMAGES; i++) {
            oneHot[i * 10 + random.nextInt(10)] = 1;
        }
        DataSet data = new DataSet(Nd4j.create(pixels, new long[] {IMAGES, 3, SIDE, SIDE}, 'c'),
                Nd4j.create(oneHot, new long[] {IMAGES, 10}, 'c'));
        return new ViewIterator(data, 128);
    }

    private static InvarianceEvaluator.Builder c4() {
        return InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4()));
    }

    /**
     * The default-settings evaluation runs in a JVM of its own with {@code -Xmx4g} and JavaCPP's
     * default limits (maxBytes = heap, maxPhysicalBytes = 4 × heap), as in the issue, where it
     * grew to 10.5 GB and failed; meanwhile this JVM evaluates the same network and images with
     * {@code maxBatch(64)} (16 examples per pass), so the two passes share the two cores.
     *
     * <p>How chunking meets the shuffle: each chunk is shuffled with seed + 1,000,003 · its index
     * ({@code ExampleChunks}), so with other chunk sizes the same examples land in other chunks
     * and orders. Per-example values do not depend on that (each orbit is whole in its chunk):
     * the same numbers in another order, so means, n and per-class means agree to rounding, and
     * only the bootstrap CIs, which resample a permuted list, move. The ratio keys (normalized
     * forms, cosine similarity ratio) divide by a baseline of sets of |G| consecutive examples of
     * a shuffled chunk, which are other sets: they agree within their CIs.
     */
    @Test
    void defaultSettingsEvaluateThe96x96CaseUnderA4GbHeapAndMatchASmallMaxBatch(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("child.log");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-Xmx4g", "-cp", System.getProperty("java.class.path"),
                DefaultSettingsUnder4GbHeap.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long start = System.nanoTime();
            InvarianceReport small = c4().maxBatch(64).build().evaluate(conv96(), images96());
            double smallSeconds = (System.nanoTime() - start) / 1e9;
            assertTrue(child.waitFor(15, TimeUnit.MINUTES), "the -Xmx4g evaluation did not finish in 15 minutes");
            assertEquals(0, child.exitValue(), () -> "the -Xmx4g evaluation failed:\n" + tail(log));

            Properties memory = new Properties();
            try (InputStream in = Files.newInputStream(dir.resolve("memory.properties"))) {
                memory.load(in);
            }
            InvarianceReport byDefault = InvarianceReport.fromJson(Files.readString(dir.resolve("report.json")));
            assertEquals(4L << 30, Long.parseLong(memory.getProperty("heapMax")), "the child ran with -Xmx4g");
            long tightest = Math.min(4L << 30, Math.min(Long.parseLong(memory.getProperty("javacppMaxBytes")),
                    Long.parseLong(memory.getProperty("javacppMaxPhysicalBytes"))));
            assertEquals(tightest / 4 + " (default: 1/4 of min(heap max, JavaCPP maxBytes, maxPhysicalBytes))",
                    byDefault.settings().get("maxBatchBytes"));
            int chunk = Integer.parseInt(byDefault.settings().get("chunkSize"));
            assertTrue(chunk >= Groups.c4().order() && chunk < 1024 / 4,
                    "the budget, not maxBatch = 4096 rows (1,024 examples), sets the chunk: " + byDefault.settings());
            assertTrue(byDefault.settings().get("chunking").contains("set by maxBatchBytes"), byDefault.settings().toString());
            assertEquals("16", small.settings().get("chunkSize"));
            long peakRss = Long.parseLong(memory.getProperty("peakRssBytes", "-1"));
            if (peakRss >= 0) {     // Linux (/proc/self/status); the run peaked at 10.5 GB
                assertTrue(peakRss < 3L << 30, "peak RSS " + peakRss + " bytes");
            }

            System.out.printf(java.util.Locale.ROOT, "96x96: default settings under -Xmx4g: %s; chunking: %s; "
                    + "maxBatch(64) beside it in this JVM: %.1f s%n", memory, byDefault.settings().get("chunking"), smallSeconds);
            assertEquals(small.layers(), byDefault.layers());
            for (String layer : byDefault.layers()) {
                assertEquals(small.values().get(layer).keySet(), byDefault.values().get(layer).keySet(), layer);
                for (Map.Entry<String, MetricValue> e : byDefault.values().get(layer).entrySet()) {
                    assertSameFigure(layer, e.getKey(), e.getValue(), small.get(layer, e.getKey()));
                }
            }
        } finally {
            child.destroyForcibly();
        }
    }

    private static void assertSameFigure(String layer, String key, MetricValue a, MetricValue b) {
        String where = layer + " / " + key + ": " + a + " vs " + b;
        assertEquals(a.isApplicable(), b.isApplicable(), where);
        if (!a.isApplicable()) {
            return;
        }
        assertEquals(1000, a.n(), where);
        assertEquals(a.n(), b.n(), where);
        boolean ratio = key.endsWith(".normalized") || key.equals(MetricKeys.COSINE_SIMILARITY_RATIO);
        if (ratio) {
            // Other baseline sets: the means differ by less than the two CIs' half-widths together,
            // or 1e-4 of the value where the CIs are narrower (pooled random images all look alike).
            double halfWidths = (a.ciHigh() - a.ciLow() + b.ciHigh() - b.ciLow()) / 2;
            assertEquals(a.mean(), b.mean(), Math.max(halfWidths, 1e-4 * Math.abs(a.mean())), where);
            return;
        }
        // The same per-example values in another order: equal to rounding.
        assertEquals(a.mean(), b.mean(), 1e-5 * Math.max(1e-3, Math.abs(a.mean())), where);
        assertEquals(a.perClassCount(), b.perClassCount(), where);
        for (Map.Entry<Integer, Double> c : a.perClass().entrySet()) {
            assertEquals(c.getValue(), b.perClass().get(c.getKey()), 1e-5 * Math.max(1e-3, Math.abs(c.getValue())), where);
        }
    }

    /**
     * Run by {@link #defaultSettingsEvaluateThe96x96CaseUnderA4GbHeapAndMatchASmallMaxBatch} in a
     * JVM of its own: evaluates the 96×96 case with default settings and writes the report and
     * the memory it used to the directory given as the only argument.
     */
    static final class DefaultSettingsUnder4GbHeap {

        public static void main(String[] args) throws IOException {
            Path dir = Path.of(args[0]);
            MultiLayerNetwork net = conv96();
            DataSetIterator data = images96();
            long start = System.nanoTime();
            InvarianceReport report = c4().build().evaluate(net, data);
            double seconds = (System.nanoTime() - start) / 1e9;
            Files.writeString(dir.resolve("report.json"), report.toJson());
            Properties p = new Properties();
            p.setProperty("seconds", String.format(java.util.Locale.ROOT, "%.1f", seconds));
            p.setProperty("heapMax", String.valueOf(Runtime.getRuntime().maxMemory()));
            p.setProperty("javacppMaxBytes", String.valueOf(Pointer.maxBytes()));
            p.setProperty("javacppMaxPhysicalBytes", String.valueOf(Pointer.maxPhysicalBytes()));
            long heapPeak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPeak += pool.getPeakUsage().getUsed();
                }
            }
            p.setProperty("heapPeakBytes", String.valueOf(heapPeak));
            Path status = Path.of("/proc/self/status");
            if (Files.isReadable(status)) {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        p.setProperty("peakRssBytes", String.valueOf(1024 * Long.parseLong(line.replaceAll("\\D", ""))));
                    }
                }
            }
            try (var out = Files.newOutputStream(dir.resolve("memory.properties"))) {
                p.store(out, "the default-settings 96x96 evaluation under -Xmx4g");
            }
            System.out.println("96x96 default settings: " + p + " " + report.settings());
            System.exit(0);     // ND4J's non-daemon threads would keep the JVM alive
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    // ----------------------------------------------------------------------------------------
    // The budget rule
    // ----------------------------------------------------------------------------------------

    /**
     * The rule of {@link MemoryBudget} on {@link TestNetworks#smallCnn}, by hand: A = conv1's
     * 8·24·24 floats = 18,432 bytes per row; W = conv1's im2col, 1·5·5·24·24 floats = 57,600
     * bytes; I = one 28×28 image, 3,136 bytes; H = five probed layers × 8·(2·4 + 4) bytes plus the
     * output's 10 probabilities read as features × 16 bytes. The chunk is the budget over that
     * orbit's bytes, and maxBatch stays an upper bound.
     */
    @Test
    void theChunkHoldsAsManyOrbitsAsTheBudgetAllowsAndMaxBatchStaysAnUpperBound() {
        ModelProbe probe = ModelProbe.of(TestNetworks.smallCnn(8, DataType.FLOAT));
        Examples first = ExampleSource.of(Datasets.mnist().iterator(64, 0, 64)).next();
        EvaluationPlan plan = new EvaluationPlan(probe, ImageActions.rotation(Groups.c4()), first, null,
                InvarianceEvaluator.defaultMetrics(Distance.COSINE), null, Map.of(), null);
        long rowBytes = (long) Math.ceil(1.5 * (2 * 18_432 + 57_600)) + 3 * 3_136 + 5 * 8 * (2 * 4 + 4) + 16 * 10;
        long orbit = 4 * rowBytes;

        MemoryBudget.Chunking seven = MemoryBudget.chunking(probe, plan, first, 4096, 7 * orbit + orbit / 2, new MemoryBudget.SizingMemo());
        assertEquals(rowBytes, seven.rowBytes());
        assertEquals(7, seven.examples());
        assertEquals(28, seven.rows());
        assertTrue(seven.limitedBy().startsWith("maxBatchBytes"), seven.limitedBy());
        MemoryBudget.Chunking rows = MemoryBudget.chunking(probe, plan, first, 12, 7 * orbit, new MemoryBudget.SizingMemo());
        assertEquals(3, rows.examples());
        assertEquals("maxBatch = 12", rows.limitedBy());

        MemoryBudget.Chunking byDefault = MemoryBudget.chunking(probe, plan, first, 4096, 0, new MemoryBudget.SizingMemo());
        long tightest = Math.min(Runtime.getRuntime().maxMemory(), Math.min(Pointer.maxBytes(), Pointer.maxPhysicalBytes()));
        assertEquals(tightest / 4, byDefault.budgetBytes());
        assertTrue(byDefault.defaultBudget());
        assertEquals(1024, byDefault.examples(), "a small CNN on MNIST is bound by maxBatch, as before");
    }

    @Test
    void aBudgetBelowOneOrbitIsRefusedAfterTheSizingPassNamingTheBytesNeeded() {
        ModelProbe probe = ModelProbe.of(TestNetworks.smallCnn(8, DataType.FLOAT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c4().maxBatchBytes(100_000).build().evaluate(probe, Datasets.mnist().iterator(64, 0, 64)));
        assertTrue(e.getMessage().contains("maxBatchBytes = 100000") && e.getMessage().contains("raise maxBatchBytes to at least "
                + 4 * (long) (Math.ceil(1.5 * (2 * 18_432 + 57_600)) + 3 * 3_136 + 5 * 8 * (2 * 4 + 4) + 16 * 10)), e.getMessage());
        assertEquals(1, probe.forwardPasses(), "only the one-example sizing pass ran");
        assertThrows(IllegalArgumentException.class, () -> c4().maxBatchBytes(0));
    }

    /**
     * Chunks smaller than the iterator's batches (what a small budget makes) cut the rest of a
     * batch again and again; ND4J M2.1 returned empty arrays for such ranges of views. Chunks
     * larger than the batches are made of several batches' parts, the last one cut. Every example
     * is read exactly once, in the data's order.
     */
    @Test
    void smallChunksOfLargeBatchesReadEveryExampleExactlyOnce() {
        int n = 1000;
        INDArray x = Nd4j.arange(n).castTo(DataType.FLOAT).reshape(n, 1, 1, 1);     // example i holds i
        DataSet data = new DataSet(x, Nd4j.ones(DataType.FLOAT, n, 10));
        for (int chunk : new int[] {7, 23, 24, 96, 200, 300}) {
            ExampleSource source = ExampleSource.of(new ViewIterator(data, 128));
            ExampleChunks chunks = new ExampleChunks(source, source.next(), 1000, chunk, new BatchAdmission(true, new LabelCheck("out", 10)));
            List<Integer> seen = new ArrayList<>();
            while (chunks.hasNext()) {
                Examples e = Examples.concat(chunks.next());
                assertTrue(e.size() == chunk || !chunks.hasNext(), "chunk of " + e.size());
                for (double v : e.features()[0].dup().reshape(e.size()).toDoubleVector()) {
                    seen.add((int) v);
                }
            }
            assertEquals(n, seen.size(), "chunk " + chunk);
            for (int i = 0; i < n; i++) {
                assertEquals(i, seen.get(i), "chunk " + chunk);
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // ActivationBuffer over 2^31 bytes
    // ----------------------------------------------------------------------------------------

    /**
     * [4096, 32, 96, 96] floats (the 4.8 GB activation), without allocating it: one float
     * with zero strides. It cannot be viewed, and its copy would exceed what a view addresses.
     */
    @Test
    void activationsOverTwoGigabytesAreRefusedNamingTheShapeAndTheBudget() {
        INDArray huge = Nd4j.create(Nd4j.createBuffer(new float[] {1f}), new long[] {4096, 32, 96, 96},
                new long[] {0, 0, 0, 0}, 0, 'c');
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ActivationBuffer.of(huge));
        assertTrue(e.getMessage().contains("[4096, 32, 96, 96]") && e.getMessage().contains("4831838208")
                && e.getMessage().contains("maxBatchBytes"), e.getMessage());

        // Half precision is read through a float copy, twice its size.
        IllegalStateException half = assertThrows(IllegalStateException.class,
                () -> ActivationBuffer.checkViewable(new long[] {2000, 32, 96, 96}, DataType.FLOAT16, DataType.FLOAT));
        assertTrue(half.getMessage().contains("FLOAT copy") && half.getMessage().contains("2359296000"), half.getMessage());
        // Overflowing element counts are caught, not wrapped around.
        assertThrows(IllegalStateException.class,
                () -> ActivationBuffer.checkViewable(new long[] {1L << 40, 1L << 40}, DataType.FLOAT, DataType.FLOAT));
        assertDoesNotThrow(() -> ActivationBuffer.checkViewable(new long[] {1820, 32, 96, 96}, DataType.FLOAT, DataType.FLOAT));
        assertNotNull(ActivationBuffer.of(Nd4j.rand(DataType.FLOAT, 4, 3, 5, 5)));
    }

    // ----------------------------------------------------------------------------------------
    // A failed evaluation releases what it allocated
    // ----------------------------------------------------------------------------------------

    /** Throws the armed failure on the n-th call (counting every layer activation), else the identity. */
    static final class FailingActivation extends BaseActivationFunction {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger CALLS_LEFT = new AtomicInteger(Integer.MAX_VALUE);
        static volatile Supplier<? extends RuntimeException> exception;
        static volatile Supplier<? extends Error> error;

        @Override
        public INDArray getActivation(INDArray in, boolean training) {
            if (CALLS_LEFT.decrementAndGet() == 0) {
                if (error != null) {
                    throw error.get();
                }
                throw exception.get();
            }
            return in;
        }

        @Override
        public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
            return new Pair<>(epsilon, null);
        }

        @Override
        public String toString() {
            return "failing";
        }
    }

    /**
     * conv (5×5, 4 channels) → an activation layer that can fail on demand → global pooling →
     * output, as a MultiLayerNetwork or a ComputationGraph (their probes manage workspaces apart).
     */
    private static Model failingNet(String type) {
        Layer[] layers = {
            new ConvolutionLayer.Builder(5, 5).nOut(4).activation(Activation.IDENTITY).build(),
            new ActivationLayer.Builder().activation(new FailingActivation()).build(),
            new GlobalPoolingLayer.Builder(PoolingType.AVG).build(),
            new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build()};
        String[] names = {"conv", "fail", "pool", "output"};
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT);
        if (type.equals("graph")) {
            ComputationGraphConfiguration.GraphBuilder g = base.graphBuilder().addInputs("in")
                    .setInputTypes(InputType.convolutional(28, 28, 1));
            String previous = "in";
            for (int i = 0; i < layers.length; i++) {
                g.addLayer(names[i], layers[i], previous);
                previous = names[i];
            }
            return TestNetworks.init(g.setOutputs("output").build());
        }
        NeuralNetConfiguration.ListBuilder list = base.list();
        for (int i = 0; i < layers.length; i++) {
            layers[i].setLayerName(names[i]);
            list.layer(layers[i]);
        }
        return TestNetworks.init(list.setInputType(InputType.convolutional(28, 28, 1)).build());
    }

    /**
     * The failure is thrown inside the second chunk's forward pass, after the sizing pass and one
     * chunk, with the probe's workspaces open; an OutOfMemoryError takes the same path as an
     * exception. Afterwards no workspace is open on the thread, the probe's workspaces (sized by
     * the evaluation that succeeded first) hold no memory, and the next evaluation of the same
     * network gives the report of one that never failed.
     */
    @ParameterizedTest
    @CsvSource({"exception, network", "outOfMemoryError, network", "exception, graph", "outOfMemoryError, graph"})
    void anEvaluationThatFailsMidPassIsFollowedByOneThatSucceeds(String kind, String type) {
        InvarianceEvaluator evaluator = c4().maxExamples(256).maxBatch(256).build();     // 64 examples per pass, 4 passes
        // Only this test's evaluations count: workspaces earlier tests left on the thread go first.
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        FailingActivation.CALLS_LEFT.set(Integer.MAX_VALUE);
        InvarianceReport expected = evaluator.evaluate(failingNet(type), Datasets.mnist().iterator(64, 0, 256));

        Model net = failingNet(type);
        FailingActivation.exception = () -> new IllegalStateException("layer failed mid-pass");
        FailingActivation.error = kind.equals("exception") ? null : () -> new OutOfMemoryError("simulated: Cannot allocate");
        FailingActivation.CALLS_LEFT.set(3);
        Throwable thrown = null;
        try {
            evaluator.evaluate(net, Datasets.mnist().iterator(64, 0, 256));
        } catch (Throwable t) {     // not assertThrows: JUnit rethrows OutOfMemoryError as unrecoverable
            thrown = t;
        } finally {
            FailingActivation.CALLS_LEFT.set(Integer.MAX_VALUE);
        }
        assertNotNull(thrown, "the armed layer did not fail");
        assertTrue(kind.equals("exception") ? thrown instanceof IllegalStateException : thrown instanceof OutOfMemoryError,
                thrown.toString());
        assertTrue(thrown.getMessage().contains("mid-pass") || thrown.getMessage().contains("simulated"), thrown.toString());

        MemoryWorkspaceManager workspaces = Nd4j.getWorkspaceManager();
        assertFalse(workspaces.anyWorkspaceActiveForCurrentThread(), "a workspace was left open");
        List<String> ids = new ArrayList<>(List.of("WS_LAYER_WORKING_MEM", "WS_RNN_LOOP_WORKING_MEM"));
        for (int k = 0; k < 6; k++) {
            ids.add("WS_LAYER_ACT_" + k);       // a network's ACT_1 and ACT_2, a graph's ACT_0, ACT_1, ...
        }
        for (String id : ids) {
            assertTrue(!workspaces.checkIfWorkspaceExists(id) || workspaces.getWorkspaceForCurrentThread(id).getCurrentSize() == 0,
                    id + " still holds memory");
        }
        assertEquals(expected, evaluator.evaluate(net, Datasets.mnist().iterator(64, 0, 256)));
    }

    // ----------------------------------------------------------------------------------------
    // IDX headers that promise more than the file holds
    // ----------------------------------------------------------------------------------------

    /** 10,000,000 images of 15×14 = 2.1 GB promised, 100 bytes present. */
    private static byte[] lyingHeader() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(out)) {
            d.writeInt(IdxFile.IMAGES_MAGIC);
            d.writeInt(10_000_000);
            d.writeInt(15);
            d.writeInt(14);
            d.write(new byte[100]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        }
        return out.toByteArray();
    }

    /** Bytes this thread allocates while {@code run} throws the expected exception, and that exception. */
    private static <T extends Throwable> T refusedWithin(long maxAllocatedBytes, Class<T> type,
                                                        org.junit.jupiter.api.function.Executable run) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        T e = assertThrows(type, run);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < maxAllocatedBytes, "allocated " + allocated + " bytes before refusing: " + e.getMessage());
        return e;
    }

    @Test
    void anIdxHeaderPromisingMoreThanTheFileHoldsIsRefusedBeforeAllocating(@TempDir Path dir) throws IOException {
        Path raw = dir.resolve("lying-images-idx3-ubyte");
        Files.write(raw, lyingHeader());
        IllegalArgumentException e = refusedWithin(1 << 20, IllegalArgumentException.class, () -> IdxFile.readImages(raw));
        assertTrue(e.getMessage().contains(raw.toString()) && e.getMessage().contains("2100000000")
                && e.getMessage().contains("holds 100"), e.getMessage());

        // gzip: the uncompressed size is unknown up front; the array grows only with bytes that arrive
        Path gz = dir.resolve("lying-images-idx3-ubyte.gz");
        Files.write(gz, gzip(lyingHeader()));
        e = refusedWithin(16 << 20, IllegalArgumentException.class, () -> IdxFile.readImages(gz));
        assertTrue(e.getMessage().contains(gz.toString()) && e.getMessage().contains("2100000000")
                && e.getMessage().contains("holds 100"), e.getMessage());

        // a stream, as the embedded data sets are read
        e = refusedWithin(16 << 20, IllegalArgumentException.class,
                () -> IdxFile.readImages(new ByteArrayInputStream(lyingHeader()), "stream.idx"));
        assertTrue(e.getMessage().contains("stream.idx") && e.getMessage().contains("holds 100"), e.getMessage());

        // dimensions whose product overflows a long are refused, not wrapped around
        ByteArrayOutputStream huge = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(huge)) {
            d.writeInt(IdxFile.IMAGES_MAGIC);
            d.writeInt(Integer.MAX_VALUE);
            d.writeInt(Integer.MAX_VALUE);
            d.writeInt(Integer.MAX_VALUE);
        }
        e = refusedWithin(16 << 20, IllegalArgumentException.class,
                () -> IdxFile.readImages(new ByteArrayInputStream(huge.toByteArray()), "huge.idx"));
        assertTrue(e.getMessage().contains("huge.idx") && e.getMessage().contains(String.valueOf(Integer.MAX_VALUE)), e.getMessage());
    }

    // ----------------------------------------------------------------------------------------
    // Groups too large to evaluate
    // ----------------------------------------------------------------------------------------

    @Test
    void groupsBeyondTheBoundAreRefusedNamingTheBound() {
        for (String name : List.of("C1000", "D2000000000", "d99999999999", "C361")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Groups.byName(name));
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains("360"), e.getMessage());
        }
        for (int n : new int[] {361, 1_000_000, Integer.MAX_VALUE}) {
            IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> CyclicGroup.of(n));
            assertTrue(c.getMessage().contains(String.valueOf(n)) && c.getMessage().contains("1..360"), c.getMessage());
            IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> DihedralGroup.of(n));
            assertTrue(d.getMessage().contains(String.valueOf(n)) && d.getMessage().contains("1..360"), d.getMessage());
        }
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> ShiftGroup.of(721, 1));
        assertTrue(s.getMessage().contains("721") && s.getMessage().contains("1..720"), s.getMessage());

        // The largest ones are still groups, and D360's order fits the evaluator's bound.
        assertEquals(360, Groups.byName("C360").order());
        assertEquals(FiniteGroup.MAX_ORDER, Groups.byName("d360").order());
        assertEquals(PlanarGroup.MAX_ROTATIONS, DihedralGroup.of(360).rotations());
        assertEquals(720, ShiftGroup.of(720, 1).order());
    }
}
