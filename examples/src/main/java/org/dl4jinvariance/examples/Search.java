package org.dl4jinvariance.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.arbiter.MultiLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.serde.jackson.JsonMapper;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jinvariance.arbiter.AdamSpaces;
import org.dl4jinvariance.arbiter.CandidateResult;
import org.dl4jinvariance.arbiter.EmbeddedDataSource;
import org.dl4jinvariance.arbiter.FixedJsonLayerSpace;
import org.dl4jinvariance.arbiter.GroupConvolutionSpace;
import org.dl4jinvariance.arbiter.GroupPoolingSpace;
import org.dl4jinvariance.arbiter.GroupSpace;
import org.dl4jinvariance.arbiter.InvarianceScoreFunction;
import org.dl4jinvariance.arbiter.InvarianceSearch;
import org.dl4jinvariance.arbiter.InvarianceTaskListener;
import org.dl4jinvariance.arbiter.LiftingConvolutionSpace;
import org.dl4jinvariance.arbiter.ScoreBreakdown;
import org.dl4jinvariance.arbiter.ScoreData;
import org.dl4jinvariance.arbiter.SearchResult;
import org.dl4jinvariance.arbiter.WidthScaling;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.group.PlanarGroup;
import org.dl4jinvariance.listeners.InvarianceListener;
import org.dl4jinvariance.metric.EvaluationProgress;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.MetricValue;
import org.nd4j.linalg.activations.Activation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * An Arbiter random search whose score sees invariance: plain vs C4 vs D4 convolutions and their
 * widths, trained on embedded MNIST, scored by held-out accuracy and by how invariant the
 * predictions are on out-of-distribution data (Fashion-MNIST, prediction KL under C4).
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Arbiter random search over plain, C4 and D4 convolutions and their widths on MNIST, scored by "
                + "held-out accuracy and prediction invariance on Fashion-MNIST (out of distribution).",
                "Prints the ranked candidates; writes ranking.csv, accuracy-vs-invariance.png, the search space and score "
                        + "function as JSON, and each candidate's invariance curves under candidate-<i>/."})
public final class Search implements Callable<Integer> {

    static final String NAME = "search";
    private static final int BATCH = 64;

    @Mixin
    ExperimentOptions options = defaults();

    @Option(names = "--candidates", description = "Candidates to try, failures included (default: ${DEFAULT-VALUE}).")
    int candidates = 6;

    @Option(names = "--groups", split = ",", description = "Groups to choose from: plain, C<n>, D<n> (default: ${DEFAULT-VALUE}).")
    List<String> groups = new ArrayList<>(List.of("plain", "C4", "D4"));

    @Option(names = "--widths", split = ",", description = "Widths of the first convolution in plain-channel equivalents; "
            + "the second is twice as wide. Equivariant layers get width/sqrt|G| fields, about the plain layer's "
            + "parameters (default: ${DEFAULT-VALUE}).")
    List<Integer> widths = new ArrayList<>(List.of(8, 16));

    @Option(names = "--test-group", description = "The group the invariance is measured under (default: ${DEFAULT-VALUE}).")
    String testGroup = "C4";

    @Option(names = "--kl-weight", description = "λ in score = accuracy − λ · prediction KL (default: ${DEFAULT-VALUE}).")
    double klWeight = 0.1;

    @Option(names = "--learning-rate", description = "Adam's learning rate (β1 0.9, β2 0.999, ε 1e-8; "
            + "default: ${DEFAULT-VALUE}).")
    double learningRate = 5e-3;

    @Option(names = "--max-kl", description = "Optional bound: candidates with a larger OOD prediction KL rank last "
            + "(\"the most accurate model at least this invariant\").")
    Double maxKl;

    private static ExperimentOptions defaults() {
        ExperimentOptions o = new ExperimentOptions();
        o.epochs = 2;
        o.trainSize = 3_000;
        o.evalSize = 500;
        return o;
    }

    @Override
    public Integer call() {
        SearchResult result = run();
        System.out.println();
        System.out.println(table(result));
        System.out.println("Results written to " + options.resultsDir(NAME).toAbsolutePath());
        return 0;
    }

