package org.dl4jinvariance.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.SequenceActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.data.IdxDataset;
import org.dl4jinvariance.layers.CircularPadding1D;
import org.dl4jinvariance.metric.Distance;
import org.dl4jinvariance.metric.EquivarianceDeviation;
import org.dl4jinvariance.metric.InvarianceDeviation;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.OrbitConsistency;
import org.dl4jinvariance.metric.PredictionInvariance;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Invariance of sequence models: sequential MNIST, each 28×28 digit read as 28 time steps (its
 * rows, top to bottom) of 28 channels (the pixels of a row), features [B, 28, 28] in DL4J's NCW.
 * Two models are trained: a Conv1D network with circular padding and average pooling over time
 * (invariant to cyclic time shifts by construction) and an LSTM read at its last time step. Both
 * are measured per layer under cyclic time shifts (k·step rows, wrapping around) and under time
 * reversal (the digit upside down, row order reversed) with {@link InvarianceEvaluator}.
 */
@Command(name = "sequences", mixinStandardHelpOptions = true,
        description = {"Sequential MNIST (28 rows = 28 time steps of 28 pixels): a Conv1D model with circular "
                + "padding and time pooling vs an LSTM; invariance per layer under cyclic time shifts and time reversal.",
                "Writes summary.json, sequences.csv, a layer-profile PNG and index.html under --out."})
public final class Sequences implements Callable<Integer> {

    static final String NAME = "sequences";
    static final String SHIFT = "time-shift";
    static final String REVERSAL = "time-reversal";
    static final String CONV = "conv1d-circular";
    static final String LSTM_ID = "lstm";
    static final String[] CONV_LAYERS = {"conv1", "conv2", "conv3", "gap", "dense", "output"};
    static final String[] LSTM_LAYERS = {"lstm", "output"};
    private static final int STEPS = 28;
    private static final int BATCH = 64;

    @Mixin
    ExperimentOptions options = defaults();

    @Option(names = "--shift-step", description = "Time steps (rows) of the smallest shift; the shift group has "
            + "28 / step elements, so step must divide 28 (default: ${DEFAULT-VALUE}).")
    int shiftStep = 7;

    @Option(names = "--hidden", description = "LSTM units (default: ${DEFAULT-VALUE}).")
    int hidden = 48;

    @Option(names = "--channels", description = "Channels of each Conv1D layer (default: ${DEFAULT-VALUE}).")
    int channels = 32;

    private static ExperimentOptions defaults() {
        ExperimentOptions o = new ExperimentOptions();
        o.epochs = 2;
        o.trainSize = 4_000;
        o.evalSize = 500;
        return o;
    }

    @Override
    public Integer call() {
        Summary summary = run();
        System.out.println();
        System.out.println(summary.table());
        System.out.println("Results written to " + options.resultsDir(NAME).toAbsolutePath());
        return 0;
    }

    /** Trains both models, measures them under both actions, writes every file; returns the summary. */
    public Summary run() {
        IdxDataset mnist = Datasets.mnist();
        if (shiftStep < 1 || STEPS % shiftStep != 0 || shiftStep == STEPS) {
            throw new UsageException("--shift-step " + shiftStep + ": expected a divisor of the 28 time steps below 28 "
                    + "(1, 2, 4, 7 or 14)");
        }
        options.validate(mnist.size(), SequenceActions.cyclicTimeShift(shiftStep, STEPS / shiftStep).group());
        if (hidden < 1 || channels < 1) {
            throw new UsageException("--hidden " + hidden + ", --channels " + channels + ": expected both >= 1");
        }
        Path out = options.prepareOutputDir(NAME);
        DataSet train = asSequences(mnist.slice(0, options.trainSize));
        train.shuffle(options.seed);
        DataSet heldOut = asSequences(mnist.slice(mnist.size() - options.evalSize, options.evalSize));
        Map<String, GroupAction> actions = new LinkedHashMap<>();
        actions.put(SHIFT, SequenceActions.cyclicTimeShift(shiftStep, STEPS / shiftStep));
        actions.put(REVERSAL, SequenceActions.timeReversal());

        Summary summary = new Summary(NAME, options, layout());
        summary.setting("shift", actions.get(SHIFT).describe());
        List<Map<String, Object>> rows = new ArrayList<>();
        record Model(String id, String title, MultiLayerNetwork net, String[] layers) {
        }
        for (Model m : List.of(
                new Model(CONV, "Conv1D, circular pad + time pool", convNet(), CONV_LAYERS),
                new Model(LSTM_ID, "LSTM " + hidden + ", last time step", lstmNet(), LSTM_LAYERS))) {
            double seconds = fit(m.title(), m.net(), train);
            Map<String, InvarianceReport> reports = new LinkedHashMap<>();
            actions.forEach((name, action) -> {
                InvarianceReport r = EvaluationBars.measure(m.title() + " (" + name + ")", "held-out sequential MNIST",
                        evaluator(action, m.layers()), m.net(), iterator(heldOut));
                reports.put(name, r);
                rows.addAll(longRows(m.title(), name, r));
            });
            summary.add(new Summary.Entry(m.id(), m.title(), m.net().numParams(), seconds, reports));
        }
        summary.put("rows", rows);
        summary.write();
        writeCsv(out.resolve("sequences.csv"), rows);
        return summary;
    }

