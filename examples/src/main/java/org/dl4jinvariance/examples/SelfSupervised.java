package org.dl4jinvariance.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.data.GroupAugmentation;
import org.dl4jinvariance.data.IdxDataset;
import org.dl4jinvariance.examples.ssl.LinearProbe;
import org.dl4jinvariance.examples.ssl.NtXentLoss;
import org.dl4jinvariance.examples.ssl.PairedViews;
import org.dl4jinvariance.examples.ssl.RotationPretext;
import org.dl4jinvariance.examples.ssl.ViewAugmentation;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.metric.Distance;
import org.dl4jinvariance.metric.EquivarianceDeviation;
import org.dl4jinvariance.metric.InvarianceDeviation;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.MetricValue;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Does self-supervision make an encoder invariant? The plain CNN's body (conv1 … dense) is
 * trained on MNIST without labels three ways: (a) contrastive (SimCLR's NT-Xent) with random C4
 * rotations among the augmentations, (b) contrastive with augmentations unrelated to rotation
 * (small shifts and pixel noise), (c) a non-contrastive pretext, rotation prediction; an
 * untrained encoder (the common initialization) is the reference. For each encoder: latent C4
 * invariance and equivariance per layer on held-out MNIST, and a linear probe's accuracy on
 * held-out MNIST upright and rotated (the probe is fitted on upright training digits, frozen
 * features of the {@code dense} layer).
 */
@Command(name = "self-supervised", mixinStandardHelpOptions = true,
        description = {"Train the plain CNN's encoder on MNIST without labels: contrastive (NT-Xent) with C4 rotations "
                + "among the augmentations, contrastive with shifts and noise only, and rotation prediction; measure "
                + "latent C4 invariance and equivariance per layer and a linear probe's accuracy.",
                "Writes CSV, JSONL, PNG charts, HTML pages and summary.json under --out."})
public final class SelfSupervised implements Callable<Integer> {

    public static final String NAME = "self-supervised";
    /** The encoder's layers, in depth order; the last is its representation. */
    public static final String[] ENCODER_LAYERS = {"conv1", "conv2", "conv3", "gap", "dense"};
    public static final String REPRESENTATION = "dense";
    static final String MNIST = Summary.MNIST;
    static final String PROBE = "linearProbe";
    static final String PROBE_ROTATED = "linearProbeRotated";
    private static final int BATCH = 64;
    private static final int PROJECTION = 32;
    private static final int MAX_SHIFT = 2;
    private static final double NOISE_STD = 0.1;

    @Mixin
    public ExperimentOptions options = new ExperimentOptions();

    @Option(names = "--temperature", description = "NT-Xent temperature τ (default: ${DEFAULT-VALUE}).")
    public double temperature = 0.5;

    @Option(names = "--probe-epochs", description = "Epochs of the linear probe's logistic regression "
            + "(default: ${DEFAULT-VALUE}).")
    public int probeEpochs = 20;

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
        CliChecks.atLeast("--probe-epochs", probeEpochs, 1, "epochs of the linear probe");
        // NT-Xent divides similarities by τ: 0 or a negative τ would give infinite or inverted logits.
        CliChecks.positive("--temperature", temperature, "the NT-Xent temperature τ, e.g. 0.5");
        Path out = options.prepareOutputDir(NAME);
        GroupAction c4 = ImageActions.rotation(Groups.c4());
        DataSet train = mnist.slice(0, options.trainSize);
        DataSet heldOut = mnist.slice(mnist.size() - options.evalSize, options.evalSize);
        DataSet rotated = heldOut.copy();
        GroupAugmentation.of(c4, options.seed + 1).preProcess(rotated);
        List<EvalSet> evalSets = List.of(new EvalSet(MNIST, heldOut, true));
        // Every epoch: invariance per layer (the curves). Once per encoder at the end: invariance
        // and equivariance (the table), so the curves cost less.
        ModelRun.Watch watch = new ModelRun.Watch(c4, evalSets, ENCODER_LAYERS,
                List.of(new InvarianceDeviation(Distance.COSINE)), options.evalSize, options.seed, false);
        InvarianceEvaluator latent = InvarianceEvaluator.builder().inputAction(c4).layers(ENCODER_LAYERS)
                .metrics(new ArrayList<>(List.of(new InvarianceDeviation(Distance.COSINE),
                        new EquivarianceDeviation(Distance.COSINE))))
                .maxExamples(options.evalSize).seed(options.seed).build();
        Probing probing = new Probing(train, heldOut, rotated);

        Summary summary = new Summary(NAME, options, layout());
        summary.setting("temperature", temperature);
        summary.setting("probeEpochs", probeEpochs);
        summary.setting("views", "shift <= " + MAX_SHIFT + " px, noise sd " + NOISE_STD);
        Curves curves = new Curves(REPRESENTATION, MetricKeys.INVARIANCE_NORMALIZED, List.of(MNIST));

        MultiLayerNetwork untrained = contrastiveEncoder();
        summary.add(new Summary.Entry("untrained", "untrained encoder (random init)", untrained.numParams(), 0,
                Map.of(MNIST, measured(latent, "untrained encoder", untrained, evalSets.get(0))), probing.extra(untrained)));

        ViewAugmentation views = ViewAugmentation.shiftAndNoise(MAX_SHIFT, NOISE_STD);
        PairedViews withRotations = new PairedViews(train.getFeatures(), BATCH, PROJECTION, views, options.seed);
        withRotations.setPreProcessor(GroupAugmentation.of(c4, options.seed));
        PairedViews shiftsOnly = new PairedViews(train.getFeatures(), BATCH, PROJECTION, views, options.seed);
        RotationPretext pretext = new RotationPretext(train.getFeatures(), BATCH, c4, options.seed);
        List<Encoder> encoders = List.of(
                new Encoder("contrastive-c4", "contrastive, views with C4 rotations", contrastiveEncoder(), withRotations),
                new Encoder("contrastive-shift-noise", "contrastive, views: shifts + noise", contrastiveEncoder(),
                        shiftsOnly),
                new Encoder("rotation-prediction", "rotation prediction (pretext)", rotationEncoder(), pretext));
        for (Encoder encoder : encoders) {
            ModelRun run = ModelRun.train(encoder.title, encoder.net, encoder.data, options.trainSize, options.epochs,
                    watch, out.resolve(encoder.id));
            summary.add(new Summary.Entry(encoder.id, encoder.title, encoder.net.numParams(), run.trainSeconds(),
                    Map.of(MNIST, measured(latent, encoder.title, encoder.net, evalSets.get(0))), probing.extra(encoder.net)));
            curves.add(encoder.title, run, 0);
        }
        summary.section("Normalized invariance of the representation (" + REPRESENTATION + ") on held-out MNIST by "
                + "epoch (means)", curves.grid());
        summary.put("curves", List.of(curves.json()));

        try {
            summary.chart("equivariance-profile.png", "normalized equivariance by layer",
                    SummaryCharts.layerProfile(summary, MetricKeys.EQUIVARIANCE_NORMALIZED, List.of(MNIST)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot draw the equivariance profile of " + NAME, e);
        }
        summary.write();
        return summary;
    }

    /** Linear probe accuracy upright and rotated, normalized invariance of the representation; per layer: invariance, equivariance. */
    static Summary.Layout layout() {
        return new Summary.Layout(List.of(
                Summary.Column.extra("linear probe (upright)", PROBE),
                Summary.Column.extra("linear probe (rotated)", PROBE_ROTATED),
                new Summary.Column("invariance at " + REPRESENTATION,
                        e -> Summary.value(e, MNIST, REPRESENTATION, MetricKeys.INVARIANCE_NORMALIZED))),
                "Latent C4 invariance and equivariance on held-out MNIST, normalized (0 = invariant / equivariant, "
                        + "1 = as spread as random inputs; equivariance is n/a where the layer's field type is unknown)",
                List.of(new Summary.LayerColumn("invariance", MNIST, MetricKeys.INVARIANCE_NORMALIZED),
                        new Summary.LayerColumn("equivariance", MNIST, MetricKeys.EQUIVARIANCE_NORMALIZED)),
                MetricKeys.INVARIANCE_NORMALIZED, List.of(MNIST));
    }

    /** The encoder with a linear 32-d projection trained by NT-Xent on paired views. */
    MultiLayerNetwork contrastiveEncoder() {
        return Cnns.plainWithHead(options.seed, new OutputLayer.Builder(new NtXentLoss(temperature)).name("output")
                .nOut(PROJECTION).activation(Activation.IDENTITY).build());
    }

    /** The encoder with a softmax over the 4 rotations. */
    MultiLayerNetwork rotationEncoder() {
        return Cnns.plainWithHead(options.seed, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output")
                .nOut(Groups.c4().order()).activation(Activation.SOFTMAX).build());
    }

    /** An encoder to train: its id and title, the network (encoder plus pretext head) and its unlabelled data. */
    private record Encoder(String id, String title, MultiLayerNetwork net, DataSetIterator data) {
    }

    /** Linear probes on the representation: fitted on upright training digits, tested upright and rotated. */
    private final class Probing {
        private final DataSet train;
        private final DataSet heldOut;
        private final DataSet rotated;

        Probing(DataSet train, DataSet heldOut, DataSet rotated) {
            this.train = train;
            this.heldOut = heldOut;
            this.rotated = rotated;
        }

        Map<String, Object> extra(MultiLayerNetwork encoder) {
            INDArray trainFeatures = LinearProbe.features(encoder, REPRESENTATION, train.getFeatures());
            LinearProbe probe = LinearProbe.fit(trainFeatures, train.getLabels(), probeEpochs, options.seed);
            MetricValue upright = probe.accuracy(LinearProbe.features(encoder, REPRESENTATION, heldOut.getFeatures()),
                    heldOut.getLabels(), options.seed);
            MetricValue turned = probe.accuracy(LinearProbe.features(encoder, REPRESENTATION, rotated.getFeatures()),
                    rotated.getLabels(), options.seed);
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put(PROBE, upright);
            extra.put(PROBE_ROTATED, turned);
            return extra;
        }
    }

    /** The trained (or untrained) encoder measured once on {@code set} at every encoder layer, with a progress bar. */
    private static InvarianceReport measured(InvarianceEvaluator latent, String title, MultiLayerNetwork net, EvalSet set) {
        return EvaluationBars.measure(title + " (all layers)", set.name(), latent, net, set.iterator());
    }
}
