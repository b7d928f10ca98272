package org.dl4jinvariance.examples;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import me.tongfei.progressbar.ProgressBar;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.ImageFolder;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.listeners.DataRole;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.listeners.report.HtmlReporter;
import org.dl4jinvariance.listeners.report.ModelDescription;
import org.dl4jinvariance.listeners.report.Reporter;
import org.dl4jinvariance.listeners.report.Reporters;
import org.dl4jinvariance.listeners.report.RunSettings;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.OrbitMetric;
import org.dl4jinvariance.probe.ModelProbe;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code evaluate}: measures a user's saved model on the user's data — how invariant and
 * equivariant each layer is under a group acting on the input images — and writes the same
 * files the experiments write: under {@code --out}, the model's folder (CSV, JSON lines, PNG
 * charts, HTML page, as the listener's reporters write them) and {@code summary.json},
 * {@code invariance-profile.png} and {@code index.html}; the table is printed.
 *
 * <p>Data sets have a role ({@link DataRole}): {@code --data} sets are in distribution and get
 * every metric; {@code --ood} sets are out of distribution and get no metric that compares
 * predictions with their labels (accuracy, {@code accuracy[g]}), which belong to another task,
 * unless {@code --ood-label-metrics} asks for them. The role is shown in the tables, the pages,
 * the CSV's {@code role} column and {@code summary.json}.
 *
 * <p>Order of work, so that every usage error comes before any long step and leaves nothing
 * written: options; {@code --data} and {@code --ood} syntax and paths; the model zip; the input shape; the group
 * acting on that shape; the layers; the data sets at that shape (folder scans, labels against the
 * output width, skipped files and {@code --strict}); the output folder; then the evaluation of
 * every data set (progress bar) and, last, the files.
 */
@Command(name = Evaluate.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure how invariant and equivariant each layer of YOUR saved DL4J model is, on YOUR images.",
                "Writes CSV, JSONL, PNG charts, HTML pages and summary.json under --out, and prints the table."})
public final class Evaluate implements Callable<Integer> {