    /**
     * Runs the search and writes every file; returns the result.
     *
     * @throws UsageException before training, for an option out of range or an unwritable --out
     */
    public SearchResult run() {
        // Every option is checked, and the output folder made, before any candidate is built or trained.
        validate();
        Path out = options.prepareOutputDir(NAME);
        MultiLayerSpace space = space();
        SearchBars bars = new SearchBars((options.trainSize + BATCH - 1) / BATCH, options.epochs);
        InvarianceScoreFunction score = scoreFunction(bars.scoring());
        int heldOutStart = Datasets.mnist().size() - options.evalSize;
        InvarianceTaskListener perCandidate = InvarianceTaskListener.of(candidate -> InvarianceListener.builder()
                .inputAction(score.inputAction())
                .evaluate(Summary.MNIST, Datasets.mnist().iterator(250, heldOutStart, options.evalSize))
                .evaluateOutOfDistribution(Summary.FASHION, Datasets.fashionMnist().iterator(250, 0, options.evalSize))
                .layers("conv1", "conv2", "gpool", "output")
                .maxExamples(options.evalSize).seed(options.seed)
                .progress(new EvaluationBars(InvarianceTaskListener.candidateId(candidate.getIndex()))), out);
        SearchResult result = InvarianceSearch.builder()
                .space(space)
                .dataSource(EmbeddedDataSource.class,
                        EmbeddedDataSource.properties("mnist", options.trainSize, options.evalSize, BATCH))
                .scoreFunction(score)
                .perCandidate(perCandidate)
                .progress(bars)
                .candidates(candidates)
                .seed(options.seed)
                .build().run();
        write(out, result, space, score);
        return result;
    }

