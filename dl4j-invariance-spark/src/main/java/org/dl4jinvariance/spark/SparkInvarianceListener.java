package org.dl4jinvariance.spark;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.listeners.report.Reporter;
import org.dl4jinvariance.listeners.report.Reporters;
import org.dl4jinvariance.listeners.report.RunSettings;
import org.dl4jinvariance.metric.EvaluatorSettings;
import org.dl4jinvariance.metric.InvarianceReport;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training listener's job for Spark training: after every {@code everyEpochs}-th epoch of a
 * {@code SparkDl4jMultiLayer} or {@code SparkComputationGraph}, evaluates the network on each
 * named {@code JavaRDD<DataSet>} on the cluster ({@link SparkInvarianceEvaluator}) and hands the
 * records to the same {@link Reporter}s as {@code InvarianceListener} (CSV, JSON lines, charts,
 * HTML, DL4J's stats storage): {@link Reporter#start} once, then per evaluated epoch one
 * {@link Reporter#record} per data set and {@link Reporter#epochEnd}.
 *
 * <pre>{@code
 * SparkInvarianceListener listener = SparkInvarianceListener.builder()
 *         .inputAction(ImageActions.rotation(Groups.c4()))
 *         .evaluate("held-out", heldOutRdd)
 *         .reportTo(Reporters.csv(dir))
 *         .build();
 * listener.fit(sparkNet, trainRdd, 5);   // sparkNet.fit(trainRdd), then the evaluation, 5 times
 * }</pre>
 *
 * <p>dl4j-spark has no epoch callback (its training hooks run per minibatch on the workers), so
 * the epochs are driven here: {@link #fit} runs {@code fit(rdd)} once per epoch, or call
 * {@link #onEpochEnd} after each of your own {@code fit} calls. As with {@code InvarianceListener},
 * a failed evaluation or reporter is logged and recorded in {@link #history()}, never thrown into
 * training.
 */
public final class SparkInvarianceListener {

    private static final Logger log = LoggerFactory.getLogger(SparkInvarianceListener.class);

    private final SparkInvarianceEvaluator evaluator;
    private final Map<String, JavaRDD<DataSet>> dataSets;
    private final List<Reporter> reporters;
    private final int everyEpochs;
    private final String runId;
    private final Map<String, String> described;
    private final List<EpochReport> history = Collections.synchronizedList(new ArrayList<>());
    private boolean started;

    private SparkInvarianceListener(Builder b, SparkInvarianceEvaluator evaluator) {
        this.evaluator = evaluator;
        this.dataSets = Collections.unmodifiableMap(new LinkedHashMap<>(b.dataSets));
        this.reporters = b.reportersSet ? List.copyOf(b.reporters) : List.of(Reporters.log());
        this.everyEpochs = b.everyEpochs;
        this.runId = b.runId != null ? b.runId
                : LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                        + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
        Map<String, String> s = new LinkedHashMap<>();
        s.put("group", evaluator.evaluator().group().name() + " (order " + evaluator.evaluator().group().order() + ")");
        s.put("inputAction", evaluator.evaluator().inputAction().describe());
        s.putAll(b.settings());
        s.put("ndThreadsPerTask", String.valueOf(b.ndThreadsPerTask));
        s.put("everyEpochs", String.valueOf(everyEpochs));
        s.put("evaluatedOn", "Spark");
        this.described = s;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The evaluator this listener runs. */
    public SparkInvarianceEvaluator evaluator() {
        return evaluator;
    }

    /** Every record so far (reports and failures), in order. */
    public List<EpochReport> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** The run's id, as written into the reporters' files. */
    public String runId() {
        return runId;
    }

    /**
     * {@code epochs} epochs of Spark training, each {@code network.fit(train)} followed by
     * {@link #onEpochEnd(Model, int)} with epochs numbered 1, 2, …
     *
     * @return the trained network
     */
    public MultiLayerNetwork fit(SparkDl4jMultiLayer network, JavaRDD<DataSet> train, int epochs) {
        requireEpochs(epochs);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            network.fit(train);
            onEpochEnd(network.getNetwork(), epoch);
        }
        return network.getNetwork();
    }

    /** {@link #fit(SparkDl4jMultiLayer, JavaRDD, int)} for a graph. */
    public ComputationGraph fit(SparkComputationGraph network, JavaRDD<DataSet> train, int epochs) {
        requireEpochs(epochs);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            network.fit(train);
            onEpochEnd(network.getNetwork(), epoch);
        }
        return network.getNetwork();
    }

    /**
     * Epoch {@code epoch} (1 = the first) has ended: evaluates every data set when {@code epoch}
     * is a multiple of {@code everyEpochs}. Never throws for a failed evaluation or reporter.
     *
     * @return the records made (empty when this epoch is not evaluated)
     */
    public synchronized List<EpochReport> onEpochEnd(Model network, int epoch) {
        if (epoch % everyEpochs != 0) {
            return List.of();
        }
        if (!started) {
            started = true;
            Map<String, String> values = new LinkedHashMap<>(described);
            if (network != null) {
                values.put("model", network.getClass().getSimpleName());
                values.put("parameters", String.valueOf(network.numParams()));
            }
            RunSettings settings = new RunSettings(runId, List.copyOf(dataSets.keySet()), values);
            for (Reporter r : reporters) {
                try {
                    r.start(settings);
                } catch (Exception e) {
                    reporterFailed(epoch, r, null, e);
                }
            }
        }
        List<EpochReport> made = new ArrayList<>();
        for (Map.Entry<String, JavaRDD<DataSet>> data : dataSets.entrySet()) {
            EpochReport record = evaluate(network, epoch, data.getKey(), data.getValue());
            history.add(record);
            made.add(record);
            for (Reporter r : reporters) {
                try {
                    r.record(record);
                } catch (Exception e) {
                    reporterFailed(epoch, r, record.dataSet(), e);
                }
            }
        }
        for (Reporter r : reporters) {
            try {
                r.epochEnd(epoch);
            } catch (Exception e) {
                reporterFailed(epoch, r, null, e);
            }
        }
        return made;
    }

    private EpochReport evaluate(Model network, int epoch, String name, JavaRDD<DataSet> data) {
        long t0 = System.nanoTime();
        try {
            InvarianceReport report = evaluator.evaluate(network, data);
            return EpochReport.of(epoch, name, report, (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            log.warn("Invariance evaluation of data set '{}' after epoch {} failed on Spark; training goes on. Cause: {}",
                    name, epoch, e.toString(), e);
            return EpochReport.evaluationFailed(epoch, name, e, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private void reporterFailed(int epoch, Reporter reporter, String dataSet, Exception e) {
        log.warn("Reporter {} failed after epoch {}; training goes on. Cause: {}", reporter.name(), epoch, e.toString(), e);
        history.add(EpochReport.reporterFailed(epoch, reporter.name(), dataSet, e));
    }

    private static void requireEpochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("fit needs at least 1 epoch, got " + epochs);
        }
    }

    /**
     * Builder: {@link SparkInvarianceEvaluator}'s settings (those of {@code InvarianceEvaluator}
     * plus {@code ndThreadsPerTask}), the data sets, how often, and where the records go.
     */
    public static final class Builder extends EvaluatorSettings<Builder> {

        private final Map<String, JavaRDD<DataSet>> dataSets = new LinkedHashMap<>();
        private final List<Reporter> reporters = new ArrayList<>();
        private boolean reportersSet;
        private int everyEpochs = 1;
        private String runId;
        private int ndThreadsPerTask = SparkInvarianceEvaluator.DEFAULT_ND_THREADS_PER_TASK;

        private Builder() {
        }

        /**
         * A data set evaluated after every {@code everyEpochs}-th epoch, under a unique non-blank name.
         *
         * @throws IllegalArgumentException for a blank or repeated name or a null RDD
         */
        public Builder evaluate(String name, JavaRDD<DataSet> data) {
            if (name == null || name.isBlank() || !name.equals(name.strip())) {
                throw new IllegalArgumentException("evaluate(name, rdd) needs a non-blank name without leading or trailing "
                        + "blanks, got " + (name == null ? "null" : "'" + name + "'"));
            }
            if (data == null) {
                throw new IllegalArgumentException("evaluate(\"" + name + "\", rdd) got a null RDD");
            }
            if (dataSets.containsKey(name)) {
                throw new IllegalArgumentException("Data set '" + name + "' is given twice; names must be unique");
            }
            dataSets.put(name, data);
            return this;
        }

        /** Evaluate after every n-th epoch (default 1). @throws IllegalArgumentException for n &lt; 1 */
        public Builder everyEpochs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("everyEpochs must be >= 1, got " + n);
            }
            this.everyEpochs = n;
            return this;
        }

        /**
         * Where the records go (default: {@code Reporters.log()}); calls add up. Every reporter
         * must be non-null, given once, and write files no other reporter here writes.
         */
        public Builder reportTo(Reporter... reporters) {
            if (reporters == null) {
                throw new IllegalArgumentException("reportTo(...) needs reporters, got a null array");
            }
            List<Reporter> all = new ArrayList<>(this.reporters);
            Set<Path> files = new HashSet<>();
            all.forEach(r -> files.addAll(targets(r)));
            for (int i = 0; i < reporters.length; i++) {
                Reporter r = reporters[i];
                if (r == null || all.contains(r)) {
                    throw new IllegalArgumentException("reportTo(...) got " + (r == null ? "null" : "a repeated reporter "
                            + r.name()) + " as reporter " + (i + 1) + " of " + reporters.length);
                }
                for (Path f : targets(r)) {
                    if (!files.add(f)) {
                        throw new IllegalArgumentException("Two reporters both write " + f + "; give each its own file or directory");
                    }
                }
                all.add(r);
            }
            this.reporters.clear();
            this.reporters.addAll(all);
            this.reportersSet = true;
            return this;
        }

        /** The run id written into every row (default: start time plus a random suffix). */
        public Builder runId(String runId) {
            if (runId == null || runId.isBlank() || !runId.equals(runId.strip())
                    || runId.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("runId must be non-blank text without leading or trailing blanks or "
                        + "control characters, got " + (runId == null ? "null" : "'" + runId + "'"));
            }
            this.runId = runId;
            return this;
        }

        /** See {@link SparkInvarianceEvaluator.Builder#ndThreadsPerTask}. */
        public Builder ndThreadsPerTask(int threads) {
            SparkInvarianceEvaluator.builder().ndThreadsPerTask(threads);     // the same check
            this.ndThreadsPerTask = threads;
            return this;
        }

        private Map<String, String> settings() {
            return describeSettings();
        }

        private static Set<Path> targets(Reporter r) {
            Set<Path> out = new HashSet<>();
            Set<Path> files = r.writesTo();
            if (files != null) {
                files.forEach(f -> out.add(f.toAbsolutePath().normalize()));
            }
            return out;
        }

        /**
         * @throws IllegalArgumentException without an input action or a data set, as
         *                                  {@code InvarianceEvaluator.Builder.build()}, or for
         *                                  {@code targetPrecision} or {@code sampleElements}
         *                                  (single-machine only)
         */
        public SparkInvarianceListener build() {
            if (!hasInputAction()) {
                throw new IllegalArgumentException("SparkInvarianceListener needs an inputAction(...), got none");
            }
            if (dataSets.isEmpty()) {
                throw new IllegalArgumentException("SparkInvarianceListener needs at least one evaluate(name, rdd), got none");
            }
            return new SparkInvarianceListener(this, new SparkInvarianceEvaluator(buildEvaluator(), ndThreadsPerTask));
        }
    }
}