    static final String NAME = "evaluate";

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A MultiLayerNetwork or "
            + "ComputationGraph saved with DL4J's ModelSerializer (which of the two is read from the zip).")
    Path model;

    @Option(names = "--data", paramLabel = "NAME=SOURCE", description = {"An in-distribution data set to measure on "
            + "(every metric, accuracy included), repeatable (e.g. --data held-out=DIR --data rotated=OTHER_DIR). "
            + "At least one --data or --ood. SOURCE is:",
            "  a folder of images (PNG, JPEG, ...; labels from sub-folder names, none in a flat folder: label metrics "
                    + "are then skipped), read at the model's input size and channels;",
            "  idx:IMAGES_FILE[,LABELS_FILE] (IDX, gzip or raw; a path to a *-images-idx3-ubyte[.gz] file, or a folder "
                    + "holding one, works too);",
            "  embedded:mnist[:OFFSET:COUNT] or embedded:fashion-mnist[:OFFSET:COUNT] (the 10,000 images in this jar)."})
    List<String> data = new ArrayList<>();

    @Option(names = "--ood", paramLabel = "NAME=SOURCE", description = "An out-of-distribution data set, repeatable, "
            + "SOURCE as for --data (e.g. --ood fashion=embedded:fashion-mnist:0:1000). Measured like --data but without "
            + "accuracy against its labels, which belong to another task (see --ood-label-metrics); the role is shown "
            + "on every table and page.")
    List<String> ood = new ArrayList<>();

    @Option(names = "--ood-label-metrics", description = "Also compute accuracy and accuracy[g] on the --ood sets, "
            + "against their own labels: for OOD data that shares the model's label space (e.g. digits in another "
            + "style). Off by default.")
    boolean oodLabelMetrics;

    @Option(names = "--group", paramLabel = "GROUP", description = "C<n> or D<n>, n from 1 to " + CliChecks.MAX_GROUP_N
            + " (default: C4; D1 for --action reflection).")
    String group;

    @Option(names = "--action", paramLabel = "ACTION", description = "How the group acts on images: rotation (C<n>: "
            + "turns by 360/n degrees, D<n>: and mirrors), reflection (D1: left-right mirror) or translation (C<n>: "
            + "cyclic shifts by width/n pixels) (default: ${DEFAULT-VALUE}).")
    String action = "rotation";

    @Option(names = "--layers", split = ",", paramLabel = "LAYER", description = "Layers to probe, by name or index, "
            + "comma-separated (default: every layer).")
    List<String> layers;

    @Option(names = "--metrics", paramLabel = "LIST", description = "Comma-separated metrics (default: all): "
            + "invariance, equivariance, cosineSimilarityRatio, predictionKL, consistency (with accuracy, which needs "
            + "labels).")
    String metrics;

    @Option(names = "--max-examples", paramLabel = "N", description = "Examples measured per data set, at most "
            + "(default: ${DEFAULT-VALUE}).")
    int maxExamples = InvarianceEvaluator.DEFAULT_MAX_EXAMPLES;

    @Option(names = "--scale", paramLabel = "0-1", description = "Pixel scaling: 0-1 (pixel / 255), the default.")
    String scale;

    @Option(names = "--normalize", paramLabel = "MEAN,STD", description = "Instead of --scale: (pixel / 255 - MEAN) / "
            + "STD, e.g. 0.1307,0.3081.")
    String normalize;

    @Option(names = "--input-shape", paramLabel = "C,H,W", description = "The model's input shape, when its "
            + "configuration does not record it (checked against the configuration when it does).")
    String inputShape;

    @Option(names = "--strict", description = "Fail, naming them, when files in a folder are not readable images, "
            + "instead of skipping them with a count.")
    boolean strict;

    @Option(names = "--batch-size", paramLabel = "N", description = "Images read per batch (default: ${DEFAULT-VALUE}).")
    int batchSize = 64;

    @Option(names = "--seed", description = "Seed of the example order and the bootstrap CIs (default: ${DEFAULT-VALUE}).")
    long seed = InvarianceEvaluator.DEFAULT_SEED;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder, created if missing and checked to be "
            + "writable before the evaluation (default: results/evaluate). Each run writes a dated sub-folder "
            + "(e.g. 2026-11-29T12-30-05/), names it in latest.txt and rewrites index.html, a page comparing the runs; "
            + "see --overwrite.")
    Path out;

    @Option(names = "--target-precision", paramLabel = "H", description = "Stop adding examples (in a seeded random "
            + "order, at most --max-examples) once every metric's 95%% CI half-width is at most H; the summary records "
            + "n and whether H was reached. Default: measure --max-examples examples.")
    Double targetPrecision;

    @Option(names = "--sample-elements", paramLabel = "K", description = "Evaluate each example at K of the group's "
            + "elements (the identity and K-1 drawn at random) instead of all; for large groups such as C16. "
            + "Default: every element.")
    Integer sampleElements;

    @Option(names = "--overwrite", description = "Write into --out itself, replacing its previous results, instead of "
            + "a new dated sub-folder (refused when --out holds files that are not results of this program).")
    boolean overwrite;

    /** What a run measured, for the caller and the tests. */
    public record Result(Summary summary, Map<String, InvarianceReport> reports,
                         Map<String, List<ImageFolder.SkippedFile>> skipped, double readSeconds, double evaluateSeconds,
                         double writeSeconds, Path runDir) {
    }

    @Override
    public Integer call() {
        Result result = run();
        System.out.println();
        System.out.println(result.summary().table());
        System.out.println(String.format(Locale.ROOT, "Read and decoded images in %.1f s; measured in %.1f s; wrote the "
                + "files in %.1f s.", result.readSeconds(), result.evaluateSeconds(), result.writeSeconds()));
        System.out.println("Results written to " + result.runDir().toAbsolutePath());
        return 0;
    }

    /**
     * The command with these arguments (as after {@code evaluate} on the command line), parsed but
     * not run: for callers that time {@link #prepare()} and {@link #evaluate(Prepared)} apart.
     *
     * @throws picocli.CommandLine.ParameterException for arguments picocli cannot parse
     */
    public static Evaluate of(String... args) {
        Evaluate command = new Evaluate();
        new picocli.CommandLine(command).parseArgs(args);
        return command;
    }

    Path outputDir() {
        return out != null ? out : Path.of("results", NAME);
    }

    /**
     * Checks everything, evaluates every data set and writes every file: {@link #prepare()} then
     * {@link #evaluate(Prepared)}.
     *
     * @throws UsageException for any value the command refuses, before the evaluation starts
     *                        (and, for what only the evaluation finds, before anything is written)
     */
    public Result run() {
        return evaluate(prepare());
    }

    /**
     * What the checks settled: the model and its probe, the input shape, the action, the probed
     * layers, the metrics, the opened data sets and the output folder (created).
     */
    public record Prepared(ModelFile file, Model net, ModelProbe probe, ImageShape shape, GroupAction action,
                           List<String> layers, List<MetricChoice> metrics, PixelScaling scaling, List<EvalData> sets,
                           Path dir) {
    }

    /**
     * Every check, in the order of the class comment, up to and including the output folder;
     * reads the model and opens the data (IDX and embedded sets are read, folders scanned).
     *
     * @throws UsageException for any value the command refuses
     */
    public Prepared prepare() {
        // 1. Options that need nothing read.
        CliChecks.atLeast("--max-examples", maxExamples, 1, "examples measured per data set");
        CliChecks.atLeast("--batch-size", batchSize, 1, "images read per batch");
        if (targetPrecision != null && !(targetPrecision > 0 && !targetPrecision.isInfinite())) {
            throw new UsageException("--target-precision " + targetPrecision + ": expected a 95% CI half-width above 0, "
                    + "e.g. 0.01");
        }
        if (sampleElements != null) {
            CliChecks.atLeast("--sample-elements", sampleElements, 2, "group elements per example, the identity and "
                    + "at least one other");
        }
        if (data.isEmpty() && ood.isEmpty()) {
            throw new UsageException("no data set: expected at least one --data NAME=SOURCE (in distribution) or "
                    + "--ood NAME=SOURCE (out of distribution)");
        }
        if (oodLabelMetrics && ood.isEmpty()) {
            throw new UsageException("--ood-label-metrics without --ood: it asks for accuracy on out-of-distribution "
                    + "sets; expected at least one --ood NAME=SOURCE");
        }
        List<MetricChoice> chosen = MetricChoice.parse(metrics);
        PixelScaling scaling = PixelScaling.of(scale, normalize);
        ImageShape givenShape = inputShape == null ? null : ImageShape.parse(ModelInput.OPTION, inputShape);
        List<DataSource.Parsed> sources = parseData();
        // 2. The model and what it takes.
        ModelFile file = ModelFile.open(model);
        Model net = file.restore();
        ModelProbe probe = ModelProbe.of(net);
        int outputWidth = outputWidth(probe);
        List<ImageShape> ownShapes = new ArrayList<>();
        for (DataSource.Parsed p : sources) {
            p.source().ownShape(p, outputWidth).ifPresent(ownShapes::add);
        }
        ImageShape shape = ModelInput.resolve(probe, "--model " + model, givenShape, ownShapes);
        GroupAction groupAction = groupAction(shape);
        if (sampleElements != null && sampleElements > groupAction.group().order()) {
            throw new UsageException("--sample-elements " + sampleElements + ": expected at most "
                    + groupAction.group().order() + ", the order of " + groupAction.group().name());
        }
        List<String> probed = probedLayers(probe);
        // 3. The data at that shape.
        DataSource.Reading reading = new DataSource.Reading(batchSize, scaling, strict);
        List<EvalData> sets = new ArrayList<>();
        for (DataSource.Parsed p : sources) {
            EvalData d = p.source().open(p, shape, reading);
            if (d.labelled() && outputWidth > 0 && d.classes() != outputWidth && chosen.contains(MetricChoice.CONSISTENCY)
                    && labelMetrics(d)) {
                throw new UsageException(p.option() + ": its labels have " + d.classes() + " classes but the model's "
                        + "output layer has " + outputWidth + "; expected one class per output");
            }
            sets.add(d);
        }
        // 4. Last check: the output folder (creates it).
        Path dir = outputDir();
        CliChecks.writableOutputDir(dir);
        return new Prepared(file, net, probe, shape, groupAction, probed, chosen, scaling, sets, dir);
    }

    /**
     * The evaluation part of the command: every data set measured (with a progress bar), then the
     * model's reports and the summary written. Time spent reading and decoding images is counted
     * apart ({@link Result#readSeconds()}).
     *
     * @throws UsageException when the evaluator refuses a data set (e.g. its labels), before any file is written
     */
    public Result evaluate(Prepared p) {
        ModelFile file = p.file();
        Model net = p.net();
        ModelProbe probe = p.probe();
        GroupAction groupAction = p.action();
        List<String> probed = p.layers();
        List<MetricChoice> chosen = p.metrics();
        List<EvalData> sets = p.sets();
        Path dir = p.dir();
        // Evaluate every data set; nothing is written until all succeeded.
        Map<String, InvarianceReport> reports = new LinkedHashMap<>();
        Map<String, Long> millis = new LinkedHashMap<>();
        Map<String, List<ImageFolder.SkippedFile>> skipped = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        double readSeconds = 0;
        long start = System.nanoTime();
        for (EvalData d : sets) {
            List<OrbitMetric> metricsFor = metricsFor(chosen, d, notes);
            InvarianceEvaluator evaluator = evaluator(groupAction, probed, metricsFor);
            if (!labelMetrics(d)) {
                evaluator = evaluator.withoutLabelMetrics();
            }
            long t0 = System.nanoTime();
            TimedIterator it;
            try (ProgressBar bar = progressBar(d)) {
                it = new TimedIterator(d.iterator(), bar);
                reports.put(d.name(), evaluator.evaluate(probe, it));
            } catch (IllegalArgumentException e) {
                // The evaluator's refusals are about the inputs (shapes, labels): name the data set.
                throw new UsageException(d.option() + ": " + e.getMessage());
            }
            millis.put(d.name(), (System.nanoTime() - t0) / 1_000_000);
            readSeconds += it.readSeconds();
            skipped.put(d.name(), d.skipped());
        }
        double evaluateSeconds = (System.nanoTime() - start) / 1e9 - readSeconds;

        // Files: the model's folder through the listener's reporters, then the summary.
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("model", model.toString());
        settings.put("modelType", file.describe());
        settings.put("inputShape", p.shape().toString());
        settings.put("group", groupAction.group().name());
        settings.put("action", groupAction.describe());
        settings.put("scaling", p.scaling().toString());
        settings.put("maxExamples", maxExamples);
        settings.put("seed", seed);
        // A run never appends to another run's files: its own dated folder, or --overwrite clears --out.
        RunFolder folder = RunFolder.create(dir, overwrite);
        Map<String, DataRole> roles = new LinkedHashMap<>();
        sets.forEach(d -> roles.put(d.name(), d.role()));
        writeModelReports(folder.dir().resolve(file.id()), file.id(), net, reports, roles, millis, settings);
        Summary summary = summary(file, net, reports, sets, chosen, settings, skipped, notes, readSeconds,
                evaluateSeconds, folder);
        summary.write();
        double writeSeconds = (System.nanoTime() - start) / 1e9 - readSeconds - evaluateSeconds;
        return new Result(summary, reports, skipped, readSeconds, evaluateSeconds, writeSeconds, folder.dir());
    }

    /** Every --data, then every --ood value, parsed; one name per data set across both options. */
    private List<DataSource.Parsed> parseData() {
        List<DataSource.Parsed> parsed = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (DataRole role : DataRole.values()) {
            for (String arg : role.outOfDistribution() ? ood : data) {
                DataSource.Parsed p = DataSource.parse(role, arg);
                if (!names.add(p.name())) {
                    throw new UsageException(p.option() + ": the name '" + p.name() + "' is used by another --data "
                            + "or --ood; expected a different NAME per data set");
                }
                parsed.add(p);
            }
        }
        return parsed;
    }

    /**
     * True when accuracy against {@code d}'s labels is measured: in-distribution sets, and
     * out-of-distribution sets under {@code --ood-label-metrics}.
     */
    private boolean labelMetrics(EvalData d) {
        return !d.role().outOfDistribution() || oodLabelMetrics;
    }

    /** The output layer's nOut, or −1 when its configuration does not say (e.g. a LossLayer). */
    static int outputWidth(ModelProbe probe) {
        return probe.layerConfig(probe.outputLayer()) instanceof FeedForwardLayer ff && ff.getNOut() > 0
                ? (int) ff.getNOut() : -1;
    }

    /**
     * The group action of --action and --group, checked on one image of the input shape (a
     * rotation by 90° needs a square; cyclic shifts by width/n need n to divide the width).
     */
    GroupAction groupAction(ImageShape shape) {
        String kind = action.trim().toLowerCase(Locale.ROOT);
        GroupAction a;
        switch (kind) {
            case "rotation" -> a = ImageActions.rotation(CliChecks.group("--group", group != null ? group : "C4"));
            case "reflection" -> {
                if (group != null && !group.trim().equalsIgnoreCase("D1")) {
                    throw new UsageException("--group " + group + " with --action reflection: expected D1 (or no --group)"
                            + "; for turns and mirrors together use --action rotation --group D<n>");
                }
                a = ImageActions.reflection();
            }
            case "translation" -> {
                PlanarGroup g = CliChecks.group("--group", group != null ? group : "C4");
                if (g.order() > g.rotations()) { // D<n>: it has mirrors
                    throw new UsageException("--group " + group + " with --action translation: expected C<n> (cyclic "
                            + "shifts); D<n> acts by rotation");
                }
                int n = g.order();
                if (shape.width() % n != 0) {
                    throw new UsageException("--group " + g.name() + " with --action translation on inputs " + shape
                            + ": expected a group order that divides the width " + shape.width()
                            + " (shifts of width/n pixels)");
                }
                a = ImageActions.cyclicTranslation(shape.width() / n, 0, n);
            }
            default -> throw new UsageException("--action " + action + ": expected rotation, reflection or translation");
        }
        try {
            a.orbit(Nd4j.zeros(1, shape.channels(), shape.height(), shape.width()));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--group " + a.group().name() + " --action " + kind + " on inputs " + shape + ": "
                    + e.getMessage());
        }
        return a;
    }

    private List<String> probedLayers(ModelProbe probe) {
        if (layers == null) {
            return probe.layerNames();
        }
        List<String> keys = new ArrayList<>();
        for (String layer : layers) {
            try {
                keys.add(probe.resolve(layer.trim()));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--layers " + String.join(",", layers) + ": " + e.getMessage());
            }
        }
        return keys;
    }

    /**
     * The chosen metrics; for unlabeled data, without those whose every key needs labels, and
     * with a note on what is left out (consistency stays, its accuracy keys go).
     */
    private static List<OrbitMetric> metricsFor(List<MetricChoice> chosen, EvalData d, List<String> notes) {
        List<OrbitMetric> out = new ArrayList<>();
        for (MetricChoice c : chosen) {
            OrbitMetric m = c.metric();
            if (m.needsLabelsForEveryKey() && !d.labelled()) {
                notes.add(d.name() + " has no labels (" + d.source() + "): " + c.key() + " is left out");
                continue;
            }
            if (m.needsLabels() && !d.labelled()) {
                notes.add(d.name() + " has no labels (" + d.source() + "): accuracy is left out (" + c.key()
                        + ", which needs none, is reported)");
            }
            out.add(m);
        }
        if (out.isEmpty()) {
            throw new UsageException(MetricChoice.OPTION + " " + chosen.stream().map(MetricChoice::key).toList()
                    + ": every metric chosen needs labels, and " + d.option() + " has none; "
                    + "expected a metric without labels too (e.g. invariance)");
        }
        return out;
    }

    private InvarianceEvaluator evaluator(GroupAction a, List<String> probed, List<OrbitMetric> chosen) {
        InvarianceEvaluator.Builder b = InvarianceEvaluator.builder().inputAction(a).layers(probed).metrics(chosen)
                .maxExamples(maxExamples).seed(seed);
        if (targetPrecision != null) {
            b.targetPrecision(targetPrecision);
        }
        if (sampleElements != null) {
            b.sampleElements(sampleElements);
        }
        return b.build();
    }

    private ProgressBar progressBar(EvalData d) {
        return Bars.open("evaluate " + d.name(), Math.min(d.examples(), maxExamples), " images");
    }

    /**
     * CSV, JSON lines, charts and the HTML page of the model, as the listener's reporters write
     * them (with each data set's role, and the model's architecture); the page links back to the
     * run's summary in the folder above, as the experiments' model pages do.
     */
    private static void writeModelReports(Path modelDir, String modelName, Model net,
                                          Map<String, InvarianceReport> reports, Map<String, DataRole> roles,
                                          Map<String, Long> millis, Map<String, Object> settings) {
        List<Reporter> reporters = List.of(Reporters.csv(modelDir), Reporters.jsonLines(modelDir),
                Reporters.charts(modelDir), new HtmlReporter(modelDir).linkBack("../index.html", "the run's summary"));
        Map<String, String> values = new LinkedHashMap<>();
        settings.forEach((k, v) -> values.put(k, String.valueOf(v)));
        values.put("parameters", String.valueOf(net.numParams()));
        RunSettings run = new RunSettings(runId(), List.copyOf(reports.keySet()), values, roles,
                ModelDescription.of(net, modelName));
        int epoch = epochCount(net);
        try {
            for (Reporter r : reporters) {
                r.start(run);
            }
            for (Map.Entry<String, InvarianceReport> e : reports.entrySet()) {
                EpochReport record = EpochReport.of(epoch, e.getKey(), e.getValue(), millis.get(e.getKey()))
                        .withRole(roles.get(e.getKey()));
                for (Reporter r : reporters) {
                    r.record(record);
                }
            }
            for (Reporter r : reporters) {
                r.epochEnd(epoch);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot write the reports under " + modelDir + ": " + e.getMessage(), e);
        }
    }

    /** The epochs the saved model was trained for, as DL4J counted them (the x of the charts). */
    static int epochCount(Model net) {
        if (net instanceof MultiLayerNetwork mln) {
            return mln.getEpochCount();
        }
        return ((ComputationGraph) net).getConfiguration().getEpochCount();
    }

    private static String runId() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    private Summary summary(ModelFile file, Model net, Map<String, InvarianceReport> reports, List<EvalData> sets,
                            List<MetricChoice> chosen, Map<String, Object> settings,
                            Map<String, List<ImageFolder.SkippedFile>> skipped,
                            List<String> notes, double readSeconds, double evaluateSeconds, RunFolder folder) {
        Summary summary = new Summary(NAME, settings, String.format(Locale.ROOT, "%s (%s), %s acting by %s on %s inputs, "
                        + "at most %d examples per data set, seed %d", model.getFileName(), file.describe(),
                settings.get("group"), action.trim().toLowerCase(Locale.ROOT), settings.get("inputShape"), maxExamples,
                seed), layout(sets, chosen, oodLabelMetrics), folder);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("model", model.toString());
        extra.put("epochs", epochCount(net));
        summary.add(new Summary.Entry(file.id(), file.id(), net.numParams(), Double.NaN, reports, extra));
        Map<String, Object> data = new LinkedHashMap<>();
        for (EvalData d : sets) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", d.source());
            m.put("role", d.role().name());
            m.put("labelMetrics", labelMetrics(d) && d.labelled());
            m.put("examples", reports.get(d.name()).settings().get("n"));
            m.put("labelled", d.labelled());
            m.put("skipped", skipped.get(d.name()).size());
            m.put("skippedFiles", skipped.get(d.name()).stream().map(ImageFolder.SkippedFile::toString).toList());
            data.put(d.name(), m);
        }
        summary.put("dataSets", data);
        summary.put("readSeconds", readSeconds);
        summary.put("evaluateSeconds", evaluateSeconds);
        if (!notes.isEmpty()) {
            summary.put("notes", notes);
        }
        StringBuilder body = new StringBuilder();
        for (EvalData d : sets) {
            body.append(String.format(Locale.ROOT, "%s (%s): %s examples measured, skipped files: %d%s%n", d.name(),
                    roleText(d), reports.get(d.name()).settings().get("n"), skipped.get(d.name()).size(),
                    d.labelled() ? ", " + d.classes() + " classes" : ", no labels"));
        }
        notes.forEach(n -> body.append("Note: ").append(n).append('\n'));
        summary.section("Data sets", body.toString());
        return summary;
    }

    /** The role as the Data sets section says it, e.g. "out of distribution: no accuracy against its labels". */
    private String roleText(EvalData d) {
        if (!d.role().outOfDistribution()) {
            return d.role().label();
        }
        return d.role().label() + (oodLabelMetrics ? ": accuracy against its own labels (--ood-label-metrics)"
                : ": no accuracy against its labels");
    }

    /** A data set's name in table headers: out-of-distribution sets are marked "(OOD)", as in the experiments. */
    static String header(EvalData d) {
        return d.role().outOfDistribution() ? d.name() + " (OOD)" : d.name();
    }

    /**
     * The model table: per data set, accuracy as given (labelled data whose labels are measured:
     * in distribution, or out of distribution with {@code oodLabelMetrics}) and prediction KL; the
     * per-layer table and profile: the first chosen of normalized invariance, normalized
     * equivariance, cosine similarity ratio, prediction KL, consistency. Out-of-distribution
     * sets are marked "(OOD)" in every header.
     */
    static Summary.Layout layout(List<EvalData> sets, List<MetricChoice> chosen, boolean oodLabelMetrics) {
        List<Summary.Column> columns = new ArrayList<>();
        for (EvalData d : sets) {
            boolean accuracy = !d.role().outOfDistribution() || oodLabelMetrics;
            if (d.labelled() && accuracy && chosen.contains(MetricChoice.CONSISTENCY)) {
                columns.add(Summary.Column.accuracyAsGiven("accuracy (" + header(d) + ")", d.name()));
            }
            if (chosen.contains(MetricChoice.PREDICTION_KL)) {
                columns.add(Summary.Column.output("prediction KL (" + header(d) + ")", d.name(), MetricKeys.PREDICTION_KL));
            }
        }
        String metric;
        String caption;
        if (chosen.contains(MetricChoice.INVARIANCE)) {
            metric = MetricKeys.INVARIANCE_NORMALIZED;
            caption = Summary.NORMALIZED_CAPTION;
        } else if (chosen.contains(MetricChoice.EQUIVARIANCE)) {
            metric = MetricKeys.EQUIVARIANCE_NORMALIZED;
            caption = "Normalized latent equivariance (0 = equivariant, 1 = as far as random inputs)";
        } else {
            metric = chosen.get(0).key();
            caption = metric + " per layer";
        }
        List<Summary.LayerColumn> layerColumns = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (EvalData d : sets) {
            layerColumns.add(new Summary.LayerColumn(header(d), d.name(), metric));
            names.add(d.name());
        }
        return new Summary.Layout(columns, caption, layerColumns, metric, names);
    }
}
