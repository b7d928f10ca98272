package org.dl4jinvariance.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.data.GroupAugmentation;
import org.dl4jinvariance.data.IdxDataSetIterator;
import org.dl4jinvariance.data.IdxDataset;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.MetricValue;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How far does invariance learned by augmentation travel? The plain CNN is trained on MNIST with
 * C4 augmentation applied to each example with probability p, for several p; prediction and
 * latent invariance are measured on held-out MNIST and on out-of-distribution sets:
 * Fashion-MNIST, MNIST with inverted intensities, random pen strokes and smoothed noise.
 *
 * <p>The share of the in-distribution gain that travels to an OOD set D, from the means:
 * <pre>  share(D, p) = (inv(D, 0) − inv(D, p)) / (inv(MNIST, 0) − inv(MNIST, p))</pre>
 * (1 = the OOD set gains as much invariance as held-out MNIST; 0 = none of it travels).
 */
@Command(name = "ood-transfer", mixinStandardHelpOptions = true,
        description = {"Train the plain CNN on MNIST with C4 augmentation applied with probability p (several p); "
                + "measure prediction and latent invariance on held-out MNIST and on out-of-distribution sets "
                + "(Fashion-MNIST, inverted MNIST, random strokes, smoothed noise).",
                "Writes CSV, JSONL, PNG charts, HTML pages and summary.json under --out."})
public final class OodTransfer implements Callable<Integer> {

    static final String NAME = "ood-transfer";
    static final String INVERTED = "mnist-inverted";
    static final String STROKES = "strokes";
    static final String NOISE = "smooth-noise";
    /** The latent layer of the chart and the shares: the last hidden layer, the classifier's representation. */
    static final String LATENT_LAYER = "dense";
    private static final int BATCH = 64;

    @Mixin
    ExperimentOptions options = new ExperimentOptions();

    @Option(names = "--probabilities", split = ",", description = "Augmentation probabilities p, comma-separated "
            + "(default: ${DEFAULT-VALUE}).")
    double[] probabilities = {0, 0.25, 0.5, 1};

    @Override
    public Integer call() {
        Summary summary = run();
        System.out.println();
        System.out.println(summary.table());
        System.out.println("Results written to " + options.resultsDir(NAME).toAbsolutePath());
        return 0;
    }

    /**
     * Runs the experiment and writes every file; returns the summary.
     *
     * @throws UsageException before training, for an option out of range or an unwritable --out
     */
    public Summary run() {
        IdxDataset mnist = Datasets.mnist();
        // Every option is checked, and the output folder made, before any model is built or trained.
        options.validate(mnist.size(), Groups.c4());
        validateProbabilities();
        Path out = options.prepareOutputDir(NAME);
        GroupAction c4 = ImageActions.rotation(Groups.c4());
        List<EvalSet> evalSets = evaluationSets(mnist);
        List<String> setNames = evalSets.stream().map(EvalSet::name).toList();
        String[] layers = Cnns.probedLayersWithDense(Cnns.plain(options.seed));
        ModelRun.Watch watch = ModelRun.Watch.of(c4, evalSets, layers, options.evalSize, options.seed).withoutEquivariance();

        Summary summary = new Summary(NAME, options, layout(setNames));
        summary.setting("probabilities", format(probabilities));
        List<Summary.Entry> entries = new ArrayList<>();
        for (double p : probabilities) {
            String id = "p" + trim(p);
            String title = "C4 augmentation p = " + trim(p);
            MultiLayerNetwork net = Cnns.plain(options.seed);
            IdxDataSetIterator train = mnist.iterator(BATCH, 0, options.trainSize);
            train.setPreProcessor(GroupAugmentation.of(c4, p, options.seed));
            ModelRun run = ModelRun.train(title, net, train, options.trainSize, options.epochs, watch, out.resolve(id));
            summary.add(id, title, run, Map.of("augmentationProbability", p));
            entries.add(summary.entries().get(summary.entries().size() - 1));
        }
        summary.section("Prediction KL by data set (mean [95% CI])", metricByDataSet(entries, setNames, "output",
                MetricKeys.PREDICTION_KL));
        summary.section("Share of the MNIST gain in normalized invariance at " + LATENT_LAYER + " that travels to "
                + "each set: (inv(D,0) - inv(D,p)) / (inv(MNIST,0) - inv(MNIST,p)), from the means; n/a where the MNIST "
                + "gain is within the 95% CIs",
                shares(entries, setNames, LATENT_LAYER, MetricKeys.INVARIANCE_NORMALIZED));
        summary.section("The same share for prediction KL", shares(entries, setNames, "output", MetricKeys.PREDICTION_KL));
        try {
            summary.chart("invariance-vs-p.png", "normalized invariance at " + LATENT_LAYER + " against p",
                    chart(entries, setNames));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot draw the chart of " + NAME, e);
        }
        summary.put("probabilities", probabilities);
        summary.write();
        return summary;
    }

    /** Held-out MNIST (in distribution) and four out-of-distribution sets of the same size. */
    List<EvalSet> evaluationSets(IdxDataset mnist) {
        int n = options.evalSize;
        DataSet heldOut = mnist.slice(mnist.size() - n, n);
        return List.of(
                new EvalSet(Summary.MNIST, heldOut, true),
                EvalSet.outOfDistribution(Summary.FASHION, Datasets.fashionMnist().slice(0, n), true),
                EvalSet.outOfDistribution(INVERTED, SyntheticImages.inverted(heldOut), true),
                EvalSet.outOfDistribution(STROKES, SyntheticImages.strokes(n, options.seed + 2), false),
                EvalSet.outOfDistribution(NOISE, SyntheticImages.smoothNoise(n, options.seed + 3), false));
    }

