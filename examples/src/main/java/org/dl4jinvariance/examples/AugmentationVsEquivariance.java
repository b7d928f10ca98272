package org.dl4jinvariance.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.data.GroupAugmentation;
import org.dl4jinvariance.data.IdxDataSetIterator;
import org.dl4jinvariance.data.IdxDataset;
import org.dl4jinvariance.group.Groups;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The paper's central comparison: does a plain CNN trained with C4 augmentation become as
 * invariant as a C4-equivariant CNN, at which layers, and does that invariance carry over to
 * out-of-distribution data (Fashion-MNIST)?
 */
@Command(name = "augmentation-vs-equivariance", mixinStandardHelpOptions = true,
        description = {"Train a plain CNN, the same CNN with C4 rotation augmentation, and a C4-equivariant CNN "
                + "on MNIST; measure accuracy and invariance every epoch on held-out MNIST (upright and rotated) "
                + "and on Fashion-MNIST (out of distribution).",
                "Writes CSV, JSONL, PNG charts, HTML pages and summary.json under --out."})
public final class AugmentationVsEquivariance implements Callable<Integer> {

    static final String NAME = "augmentation-vs-equivariance";
    private static final int BATCH = 64;

    @Mixin
    ExperimentOptions options = new ExperimentOptions();

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
        Path out = options.prepareOutputDir(NAME);
        GroupAction c4 = ImageActions.rotation(Groups.c4());
        List<EvalSet> evalSets = evaluationSets(mnist, c4);

        Summary summary = new Summary(NAME, options);
        List<ModelSpec> specs = List.of(
                new ModelSpec("plain", "plain CNN", Cnns.plain(options.seed), false),
                new ModelSpec("plain-augmented", "plain CNN + C4 augmentation", Cnns.plain(options.seed), true),
                new ModelSpec("c4-equivariant", "C4-equivariant CNN", Cnns.c4Equivariant(options.seed), false));
        for (ModelSpec spec : specs) {
            System.out.printf("%s: %,d parameters%n", spec.title, spec.net.numParams());
        }
        for (ModelSpec spec : specs) {
            IdxDataSetIterator train = mnist.iterator(BATCH, 0, options.trainSize);
            if (spec.augment) {
                train.setPreProcessor(GroupAugmentation.of(c4, options.seed));
            }
            ModelRun.Watch watch = ModelRun.Watch.of(c4, evalSets, Cnns.probedLayers(spec.net), options.evalSize,
                    options.seed);
            ModelRun run = ModelRun.train(spec.title, spec.net, train, options.trainSize, options.epochs,
                    options.perChannel ? watch.withChannelInvariance() : watch, out.resolve(spec.id));
            summary.add(spec.id, spec.title, run);
        }
        summary.write();
        return summary;
    }

    /**
     * Held-out MNIST upright; the same digits each turned by a fixed random element of C4; and
     * Fashion-MNIST as out-of-distribution data.
     */
    List<EvalSet> evaluationSets(IdxDataset mnist, GroupAction c4) {
        DataSet heldOut = mnist.slice(mnist.size() - options.evalSize, options.evalSize);
        DataSet rotated = heldOut.copy();
        GroupAugmentation.of(c4, options.seed + 1).preProcess(rotated);
        List<EvalSet> sets = new ArrayList<>();
        sets.add(new EvalSet(Summary.MNIST, heldOut, true));
        sets.add(new EvalSet(Summary.MNIST_ROTATED, rotated, true));
        // Fashion-MNIST for a digit classifier: invariance and consistency, no accuracy against garment labels.
        sets.add(EvalSet.outOfDistribution(Summary.FASHION, Datasets.fashionMnist().slice(0, options.evalSize), true));
        return sets;
    }

    private record ModelSpec(String id, String title, MultiLayerNetwork net, boolean augment) {
    }
}