    /**
     * The search's own rules, on top of {@link ExperimentOptions#validate}: --groups lists
     * "plain" or C<n> / D<n> (n <= {@value CliChecks#MAX_GROUP_N}), each once (a repeated group
     * would silently be drawn twice as often); --test-group is such a group, and its order is
     * the least --eval-size; --candidates and --widths are >= 1; --learning-rate is > 0;
     * --kl-weight and --max-kl are >= 0 (a negative weight would reward variance), all finite.
     */
    void validate() {
        PlanarGroup measured = CliChecks.group("--test-group", testGroup);
        options.validate(Datasets.mnist().size(), measured);
        CliChecks.atLeast("--candidates", candidates, 1, "candidates to try");
        if (groups == null || groups.isEmpty()) {
            throw new UsageException("--groups (none): expected plain, " + CliChecks.groupExpected()
                    + ", comma-separated");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String g : groups) {
            boolean plain = g != null && GroupSpace.PLAIN.equalsIgnoreCase(g.trim());
            if (!plain && !CliChecks.isBoundedGroupName(g)) {
                throw new UsageException("--groups " + String.join(",", groups) + ": '" + g + "' is not a group; "
                        + "expected plain, " + CliChecks.groupExpected() + ", comma-separated");
            }
            if (!seen.add(GroupSpace.canonical(g))) {
                throw new UsageException("--groups " + String.join(",", groups) + ": " + GroupSpace.canonical(g)
                        + " is listed twice; expected each group once");
            }
        }
        if (widths == null || widths.isEmpty() || widths.stream().anyMatch(w -> w == null || w < 1)) {
            throw new UsageException("--widths " + (widths == null ? "(none)" : widths.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(","))) + ": expected whole numbers of at least 1, "
                    + "comma-separated");
        }
        CliChecks.positive("--learning-rate", learningRate, "Adam's learning rate, e.g. 0.005");
        CliChecks.nonNegative("--kl-weight", klWeight, "λ in score = accuracy − λ · prediction KL");
        if (maxKl != null) {
            CliChecks.nonNegative("--max-kl", maxKl, "the largest prediction KL a candidate may have");
        }
    }

    /**
     * conv1 (lifting, width w) → 2×2 max pool → conv2 (group conv, width 2w') → 2×2 max pool →
     * group pooling → global max pool → dense 64 → softmax; the group and both widths are searched, every
     * layer of a candidate shares its group. Global max pooling (invariant like average pooling)
     * trained these small networks faster than average pooling on the default budget.
     */
    MultiLayerSpace space() {
        GroupSpace group = GroupSpace.of(groups.toArray(new String[0]));
        return new MultiLayerSpace.Builder()
                .seed(options.seed)
                .updater(AdamSpaces.adam(learningRate))
                .weightInit(WeightInit.RELU)
                .addLayer(new LiftingConvolutionSpace.Builder().name("conv1").group(group).nOut(choice(widths, 1))
                        .widthScaling(WidthScaling.PARAMETERS).kernelSize(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .addLayer(new FixedJsonLayerSpace(Cnns.pool("pool1")))
                .addLayer(new GroupConvolutionSpace.Builder().name("conv2").group(group).nOut(choice(widths, 2))
                        .widthScaling(WidthScaling.PARAMETERS).kernelSize(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .addLayer(new FixedJsonLayerSpace(Cnns.pool("pool2")))
                .addLayer(new GroupPoolingSpace.Builder().name("gpool").group(group).build())
                .addLayer(new FixedJsonLayerSpace(new GlobalPoolingLayer.Builder(PoolingType.MAX).name("globalpool").build()))
                .addLayer(new FixedJsonLayerSpace(new DenseLayer.Builder().name("dense").nOut(64)
                        .activation(Activation.RELU).build()))
                .addLayer(new FixedJsonLayerSpace(Cnns.output()))
                .setInputType(InputType.convolutional(28, 28, 1))
                .numEpochs(options.epochs)
                .build();
    }

    /** accuracy − λ·KL(Fashion-MNIST), maximized; with --max-kl, a bound on the KL. */
    InvarianceScoreFunction scoreFunction() {
        return scoreFunction(EvaluationProgress.NONE);
    }

    /** {@link #scoreFunction()} telling {@code progress} how its evaluations go (written and compared without it). */
    InvarianceScoreFunction scoreFunction(EvaluationProgress progress) {
        InvarianceScoreFunction.Builder b = InvarianceScoreFunction.builder()
                .group(Groups.byName(testGroup))
                .metric(MetricKeys.PREDICTION_KL)
                .data(ScoreData.embedded("fashion-mnist", 0, options.evalSize))
                .maxExamples(options.evalSize).seed(options.seed)
                .accuracyWeight(1).metricWeight(klWeight).progress(progress);
        if (maxKl != null) {
            b.requireMetricAtMost(maxKl);
        }
        return b.build();
    }

    private static ParameterSpace<Integer> choice(List<Integer> widths, int factor) {
        List<Integer> values = widths.stream().map(w -> w * factor).distinct().toList();
        return values.size() == 1 ? new FixedValue<>(values.get(0)) : new DiscreteParameterSpace<>(values);
    }

    /** The ranked candidates with accuracy and OOD prediction KL side by side. */
    String table(SearchResult result) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "search — %d candidates, %d epoch(s), %,d training digits, %,d held-out MNIST and "
                        + "%,d Fashion-MNIST images, seed %d%n", candidates, options.epochs, options.trainSize,
                options.evalSize, options.evalSize, options.seed));
        sb.append(String.format(Locale.ROOT, "score = accuracy (held-out MNIST) − %s · prediction KL (Fashion-MNIST, %s), "
                + "maximized%s; KL: mean [95%% bootstrap CI]%n%n", trim(klWeight), testGroup,
                maxKl == null ? "" : ", KL ≤ " + maxKl + " required"));
        String row = "%-4s %-12s %-6s %-44s %8s %9s %29s %8s %7s%n";
        sb.append(String.format(Locale.ROOT, row, "rank", "candidate", "group", "convolutions", "params", "accuracy",
                "prediction KL (Fashion)", "score", "time"));
        int rank = 0;
        for (CandidateResult c : result.ranked()) {
            if (!c.completed() || c.score() == null) {
                continue;
            }
            ScoreBreakdown b = c.breakdown();
            sb.append(String.format(Locale.ROOT, row, ++rank, c.id(), c.group(), c.architecture(),
                    String.format(Locale.ROOT, "%,d", c.parameters()),
                    b == null ? "n/a" : String.format(Locale.ROOT, "%.3f", b.accuracy()), kl(b),
                    String.format(Locale.ROOT, b != null && !b.feasible() ? "%.3g" : "%.4f", c.score()),
                    String.format(Locale.ROOT, "%.0f s", c.seconds())));
        }
        for (CandidateResult c : result.ranked()) {
            if (!c.completed() || c.score() == null) {
                sb.append(String.format(Locale.ROOT, "%-4s %-12s failed: %s%n", "-", c.id(), c.failure()));
            }
        }
        sb.append(String.format(Locale.ROOT, "%n%d completed, %d failed%n", result.completed(), result.failed()));
        return sb.toString();
    }

    private static String kl(ScoreBreakdown b) {
        if (b == null || b.report() == null) {
            return "n/a";
        }
        MetricValue v = b.report().get(b.layer(), b.metric());
        // exactly invariant candidates sit at float round-off: show its size rather than 0.000
        String text = v.mean() >= 1e-3 ? Summary.fmt(v)
                : String.format(Locale.ROOT, "%.1e [%.1e, %.1e]", v.mean(), v.ciLow(), v.ciHigh());
        return text + (b.feasible() ? "" : " (bound missed)");
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private void write(Path out, SearchResult result, MultiLayerSpace space, InvarianceScoreFunction score) {
        try {
            Files.createDirectories(out);
            result.writeCsv(out.resolve("ranking.csv"));
            Summary.writeAtomically(out.resolve("accuracy-vs-invariance.png"),
                    SearchChart.accuracyVsInvariance(result, "prediction KL on Fashion-MNIST under " + testGroup));
            Summary.writeAtomically(out.resolve("search-space.json"), space.toJson().getBytes(StandardCharsets.UTF_8));
            Summary.writeAtomically(out.resolve("score-function.json"),
                    JsonMapper.getMapper().writeValueAsString(score).getBytes(StandardCharsets.UTF_8));
            Summary.writeAtomically(out.resolve("ranking.txt"), table(result).getBytes(StandardCharsets.UTF_8));
            options.finishRun();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the search results under " + out, e);
        }
    }
}