    /** Accuracy upright and over the orbit on MNIST; per layer: normalized invariance on every set. */
    static Summary.Layout layout(List<String> setNames) {
        List<Summary.LayerColumn> perLayer = new ArrayList<>();
        for (String set : setNames) {
            perLayer.add(new Summary.LayerColumn(set, set, MetricKeys.INVARIANCE_NORMALIZED));
        }
        return new Summary.Layout(List.of(
                Summary.Column.accuracyAsGiven("MNIST accuracy", Summary.MNIST),
                Summary.Column.output("MNIST acc. (all C4)", Summary.MNIST, MetricKeys.ACCURACY),
                Summary.Column.output("consistency (MNIST)", Summary.MNIST, MetricKeys.CONSISTENCY)),
                Summary.NORMALIZED_CAPTION, perLayer, MetricKeys.INVARIANCE_NORMALIZED, setNames);
    }

    private static TextTable metricByDataSet(List<Summary.Entry> entries, List<String> sets, String layer, String metric) {
        List<String> header = new ArrayList<>(List.of("model"));
        header.addAll(sets);
        TextTable t = new TextTable(header);
        for (Summary.Entry e : entries) {
            List<String> row = new ArrayList<>(List.of(e.title()));
            for (String set : sets) {
                row.add(Summary.fmt(metric, value(e, set, layer, metric)));
            }
            t.row(row);
        }
        return t;
    }

    /**
     * The share of the MNIST gain each set keeps, for every p but the first (the reference).
     * Printed only where the MNIST gain is clear (the two 95% CIs do not overlap): a ratio over a
     * gain within the noise says nothing.
     */
    static TextTable shares(List<Summary.Entry> entries, List<String> sets, String layer, String metric) {
        List<String> header = new ArrayList<>(List.of("p vs " + pOf(entries.get(0))));
        header.addAll(sets);
        TextTable t = new TextTable(header);
        Summary.Entry reference = entries.get(0);
        MetricValue idReference = value(reference, Summary.MNIST, layer, metric);
        for (Summary.Entry e : entries.subList(1, entries.size())) {
            List<String> row = new ArrayList<>(List.of("p = " + pOf(e)));
            MetricValue id = value(e, Summary.MNIST, layer, metric);
            boolean clear = idReference != null && id != null && idReference.isApplicable() && id.isApplicable()
                    && (id.ciHigh() < idReference.ciLow() || id.ciLow() > idReference.ciHigh());
            double idGain = mean(reference, Summary.MNIST, layer, metric) - mean(e, Summary.MNIST, layer, metric);
            for (String set : sets) {
                double share = (mean(reference, set, layer, metric) - mean(e, set, layer, metric)) / idGain;
                row.add(clear && Double.isFinite(share) ? String.format(Locale.ROOT, "%.2f", share) : "n/a");
            }
            t.row(row);
        }
        return t;
    }

    private static String pOf(Summary.Entry e) {
        return trim(((Number) e.extra().get("augmentationProbability")).doubleValue());
    }

    private static MetricValue value(Summary.Entry e, String set, String layer, String metric) {
        return layer.equals("output") ? Summary.output(e, set, metric) : Summary.value(e, set, layer, metric);
    }

    private static double mean(Summary.Entry e, String set, String layer, String metric) {
        MetricValue v = value(e, set, layer, metric);
        return v == null || !v.isApplicable() ? Double.NaN : v.mean();
    }

    /** Normalized invariance at the latent layer against p, one line per data set (MNIST solid). */
    private static byte[] chart(List<Summary.Entry> entries, List<String> sets) throws IOException {
        List<SummaryCharts.Line> lines = new ArrayList<>();
        for (int d = 0; d < sets.size(); d++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> lows = new ArrayList<>();
            List<Double> highs = new ArrayList<>();
            for (Summary.Entry e : entries) {
                xs.add(((Number) e.extra().get("augmentationProbability")).doubleValue());
                MetricValue v = value(e, sets.get(d), LATENT_LAYER, MetricKeys.INVARIANCE_NORMALIZED);
                boolean has = v != null && v.isApplicable();
                ys.add(has ? v.mean() : Double.NaN);
                lows.add(has ? v.ciLow() : Double.NaN);
                highs.add(has ? v.ciHigh() : Double.NaN);
            }
            lines.add(new SummaryCharts.Line(sets.get(d) + (d == 0 ? " (in distribution)" : " (out of distribution)"),
                    xs, ys, lows, highs, d > 0, d));
        }
        return SummaryCharts.lines(NAME + ": invariance at " + LATENT_LAYER + " against p (solid: MNIST, dashed: OOD)",
                "C4 augmentation probability p", MetricKeys.INVARIANCE_NORMALIZED + " at " + LATENT_LAYER, lines);
    }

    /**
     * At least one p, each in [0, 1] (NaN refused), no p twice: each p names its model's folder
     * (p0.5/), so a repeated p would overwrite the other model's files and table row.
     */
    void validateProbabilities() {
        if (probabilities == null || probabilities.length == 0) {
            throw new UsageException("--probabilities (none): expected at least one probability in [0, 1], "
                    + "comma-separated, e.g. 0,0.5,1");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (double p : probabilities) {
            if (!(p >= 0 && p <= 1)) {
                throw new UsageException("--probabilities " + format(probabilities) + ": " + p
                        + " is not a probability; expected each in [0, 1]");
            }
            if (!seen.add(trim(p))) {
                throw new UsageException("--probabilities " + format(probabilities) + ": " + trim(p)
                        + " is given twice; expected each p once (each p is one model)");
            }
        }
    }

    private static String trim(double p) {
        return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
    }

    private static String format(double[] ps) {
        List<String> parts = new ArrayList<>();
        for (double p : ps) {
            parts.add(trim(p));
        }
        return String.join(",", parts);
    }
}
