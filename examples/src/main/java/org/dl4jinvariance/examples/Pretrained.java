package org.dl4jinvariance.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.data.GroupAugmentation;
import org.dl4jinvariance.data.IdxDataSetIterator;
import org.dl4jinvariance.data.IdxDataset;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.metric.MetricKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Does starting from pretrained weights change the invariance a model ends up with? The plain
 * CNN is pretrained on Fashion-MNIST, then fine-tuned on MNIST (every layer trains; the output
 * layer starts afresh), and compared with the same CNN trained on MNIST from scratch — each with
 * and without C4 augmentation. Every run starts from the same seeded initialization, so the
 * fine-tuned and the from-scratch models differ only in the body weights they start from.
 */
@Command(name = "pretrained", mixinStandardHelpOptions = true,
        description = {"Pretrain the plain CNN on Fashion-MNIST, fine-tune it on MNIST, and compare with the same CNN "
                + "trained from scratch, each with and without C4 augmentation; invariance per layer and per epoch on "
                + "held-out MNIST and on held-out Fashion-MNIST.",
                "Writes CSV, JSONL, PNG charts, HTML pages and summary.json under --out."})
public final class Pretrained implements Callable<Integer> {

    static final String NAME = "pretrained";
    static final String PRETRAINING = "pretraining";
    /** The latent layer the curves follow: the last hidden layer, the classifier's representation. */
    static final String CURVE_LAYER = "dense";
    private static final int BATCH = 64;

    @Mixin
    ExperimentOptions options = new ExperimentOptions();

    @Option(names = "--pretrain-epochs", description = "Pretraining epochs on Fashion-MNIST (default: ${DEFAULT-VALUE}).")
    int pretrainEpochs = 3;

    @Option(names = "--pretrain-size", description = "Fashion-MNIST images to pretrain on (default: every image not "
            + "held out: the embedded 10,000 minus --eval-size, or the 60,000 of --data-dir).")
    Integer pretrainSize;