    /** Accuracy as given, under the shifts and reversed; per layer normalized invariance and equivariance. */
    static Summary.Layout layout() {
        return new Summary.Layout(List.of(
                Summary.Column.accuracyAsGiven("accuracy", SHIFT),
                Summary.Column.output("accuracy (all shifts)", SHIFT, MetricKeys.ACCURACY),
                Summary.Column.output("accuracy (reversed)", REVERSAL, MetricKeys.accuracyOf("reversed")),
                Summary.Column.output("prediction KL (shift)", SHIFT, MetricKeys.PREDICTION_KL),
                Summary.Column.output("prediction KL (reversal)", REVERSAL, MetricKeys.PREDICTION_KL)),
                "Per layer, normalized (0 = invariant / equivariant, 1 = as spread as distinct inputs)",
                List.of(new Summary.LayerColumn("invariance (shift)", SHIFT, MetricKeys.INVARIANCE_NORMALIZED),
                        new Summary.LayerColumn("invariance (reversal)", REVERSAL, MetricKeys.INVARIANCE_NORMALIZED),
                        new Summary.LayerColumn("equivariance (shift)", SHIFT, MetricKeys.EQUIVARIANCE_NORMALIZED)),
                MetricKeys.INVARIANCE_NORMALIZED, List.of(SHIFT, REVERSAL));
    }

    private InvarianceEvaluator evaluator(GroupAction action, String[] layers) {
        return InvarianceEvaluator.builder()
                .inputAction(action)
                .layers(layers)
                .metrics(List.of(new InvarianceDeviation(Distance.COSINE), new EquivarianceDeviation(Distance.COSINE),
                        new PredictionInvariance(), new OrbitConsistency()))
                .maxExamples(options.evalSize)
                .seed(options.seed)
                .build();
    }

    /**
     * Images [n, 1, 28, 28] as sequences [n, 28, 28] in NCW: channel c = column, time t = row,
     * so x_seq[b, c, t] = image[b, 0, t, c].
     */
    static DataSet asSequences(DataSet images) {
        INDArray x = images.getFeatures();
        long n = x.size(0);
        INDArray seq = x.reshape('c', n, x.size(2), x.size(3)).permute(0, 2, 1).dup('c');
        return new DataSet(seq, images.getLabels());
    }

    /**
     * conv1, conv2, conv3: Conv1D kernel 5 (Truncate) with dilation 1, 2, 4, each after circular
     * padding of 2·dilation steps on both sides (receptive field 29 ≥ 28 rows) → gap (average
     * over time) → dense 64 → softmax 10. Circular padding makes each convolution commute with
     * cyclic time shifts, and the average over time forgets them.
     */
    MultiLayerNetwork convNet() {
        NeuralNetConfiguration.ListBuilder list = base().list();
        int[] dilations = {1, 2, 4};
        for (int i = 0; i < dilations.length; i++) {
            int d = dilations[i];
            list.layer(new CircularPadding1D(2 * d, 2 * d))
                    .layer(new Convolution1DLayer.Builder().name("conv" + (i + 1)).kernelSize(5).dilation(d)
                            .convolutionMode(ConvolutionMode.Truncate).nOut(channels).activation(Activation.RELU).build());
        }
        MultiLayerConfiguration conf = list
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("gap").build())
                .layer(new DenseLayer.Builder().name("dense").nOut(64).activation(Activation.RELU).build())
                .layer(output())
                .setInputType(InputType.recurrent(STEPS, STEPS))
                .build();
        return init(conf);
    }

    /** lstm (LSTM, its last time step) → softmax 10. */
    MultiLayerNetwork lstmNet() {
        MultiLayerConfiguration conf = base().list()
                .layer(new LastTimeStep(new LSTM.Builder().name("lstm").nOut(hidden).activation(Activation.TANH).build()))
                .layer(output())
                .setInputType(InputType.recurrent(STEPS, STEPS))
                .build();
        return init(conf);
    }

    private NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(options.seed).updater(new Adam(5e-3)).weightInit(WeightInit.XAVIER);
    }

    private static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                .activation(Activation.SOFTMAX).build();
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Fits for the configured epochs with a progress bar; returns the seconds it took. */
    private double fit(String title, MultiLayerNetwork net, DataSet train) {
        DataSetIterator it = iterator(train);
        net.setListeners(new ProgressListener(title, (int) Math.ceil(train.numExamples() / (double) BATCH), options.epochs));
        long start = System.nanoTime();
        net.fit(it, options.epochs);
        net.setListeners();
        return (System.nanoTime() - start) / 1e9;
    }

    private static DataSetIterator iterator(DataSet data) {
        return new ListDataSetIterator<>(data.asList(), BATCH);
    }

    /** One row per (layer, metric) of a report: model, action, layer, metric, mean, ciLow, ciHigh, n. */
    private static List<Map<String, Object>> longRows(String model, String action, InvarianceReport r) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String layer : r.layers()) {
            r.values().get(layer).forEach((metric, v) -> {
                if (v != null && v.isApplicable()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("model", model);
                    row.put("action", action);
                    row.put("layer", layer);
                    row.put("metric", metric);
                    row.put("mean", v.mean());
                    row.put("ciLow", v.ciLow());
                    row.put("ciHigh", v.ciHigh());
                    row.put("n", v.n());
                    rows.add(row);
                }
            });
        }
        return rows;
    }

    private static void writeCsv(Path file, List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder("model,action,layer,metric,mean,ciLow,ciHigh,n\n");
        for (Map<String, Object> row : rows) {
            sb.append(String.format(Locale.ROOT, "\"%s\",%s,%s,%s,%.6g,%.6g,%.6g,%d%n", row.get("model"), row.get("action"),
                    row.get("layer"), row.get("metric"), (Double) row.get("mean"), (Double) row.get("ciLow"),
                    (Double) row.get("ciHigh"), (Integer) row.get("n")));
        }
        try {
            Summary.writeAtomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
