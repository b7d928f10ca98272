package org.dl4jinvariance.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jinvariance.metric.BatchAdmission;
import org.dl4jinvariance.metric.ChunkSamples;
import org.dl4jinvariance.metric.ChunkedEvaluation;
import org.dl4jinvariance.metric.EvaluatorSettings;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * {@link InvarianceEvaluator} on Apache Spark: the same {@link InvarianceReport}, bit for bit,
 * from a {@code JavaRDD<DataSet>} spread over any number of partitions.
 *
 * <pre>{@code
 * SparkInvarianceEvaluator evaluator = SparkInvarianceEvaluator.builder()
 *         .inputAction(ImageActions.rotation(Groups.c4()))
 *         .maxExamples(10_000)
 *         .build();
 * InvarianceReport report = evaluator.evaluate(net, rdd);        // or evaluate(sparkDl4jMultiLayer, rdd)
 * }</pre>
 *
 * <p>How: the driver plans the evaluation from the RDD's first batch
 * ({@link InvarianceEvaluator#chunked}) and broadcasts the model once, as {@code ModelSerializer}
 * bytes. A first pass (no forward pass) counts, per partition and batch, the examples that pass
 * the batch checks; from the counts the driver numbers the examples 0, 1, … in the RDD's order
 * and keeps the first {@code maxExamples} (the examples one machine would read from an iterator
 * over the same batches). A second pass cuts them into the single-machine evaluator's chunks,
 * chunk i = examples [i·c, (i+1)·c), moves each chunk's pieces to one partition (chunks
 * ⌊i·P/K⌋ together) and there restores the model once, runs one probe pass per chunk and
 * returns every metric's per-example values ({@link ChunkSamples}). The driver merges them in
 * chunk order and computes the normalizations and the seeded bootstrap CIs, exactly as
 * {@link InvarianceEvaluator#evaluate} does on one machine.
 *
 * <p>The RDD is read twice (cache it when it is expensive to compute). Bad input gives core's
 * {@link IllegalArgumentException}s, naming the partition: an empty RDD, an empty batch, labels
 * on some batches only, labels that do not fit the output. Each task sets ND4J to
 * {@link Builder#ndThreadsPerTask} threads (default 1): Spark's task slots are the parallelism,
 * and ND4J's own threads would compete for the same cores. ND4J's thread settings are global to a
 * JVM, so in local mode (driver and tasks in one JVM) they stay set for the driver too.
 */
public final class SparkInvarianceEvaluator implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(SparkInvarianceEvaluator.class);

    /** The default ND4J threads per Spark task. */
    public static final int DEFAULT_ND_THREADS_PER_TASK = 1;

    private final InvarianceEvaluator evaluator;
    private final int ndThreadsPerTask;

    /**
     * @throws IllegalArgumentException with a target precision or sampled elements, which only the
     *                                  single-machine evaluator supports
     */
    SparkInvarianceEvaluator(InvarianceEvaluator evaluator, int ndThreadsPerTask) {
        evaluator.requireWholeEvaluation("SparkInvarianceEvaluator");
        this.evaluator = evaluator;
        this.ndThreadsPerTask = ndThreadsPerTask;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The single-machine evaluator with the same settings (its report is this one's). */
    public InvarianceEvaluator evaluator() {
        return evaluator;
    }

    /** {@link #evaluate(Model, JavaRDD)} of a dl4j-spark network's current parameters. */
    public InvarianceReport evaluate(SparkDl4jMultiLayer network, JavaRDD<DataSet> data) {
        if (network == null) {
            throw new IllegalArgumentException("evaluate needs a SparkDl4jMultiLayer, got null");
        }
        return evaluate(network.getNetwork(), data);
    }

    /** {@link #evaluate(Model, JavaRDD)} of a dl4j-spark graph's current parameters. */
    public InvarianceReport evaluate(SparkComputationGraph network, JavaRDD<DataSet> data) {
        if (network == null) {
            throw new IllegalArgumentException("evaluate needs a SparkComputationGraph, got null");
        }
        return evaluate(network.getNetwork(), data);
    }

    /**
     * Evaluates {@code model} (a {@code MultiLayerNetwork} or a single-input
     * {@code ComputationGraph}) on the first {@code maxExamples} examples of {@code data}, in the
     * RDD's order.
     *
     * @throws IllegalArgumentException for another model type, a null or empty RDD, or a batch
     *                                  the single-machine evaluator would refuse (the message
     *                                  names its partition)
     */
    public InvarianceReport evaluate(Model model, JavaRDD<DataSet> data) {
        boolean graph = kindOf(model);
        if (data == null) {
            throw new IllegalArgumentException("evaluate needs a JavaRDD<DataSet>, got null");
        }
        String source = "RDD " + data.id() + " (" + data.rdd().getClass().getSimpleName() + ")";
        try {
            return run(model, graph, data, source);
        } catch (SparkException e) {
            throw rethrowCause(e);
        }
    }

    private InvarianceReport run(Model model, boolean graph, JavaRDD<DataSet> data, String source) throws SparkException {
        List<DataSet> head = data.take(1);
        if (head.isEmpty()) {
            throw new IllegalArgumentException("The " + source + " holds no DataSet; an evaluation needs at least one example");
        }
        DataSet first = head.get(0);
        ChunkedEvaluation driver = evaluator.chunked(model, first);
        int chunkSize = driver.chunkSize();
        BatchAdmission admission = driver.admission();

        // Pass 1: per partition and batch, the admitted and the fully masked examples.
        List<PartitionScan> scans = new ArrayList<>(data.mapPartitionsWithIndex(
                (Integer p, Iterator<DataSet> it) -> List.of(PartitionScan.scan(p, it, admission, source)).iterator(),
                false).collect());
        scans.sort((a, b) -> Integer.compare(a.partition, b.partition));
        Plan plan = Plan.of(scans, evaluator.maxExamples(), chunkSize);
        if (plan.examples == 0) {
            return driver.report(List.of(), plan.fullyMasked, source);
        }

        // Pass 2: chunk pieces keyed by their first example's index, one partition per run of chunks.
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.context());
        Broadcast<byte[]> bytes = sc.broadcast(serialize(model));
        try {
            long[] starts = plan.starts;
            int n = plan.examples;
            JavaPairRDD<Long, DataSet> pieces = JavaPairRDD.fromJavaRDD(data.mapPartitionsWithIndex(
                    (Integer p, Iterator<DataSet> it) -> pieces(it, admission, PartitionScan.source(p, source), starts[p], n,
                            chunkSize),
                    false));
            int chunks = (n + chunkSize - 1) / chunkSize;
            int partitions = Math.max(1, Math.min(data.getNumPartitions(), chunks));
            InvarianceEvaluator settings = evaluator;
            int threads = ndThreadsPerTask;
            List<ChunkSamples> samples = pieces
                    .repartitionAndSortWithinPartitions(new ChunkPartitioner(partitions, chunks, chunkSize))
                    .mapPartitions(it -> evaluateChunks(it, settings, first, bytes.value(), graph, chunkSize, threads))
                    .collect();
            log.info("Evaluated {} examples in {} chunks of {} on {} partitions of {}", n, chunks, chunkSize, partitions, source);
            return driver.report(samples, plan.fullyMasked, source);
        } finally {
            bytes.destroy();
        }
    }

    /** Where each partition's admitted examples start in the RDD's numbering, and how many count. */
    private record Plan(long[] starts, int examples, int fullyMasked) {

        /**
         * Walks the batches in order as an iterator over them would: until {@code maxExamples}
         * are taken, counting the fully masked examples of every batch read and failing at the
         * first bad batch reached.
         */
        static Plan of(List<PartitionScan> scans, int maxExamples, int chunkSize) {
            long[] starts = new long[scans.size()];
            long taken = 0;
            int masked = 0;
            for (PartitionScan scan : scans) {
                starts[scan.partition] = taken;
                for (int b = 0; b < scan.kept.length && taken < maxExamples; b++) {
                    taken += scan.kept[b];
                    masked += scan.masked[b];
                }
                if (scan.error != null && taken < maxExamples) {
                    throw new IllegalArgumentException(scan.error);
                }
            }
            return new Plan(starts, (int) Math.min(taken, maxExamples), masked);
        }
    }

    /**
     * One partition's admitted examples below {@code n}, numbered from {@code start}, cut at the
     * chunk boundaries: (index of the piece's first example, its rows).
     */
    private static Iterator<Tuple2<Long, DataSet>> pieces(Iterator<DataSet> batches, BatchAdmission admission,
            String source, long start, int n, int chunkSize) {
        List<Tuple2<Long, DataSet>> out = new ArrayList<>();
        long next = start;
        for (int number = 1; batches.hasNext() && next < n; number++) {
            DataSet kept = admission.admit(batches.next(), number, source);
            if (kept == null) {
                continue;
            }
            long end = Math.min(next + kept.numExamples(), n);
            for (long from = next; from < end; ) {
                long to = Math.min(end, (from / chunkSize + 1) * chunkSize);
                out.add(new Tuple2<>(from, Rows.range(kept, (int) (from - next), (int) (to - next))));
                from = to;
            }
            next += kept.numExamples();
        }
        return out.iterator();
    }

    /** One partition's chunks (pieces sorted by index): the model restored once, one probe pass per chunk. */
    private static Iterator<ChunkSamples> evaluateChunks(Iterator<Tuple2<Long, DataSet>> pieces, InvarianceEvaluator settings,
            DataSet first, byte[] model, boolean graph, int chunkSize, int threads) {
        if (!pieces.hasNext()) {
            return Collections.emptyIterator();
        }
        if (threads > 0) {
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
        }
        ChunkedEvaluation worker = settings.chunked(restore(model, graph), first);
        List<ChunkSamples> out = new ArrayList<>();
        List<DataSet> chunk = new ArrayList<>();
        long current = -1;
        while (pieces.hasNext()) {
            Tuple2<Long, DataSet> piece = pieces.next();
            long index = piece._1() / chunkSize;
            if (index != current && !chunk.isEmpty()) {
                out.add(worker.samples(Rows.concat(chunk), (int) current));
                chunk.clear();
            }
            current = index;
            chunk.add(piece._2());
        }
        out.add(worker.samples(Rows.concat(chunk), (int) current));
        return out.iterator();
    }

    /** True for a ComputationGraph, false for a MultiLayerNetwork. */
    private static boolean kindOf(Model model) {
        if (model instanceof MultiLayerNetwork) {
            return false;
        }
        if (model instanceof ComputationGraph) {
            return true;
        }
        throw new IllegalArgumentException("SparkInvarianceEvaluator evaluates a MultiLayerNetwork or a ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getName()));
    }

    private static byte[] serialize(Model model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(model, out, false);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not serialize the model for the executors", e);
        }
        return out.toByteArray();
    }

    private static Model restore(byte[] bytes, boolean graph) {
        try {
            return graph ? ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), false)
                    : ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not restore the broadcast model", e);
        }
    }

    /**
     * A task's {@link IllegalArgumentException} (bad input) as itself, so the caller sees core's
     * message rather than Spark's "Job aborted" wrapper; anything else as it came.
     */
    private static RuntimeException rethrowCause(SparkException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException bad) {
                return new IllegalArgumentException(bad.getMessage(), e);
            }
        }
        return new IllegalStateException("The Spark job of the invariance evaluation failed: " + e.getMessage(), e);
    }

    /**
     * Builder with {@link InvarianceEvaluator}'s settings (group, action, layers, metrics,
     * distance, field types, {@code maxExamples}, {@code maxBatch}, {@code maxBatchBytes},
     * seed) and the threads ND4J may use in each task.
     */
    public static final class Builder extends EvaluatorSettings<Builder> {

        private int ndThreadsPerTask = DEFAULT_ND_THREADS_PER_TASK;

        private Builder() {
        }

        /**
         * ND4J's threads in each task (default {@value #DEFAULT_ND_THREADS_PER_TASK}: one per task
         * slot, so k slots use k cores); 0 leaves ND4J's settings as they are.
         *
         * @throws IllegalArgumentException for a negative count
         */
        public Builder ndThreadsPerTask(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("ndThreadsPerTask must be >= 0 (0: leave ND4J's setting), got " + threads);
            }
            this.ndThreadsPerTask = threads;
            return this;
        }

        /** The settings as text, for logs and run descriptions. */
        public Map<String, String> describe() {
            Map<String, String> s = describeSettings();
            s.put("ndThreadsPerTask", String.valueOf(ndThreadsPerTask));
            return s;
        }

        /**
         * @throws IllegalArgumentException as {@link InvarianceEvaluator.Builder#build()}, or for
         *                                  {@code targetPrecision} or {@code sampleElements}, which
         *                                  only the single-machine evaluator supports
         */
        public SparkInvarianceEvaluator build() {
            return new SparkInvarianceEvaluator(buildEvaluator(), ndThreadsPerTask);
        }
    }
}