    /**
     * Only this experiment reads data from a folder, so only it has the option: the others
     * would otherwise accept a folder and silently train on the embedded data.
     */
    @Option(names = "--data-dir", description = "Folder with the 60,000-image Fashion-MNIST training set "
            + "(fashion-mnist-train-{images-idx3,labels-idx1}-ubyte[.gz], or the original train-*-ubyte[.gz] names) "
            + "to pretrain on instead of the embedded images; checked before training.")
    Path dataDir;

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
     * @throws UsageException before training, for an option out of range, a --data-dir without
     *     the Fashion-MNIST training set, or an unwritable --out
     */
    public Summary run() {
        IdxDataset mnist = Datasets.mnist();
        // Every option is checked, --data-dir read, and the output folder made before any training.
        options.validate(mnist.size(), Groups.c4());
        CliChecks.atLeast("--pretrain-epochs", pretrainEpochs, 1, "pretraining epochs on Fashion-MNIST");
        IdxDataset fashion = Datasets.fashionMnist();
        // Pretraining never sees the held-out Fashion images the runs are measured on.
        IdxDataset pretrainData = dataDir != null ? CliChecks.fashionMnistTrain(dataDir) : fashion;
        int available = dataDir != null ? pretrainData.size() : fashion.size() - options.evalSize;
        int pretrainCount = pretrainSize != null ? pretrainSize : available;
        if (pretrainCount < 1 || pretrainCount > available) {
            throw new UsageException("--pretrain-size " + pretrainCount + ": expected 1 to " + CliChecks.count(available)
                    + " (" + (dataDir != null ? "the Fashion-MNIST training set in --data-dir"
                    : "the " + CliChecks.count(fashion.size()) + " embedded Fashion-MNIST images minus the "
                    + CliChecks.count(options.evalSize) + " held out by --eval-size") + ")");
        }
        Path out = options.prepareOutputDir(NAME);
        GroupAction c4 = ImageActions.rotation(Groups.c4());
        List<EvalSet> evalSets = List.of(
                new EvalSet(Summary.MNIST, mnist.slice(mnist.size() - options.evalSize, options.evalSize), true),
                new EvalSet(Summary.FASHION, fashion.slice(fashion.size() - options.evalSize, options.evalSize), true));
        String[] layers = Cnns.probedLayersWithDense(Cnns.plain(options.seed));
        ModelRun.Watch watch = ModelRun.Watch.of(c4, evalSets, layers, options.evalSize, options.seed).withBaseline()
                .withoutEquivariance();

        Summary summary = new Summary(NAME, options, layout());
        summary.setting("pretrainEpochs", pretrainEpochs);
        summary.setting("pretrainSize", pretrainCount);
        summary.setting("pretrainData", dataDir != null ? "fashion-mnist-train (" + dataDir + ")"
                : "embedded fashion-mnist (test set)");
        Curves invariance = new Curves(CURVE_LAYER, MetricKeys.INVARIANCE_NORMALIZED, List.of(Summary.MNIST, Summary.FASHION));
        Curves predictionKl = new Curves("output", MetricKeys.PREDICTION_KL, List.of(Summary.MNIST, Summary.FASHION));

        String pretrainTitle = "pretrained on Fashion-MNIST";
        ModelRun pretraining = ModelRun.train(pretrainTitle, Cnns.plain(options.seed),
                pretrainData.iterator(BATCH, 0, pretrainCount), pretrainCount, pretrainEpochs, watch,
                out.resolve(PRETRAINING));
        summary.add(PRETRAINING, pretrainTitle + " (no MNIST yet)", pretraining);
        invariance.add(pretrainTitle, pretraining, -pretrainEpochs);
        predictionKl.add(pretrainTitle, pretraining, -pretrainEpochs);

        for (boolean augment : new boolean[] {false, true}) {
            for (boolean pretrained : new boolean[] {false, true}) {
                String id = (pretrained ? "fine-tuned" : "scratch") + (augment ? "-augmented" : "");
                String title = (pretrained ? "fine-tuned from Fashion" : "from scratch") + (augment ? " + C4 aug." : "");
                MultiLayerNetwork net = Cnns.plain(options.seed);
                if (pretrained) {
                    copyBody(pretraining.net(), net);
                }
                IdxDataSetIterator train = mnist.iterator(BATCH, 0, options.trainSize);
                if (augment) {
                    train.setPreProcessor(GroupAugmentation.of(c4, options.seed));
                }
                ModelRun run = ModelRun.train(title, net, train, options.trainSize, options.epochs, watch, out.resolve(id));
                summary.add(id, title, run);
                invariance.add(title, run, 0);
                predictionKl.add(title, run, 0);
            }
        }
        summary.section("Normalized invariance at " + CURVE_LAYER + " by epoch, MNIST / Fashion-MNIST (means; "
                + "pretraining epochs count up to 0, epoch 0 of the other runs is before training)", invariance.grid());
        summary.section("Prediction KL at the output by epoch, MNIST / Fashion-MNIST (means)", predictionKl.grid());
        summary.put("curves", List.of(invariance.json(), predictionKl.json()));
        try {
            summary.chart("curves-invariance.png", "normalized invariance at " + CURVE_LAYER + " by epoch",
                    invariance.chart(NAME + ": invariance at " + CURVE_LAYER + " by epoch (solid: MNIST, dashed: Fashion)"));
            summary.chart("curves-prediction-kl.png", "prediction KL by epoch",
                    predictionKl.chart(NAME + ": prediction KL by epoch (solid: MNIST, dashed: Fashion)"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot draw the curves of " + NAME, e);
        }
        summary.write();
        return summary;
    }

    /** The model table: accuracy on both tasks, prediction invariance; per layer: normalized invariance. */
    static Summary.Layout layout() {
        return new Summary.Layout(List.of(
                Summary.Column.accuracyAsGiven("MNIST accuracy", Summary.MNIST),
                Summary.Column.output("MNIST acc. (all C4)", Summary.MNIST, MetricKeys.ACCURACY),
                Summary.Column.accuracyAsGiven("Fashion accuracy", Summary.FASHION),
                Summary.Column.output("prediction KL (MNIST)", Summary.MNIST, MetricKeys.PREDICTION_KL),
                Summary.Column.output("prediction KL (Fashion)", Summary.FASHION, MetricKeys.PREDICTION_KL)),
                Summary.NORMALIZED_CAPTION,
                List.of(new Summary.LayerColumn("MNIST (held-out)", Summary.MNIST, MetricKeys.INVARIANCE_NORMALIZED),
                        new Summary.LayerColumn("Fashion-MNIST (held-out)", Summary.FASHION,
                                MetricKeys.INVARIANCE_NORMALIZED)),
                MetricKeys.INVARIANCE_NORMALIZED, List.of(Summary.MNIST, Summary.FASHION));
    }

    /** Copies every layer's parameters but the output layer's from {@code from} into {@code to}. */
    static void copyBody(MultiLayerNetwork from, MultiLayerNetwork to) {
        Layer[] source = from.getLayers();
        Layer[] target = to.getLayers();
        if (source.length != target.length) {
            throw new IllegalArgumentException("Networks of " + source.length + " and " + target.length
                    + " layers have different bodies");
        }
        for (int i = 0; i < source.length - 1; i++) {
            if (source[i].numParams() > 0) {
                target[i].setParams(source[i].params().dup());
            }
        }
    }
}
