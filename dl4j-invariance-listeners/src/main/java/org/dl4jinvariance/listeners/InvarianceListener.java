package org.dl4jinvariance.listeners;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.listeners.report.ModelDescription;
import org.dl4jinvariance.listeners.report.Reporter;
import org.dl4jinvariance.listeners.report.Reporters;
import org.dl4jinvariance.listeners.report.RunSettings;
import org.dl4jinvariance.metric.CallbackFailures;
import org.dl4jinvariance.metric.EvaluationProgress;
import org.dl4jinvariance.metric.EvaluatorSettings;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.OrbitMetric;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DL4J {@code TrainingListener} that measures, at the end of every N-th epoch, how invariant
 * and equivariant each layer is on every data set it is given (held-out, out of distribution,
 * ...), keeps the reports, and hands them to {@link Reporter}s (log table, CSV, JSON lines, PNG
 * charts, HTML page, DL4J stats storage).
 *
 * <pre>{@code
 * InvarianceListener listener = InvarianceListener.builder()
 *         .inputAction(ImageActions.rotation(Groups.c4()))
 *         .evaluate("heldOut", Datasets.mnist().iterator(250, 8_000, 1_000))
 *         .evaluate("ood-fashion", Datasets.fashionMnist().iterator(250, 0, 1_000))
 *         .reportTo(Reporters.log(), Reporters.csv(dir), Reporters.charts(dir), Reporters.html(dir))
 *         .build();
 * net.addListeners(listener);
 * net.fit(train, 5);
 * listener.history();   // every (epoch, data set, InvarianceReport)
 * }</pre>
 *
 * <p><b>Epochs.</b> DL4J calls {@code onEpochEnd} before it increments its epoch counter; a
 * record is labelled with the number of completed epochs, so the first epoch's record has
 * epoch 1. This holds for {@code MultiLayerNetwork} and {@code ComputationGraph}, for
 * {@code fit(iterator)}, {@code fit(iterator, epochs)} and DL4J's {@code EarlyStoppingTrainer}
 * (which restarts its own count at 0). {@code fit(DataSet)} has no epochs and triggers nothing.
 *
 * <p><b>Training is never changed.</b> The evaluation runs one inference-mode forward pass per
 * chunk through {@link InvarianceEvaluator} and draws no ND4J random numbers, so parameters,
 * updater state and the random stream of dropout are exactly those of a run without the
 * listener. Evaluation iterators are reset before and after use.
 *
 * <p><b>Failures stay inside.</b> An evaluation that throws (bad data, a shape the action cannot
 * transform, ...) or a reporter that throws (a disk that cannot be written) is logged with its
 * cause and recorded in {@link #history()} as a failure record; training and the other data sets
 * and reporters carry on. NaN activations give NaN values and a warning. This holds for every
 * {@code Throwable}, errors included: a {@code StackOverflowError} (a deep recursion in a
 * reporter), an {@code OutOfMemoryError} (a chart too large for the heap: its memory is free
 * again once the reporter's frames are gone), an {@code InternalError} or a plain {@code Error}
 * (the JDK's font and image code throws both on a server without fonts), a
 * {@code LinkageError} or an {@code AssertionError}. Only two kinds pass through, because
 * swallowing them would be wrong rather than safe (see {@link #passesThrough(Throwable)}):
 * {@code ThreadDeath}, which is a request to stop the thread and not a failure, and the
 * {@code VirtualMachineError}s that say the JVM itself is broken ({@code UnknownError}, and any
 * subclass a later JVM adds other than the three above). An {@code InterruptedException} is
 * recorded too, and the thread's interrupt flag is set again so that whoever interrupted
 * training still sees it.
 *
 * <p><b>Progress.</b> Each evaluation takes a while (up to {@code maxExamples} examples × |G|
 * forward rows per data set): {@link EvaluatorSettings#progress} sets an
 * {@link EvaluationProgress} that is told, per data set and epoch, how many examples are measured
 * (the examples' CLI draws it as a progress bar). It changes no report, and one that throws is
 * logged and dropped for that evaluation.
 *
 * <p><b>The same examples every time.</b> An evaluation iterator is reset before each use, so
 * every epoch is measured on the same examples. An iterator that does not support
 * {@code reset()} can therefore be evaluated once only: each later evaluation of that data set
 * is a failure record naming it, and the iterator is not touched again (measuring whatever
 * examples it yields next would make epochs incomparable without saying so).
 */
public final class InvarianceListener extends BaseTrainingListener {

    private static final Logger log = LoggerFactory.getLogger(InvarianceListener.class);

    /** Default number of examples evaluated per data set. */
    public static final int DEFAULT_MAX_EXAMPLES = 1000;

    private final InvarianceEvaluator evaluator;
    /** The evaluator of out-of-distribution sets: the same, without label metrics unless asked for. */
    private final InvarianceEvaluator oodEvaluator;
    private final Map<String, DataSetIterator> dataSets;
    private final Map<String, DataRole> roles;
    private final String modelName;
    private final List<Reporter> reporters;
    private final int everyEpochs;
    private final String runId;
    private final Map<String, String> describedSettings;
    private final List<EpochReport> history = Collections.synchronizedList(new ArrayList<>());
    /** Data-set name → the epoch of its first evaluation; an iterator without reset() is used up there. */
    private final Map<String, Integer> firstUse = new HashMap<>();
    private boolean started;

    private InvarianceListener(Builder b, InvarianceEvaluator evaluator) {
        this.evaluator = evaluator;
        this.oodEvaluator = b.oodLabelMetrics ? evaluator : evaluator.withoutLabelMetrics();
        this.dataSets = Collections.unmodifiableMap(new LinkedHashMap<>(b.dataSets));
        this.roles = Collections.unmodifiableMap(new LinkedHashMap<>(b.roles));
        this.modelName = b.modelName;
        // Not added to the builder: a second build() must not get a second log reporter.
        this.reporters = b.reportersSet ? List.copyOf(b.reporters) : List.of(Reporters.log());
        this.everyEpochs = b.everyEpochs;
        this.runId = b.runId != null ? b.runId : newRunId();
        this.describedSettings = describe(b, evaluator, reporters);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every record so far, in the order it was made: reports and failures. */
    public List<EpochReport> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** The successful reports of one data set, by epoch. */
    public Map<Integer, InvarianceReport> history(String dataSet) {
        if (!dataSets.containsKey(dataSet)) {
            throw new IllegalArgumentException("No data set '" + dataSet + "'; this listener evaluates " + dataSets.keySet());
        }
        Map<Integer, InvarianceReport> out = new LinkedHashMap<>();
        for (EpochReport r : history()) {
            if (!r.failed() && dataSet.equals(r.dataSet())) {
                out.put(r.epoch(), r.report());
            }
        }
        return out;
    }

    /** The data sets' names, in evaluation order. */
    public List<String> dataSetNames() {
        return List.copyOf(dataSets.keySet());
    }

    /** The role of {@code dataSet} as given to {@link Builder#evaluate(String, DataSetIterator, DataRole)}. */
    public DataRole role(String dataSet) {
        DataRole role = roles.get(dataSet);
        if (role == null) {
            throw new IllegalArgumentException("No data set '" + dataSet + "'; this listener evaluates " + dataSets.keySet());
        }
        return role;
    }

    /** The run's id, as written into the reporters' files. */
    public String runId() {
        return runId;
    }

    /** The evaluator this listener runs (group, action, layers, metrics, ...). */
    public InvarianceEvaluator evaluator() {
        return evaluator;
    }

    /** How the run is watched, as handed to the reporters (the model is known after the first evaluation). */
    public RunSettings settings(Model model) {
        Map<String, String> values = new LinkedHashMap<>(describedSettings);
        ModelDescription description = null;
        if (model != null) {
            description = ModelDescription.of(model, modelName);
            values.put("model", description.name() + " (" + description.type() + ")");
            values.put("parameters", String.valueOf(model.numParams()));
        }
        return new RunSettings(runId, dataSetNames(), values, roles, description);
    }

    @Override
    public void onEpochEnd(Model model) {
        Integer counted = epochCount(model);
        if (counted == null) {
            log.warn("InvarianceListener supports MultiLayerNetwork and ComputationGraph, not {}; nothing measured",
                    model == null ? "null" : model.getClass().getName());
            return;
        }
        // DL4J has not incremented its counter yet: the epoch that just ended is number counted + 1.
        int completed = counted + 1;
        if (completed % everyEpochs == 0) {
            // The layers still hold training inputs from a closed workspace here; the probe
            // clears rather than restores those (MultiLayerProbe.LayerState), as DL4J does next.
            evaluate(model, completed);
        }
    }

    /**
     * Evaluates every data set now and reports the records under the current number of completed
     * epochs (0 before training: a baseline point for the charts). Never throws for failures of
     * the evaluation or of a reporter; they are logged and recorded.
     *
     * @return the records made
     */
    public List<EpochReport> evaluateNow(Model model) {
        Integer counted = epochCount(model);
        if (counted == null) {
            throw new IllegalArgumentException("InvarianceListener needs a MultiLayerNetwork or a ComputationGraph, got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        return evaluate(model, counted);
    }

    private synchronized List<EpochReport> evaluate(Model model, int epoch) {
        if (!started) {
            started = true;
            RunSettings settings = settings(model);
            for (Reporter reporter : reporters) {
                try {
                    reporter.start(settings);
                } catch (Throwable e) {
                    reporterFailed(epoch, reporter, null, contain(e));
                }
            }
        }
        double score = trainingScore(model, epoch);
        for (Reporter reporter : reporters) {
            try {
                reporter.trainingScore(epoch, score);
            } catch (Throwable e) {
                reporterFailed(epoch, reporter, null, contain(e));
            }
        }
        List<EpochReport> made = new ArrayList<>();
        for (Map.Entry<String, DataSetIterator> data : dataSets.entrySet()) {
            EpochReport record = evaluateOne(model, epoch, data.getKey(), data.getValue());
            history.add(record);
            made.add(record);
            deliver(record);
        }
        for (Reporter reporter : reporters) {
            try {
                reporter.epochEnd(epoch);
            } catch (Throwable e) {
                reporterFailed(epoch, reporter, null, contain(e));
            }
        }
        return made;
    }

    private EpochReport evaluateOne(Model model, int epoch, String name, DataSetIterator it) {
        Integer usedUp = firstUse.get(name);
        if (usedUp != null && !it.resetSupported()) {
            IllegalStateException e = new IllegalStateException("Data set '" + name + "' cannot be evaluated again "
                    + "after epoch " + epoch + ": its iterator (" + it.getClass().getName() + ") does not support "
                    + "reset(), and its examples were used by the evaluation after epoch " + usedUp + ". Every "
                    + "evaluation must see the same examples: pass a resettable iterator to evaluate(\"" + name
                    + "\", ...)");
            log.warn("{}; training goes on", e.getMessage());
            return EpochReport.evaluationFailed(epoch, name, e, 0).withRole(roles.get(name));
        }
        firstUse.putIfAbsent(name, epoch);
        long t0 = System.nanoTime();
        try {
            resetIfSupported(it);
            DataRole role = roles.get(name);
            InvarianceReport report = evaluatorFor(role, name, epoch).evaluate(model, it);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            warnOnNaN(epoch, name, report);
            return EpochReport.of(epoch, name, report, ms).withRole(role);
        } catch (Throwable e) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            log.warn("Invariance evaluation of data set '{}' after epoch {} failed; training goes on. Cause: {}",
                    name, epoch, contain(e).toString(), e);
            return EpochReport.evaluationFailed(epoch, name, e, ms).withRole(roles.get(name));
        } finally {
            try {
                resetIfSupported(it);
            } catch (Throwable e) {
                log.warn("Could not reset the iterator of data set '{}': {}", name, contain(e).toString());
            }
        }
    }

    /**
     * The evaluator of a data set in {@code role}, its progress callback (if any) told the data
     * set's name and the epoch.
     */
    private InvarianceEvaluator evaluatorFor(DataRole role, String name, int epoch) {
        InvarianceEvaluator chosen = role.outOfDistribution() ? oodEvaluator : evaluator;
        EvaluationProgress progress = chosen.progress();
        return progress == EvaluationProgress.NONE ? chosen
                : chosen.withProgress(progress.forDataSet(name).forEpoch(epoch));
    }

    /** Hands a record to every reporter; a reporter's failure is recorded and shown to the others. */
    private void deliver(EpochReport record) {
        for (Reporter reporter : reporters) {
            try {
                reporter.record(record);
            } catch (Throwable e) {
                EpochReport failure = reporterFailed(record.epoch(), reporter, record.dataSet(), contain(e));
                for (Reporter other : reporters) {
                    if (other != reporter) {
                        try {
                            other.record(failure);
                        } catch (Throwable again) {
                            log.warn("Reporter {} also failed on the failure record of {}: {}", nameOf(other),
                                    nameOf(reporter), contain(again).toString());
                        }
                    }
                }
            }
        }
    }

    private EpochReport reporterFailed(int epoch, Reporter reporter, String dataSet, Throwable e) {
        String name = nameOf(reporter);
        log.warn("Reporter {} failed after epoch {}{}; training goes on. Cause: {}", name, epoch,
                dataSet == null ? "" : " on data set '" + dataSet + "'", e.toString(), e);
        EpochReport failure = EpochReport.reporterFailed(epoch, name, dataSet, e);
        history.add(failure);
        return failure;
    }

    /**
     * The reporter's {@link Reporter#name()}, or its class name when {@code name()} throws or
     * gives a blank: the name goes into failure records, and a reporter that cannot even name
     * itself must still not break training.
     */
    static String nameOf(Reporter reporter) {
        try {
            String name = reporter.name();
            if (name != null && !name.isBlank()) {
                return name;
            }
        } catch (Throwable e) {
            contain(e);
        }
        return reporter.getClass().getName();
    }

    /**
     * True for the throwables a listener lets through instead of recording, see the class
     * comment: the project's one rule for failing callbacks, {@link CallbackFailures#passesThrough}.
     */
    static boolean passesThrough(Throwable t) {
        return CallbackFailures.passesThrough(t);
    }

    /**
     * Rethrows what {@link #passesThrough passes through} and gives back the rest to be recorded;
     * an {@code InterruptedException} sets the thread's interrupt flag again, which throwing it
     * cleared, so the interrupt is not lost.
     */
    private static Throwable contain(Throwable t) {
        if (passesThrough(t)) {
            throw (Error) t; // every throwable that passes through is an Error
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return t;
    }

    /** The model's last minibatch loss, NaN before training (epoch 0) or when the model cannot say. */
    private static double trainingScore(Model model, int epoch) {
        if (epoch == 0) {
            return Double.NaN;
        }
        try {
            return model.score();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static void warnOnNaN(int epoch, String name, InvarianceReport report) {
        List<String> nan = new ArrayList<>();
        report.values().forEach((layer, metrics) -> metrics.forEach((key, v) -> {
            if (v.isApplicable() && !Double.isFinite(v.mean())) {
                nan.add(layer + "/" + key);
            }
        }));
        if (!nan.isEmpty()) {
            log.warn("Data set '{}' after epoch {}: non-finite values at {} (NaN or infinite activations?)", name, epoch, nan);
        }
    }

    private static void resetIfSupported(DataSetIterator it) {
        if (it.resetSupported()) {
            it.reset();
        }
    }

    /** DL4J's epoch counter, or null for models other than MultiLayerNetwork and ComputationGraph. */
    static Integer epochCount(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return net.getEpochCount();
        }
        if (model instanceof ComputationGraph graph) {
            return graph.getConfiguration().getEpochCount();
        }
        return null;
    }

    private static String newRunId() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    private static Map<String, String> describe(Builder b, InvarianceEvaluator evaluator, List<Reporter> reporters) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("group", evaluator.group().name() + " (order " + evaluator.group().order() + ")");
        s.put("inputAction", evaluator.inputAction().describe());
        s.putAll(b.settings());
        s.put("everyEpochs", String.valueOf(b.everyEpochs));
        s.put("reporters", reporters.stream().map(InvarianceListener::nameOf).collect(Collectors.joining(", ")));
        return s;
    }

    @Override
    public String toString() {
        return "InvarianceListener(run " + runId + ", data sets " + dataSets.keySet() + ", every " + everyEpochs
                + " epoch(s))";
    }

    /**
     * Builder; {@link #inputAction} and at least one {@link #evaluate} are required. Defaults:
     * every layer, the evaluator's default metrics (invariance, equivariance where a field type
     * is known, cosine similarity ratio, prediction KL, consistency and accuracy), cosine
     * distance, 1000 examples per data set, every epoch, {@link Reporters#log()}.
     */
    public static final class Builder extends EvaluatorSettings<Builder> {
        private final Map<String, DataSetIterator> dataSets = new LinkedHashMap<>();
        private final Map<String, DataRole> roles = new LinkedHashMap<>();
        private boolean oodLabelMetrics;
        private String modelName;
        private int everyEpochs = 1;
        private final List<Reporter> reporters = new ArrayList<>();
        private boolean reportersSet;
        private String runId;

        private Builder() {
        }

        /**
         * A data set to evaluate every time, under a name unique within this listener. The name
         * labels rows, chart lines and table columns, so it must be non-blank, without leading or
         * trailing blanks (two names differing only there would print alike) and without control
         * characters (a line break would split the rows of the CSV and the log table). The
         * iterator should support {@code reset()}: one that does not is evaluated once only (see
         * the class comment), and a warning says so now.
         */
        public Builder evaluate(String name, DataSetIterator data) {
            return evaluate(name, data, DataRole.IN_DISTRIBUTION);
        }

        /**
         * An out-of-distribution data set ({@link DataRole#OUT_OF_DISTRIBUTION}): measured like
         * the others, but without the metrics that compare predictions with its labels (accuracy
         * and accuracy per group element), which belong to another task, unless
         * {@link #labelMetricsOutOfDistribution()} asks for them. Name rules as {@link #evaluate(String, DataSetIterator)}.
         */
        public Builder evaluateOutOfDistribution(String name, DataSetIterator data) {
            return evaluate(name, data, DataRole.OUT_OF_DISTRIBUTION);
        }

        /**
         * A data set in the given role; see {@link #evaluate(String, DataSetIterator)} and
         * {@link #evaluateOutOfDistribution(String, DataSetIterator)}.
         */
        public Builder evaluate(String name, DataSetIterator data, DataRole role) {
            if (role == null) {
                throw new IllegalArgumentException("Data set '" + name + "' needs a role (IN_DISTRIBUTION or "
                        + "OUT_OF_DISTRIBUTION), got null");
            }
            requireLabel("A data set name", name);
            if (data == null) {
                throw new IllegalArgumentException("Data set '" + name + "' needs a DataSetIterator, got null");
            }
            if (dataSets.containsKey(name)) {
                throw new IllegalArgumentException("Data set name '" + name + "' is used twice; names must be unique");
            }
            if (!data.resetSupported()) {
                log.warn("The iterator of data set '{}' ({}) does not support reset(): it will be evaluated once, and "
                        + "every later evaluation of it is a failure record. Pass a resettable iterator to measure "
                        + "it every epoch", name, data.getClass().getName());
            }
            dataSets.put(name, data);
            roles.put(name, role);
            return this;
        }

        /**
         * Also compute accuracy on out-of-distribution sets, against their own labels (off by
         * default: for data of another task such an accuracy has no meaning; useful when the OOD
         * set shares the label space, e.g. MNIST digits in another style).
         */
        public Builder labelMetricsOutOfDistribution() {
            this.oodLabelMetrics = true;
            return this;
        }

        /**
         * What reports call the watched model (default: its class name); the architecture and the
         * parameter count are read from the network itself.
         */
        public Builder modelName(String name) {
            requireLabel("modelName", name);
            this.modelName = name;
            return this;
        }

        /** Evaluate after every n-th epoch (default 1: every epoch; at least 1). */
        public Builder everyEpochs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("everyEpochs must be >= 1, got " + n);
            }
            this.everyEpochs = n;
            return this;
        }

        /**
         * Where the records go (default: {@link Reporters#log()}); call with no argument for none.
         * Calls add up. Every reporter must be non-null, given once, and write files no other
         * reporter of this listener writes ({@link Reporter#writesTo()}): two reporters appending
         * to one CSV would write every row twice.
         */
        public Builder reportTo(Reporter... reporters) {
            if (reporters == null) {
                throw new IllegalArgumentException("reportTo(...) needs reporters, got a null array; call reportTo() "
                        + "with no argument for no reporter");
            }
            List<Reporter> all = new ArrayList<>(this.reporters);
            for (int i = 0; i < reporters.length; i++) {
                Reporter r = reporters[i];
                if (r == null) {
                    throw new IllegalArgumentException("reportTo(...) got null as reporter " + (i + 1) + " of "
                            + reporters.length + "; every reporter must be non-null");
                }
                for (Reporter earlier : all) {
                    if (earlier == r) {
                        throw new IllegalArgumentException("reportTo(...) got reporter " + nameOf(r) + " twice; it "
                                + "would receive every record twice");
                    }
                    for (Path file : targets(r)) {
                        if (targets(earlier).contains(file)) {
                            throw new IllegalArgumentException("Reporters " + nameOf(earlier) + " and " + nameOf(r)
                                    + " both write " + file + "; give each reporter its own file or directory");
                        }
                    }
                }
                all.add(r);
            }
            this.reporters.clear();
            this.reporters.addAll(all);
            this.reportersSet = true;
            return this;
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
         * The run id written into every row of the files (default: start time plus a random
         * suffix): non-blank, without leading or trailing blanks or control characters.
         */
        public Builder runId(String runId) {
            requireLabel("runId", runId);
            this.runId = runId;
            return this;
        }

        /** Non-blank, no leading or trailing blanks, no control characters; see {@link #evaluate}. */
        private static void requireLabel(String what, String value) {
            if (value == null || value.isBlank() || !value.equals(value.strip())
                    || value.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException(what + " must be non-blank text without leading or trailing blanks "
                        + "or control characters, got " + (value == null ? "null" : "'" + escapeControls(value) + "'"));
            }
        }

        /** Shows control characters as Java escapes, so that a message about them stays on one line. */
        private static String escapeControls(String s) {
            StringBuilder sb = new StringBuilder();
            for (char c : s.toCharArray()) {
                if (c == '\n') {
                    sb.append("\\n");
                } else if (c == '\r') {
                    sb.append("\\r");
                } else if (c == '\t') {
                    sb.append("\\t");
                } else if (Character.isISOControl(c)) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        private Map<String, String> settings() {
            return describeSettings();
        }

        /**
         * @throws IllegalArgumentException without an input action or data set, or when the
         *                                  group does not match the action
         */
        public InvarianceListener build() {
            if (!hasInputAction()) {
                throw new IllegalArgumentException("InvarianceListener needs an inputAction(...), got none");
            }
            if (dataSets.isEmpty()) {
                throw new IllegalArgumentException("InvarianceListener needs at least one evaluate(name, iterator), got none");
            }
            return new InvarianceListener(this, buildEvaluator());
        }
    }
}
