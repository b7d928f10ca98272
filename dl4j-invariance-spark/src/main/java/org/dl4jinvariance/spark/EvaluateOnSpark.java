package org.dl4jinvariance.spark;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.ZipFile;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.data.IdxDataset;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.metric.InvarianceReport;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A small Spark driver: evaluates a saved DL4J model on embedded MNIST or Fashion-MNIST digits,
 * spread over the cluster as an RDD of batches, and prints the per-layer report (optionally
 * writing it as JSON).
 *
 * <pre>
 * spark-submit --class org.dl4jinvariance.spark.EvaluateOnSpark --master local[2] \
 *     --driver-java-options "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED" \
 *     --jars "$(echo dl4j-invariance-spark/target/lib/*.jar | tr ' ' ,)" \
 *     dl4j-invariance-spark/target/dl4j-invariance-spark-0.1.0-SNAPSHOT.jar --model m.zip --examples 2000
 * </pre>
 */
@Command(name = "evaluate-on-spark", mixinStandardHelpOptions = true,
        description = "Evaluate a saved MultiLayerNetwork or ComputationGraph on Spark: per-layer invariance and "
                + "equivariance under rotations (and flips) of the input, the same report as on one machine.")
public final class EvaluateOnSpark implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "A ModelSerializer zip (MultiLayerNetwork or ComputationGraph).")
    File model;

    @Option(names = "--data", defaultValue = "mnist", description = "Embedded data: mnist or fashion-mnist (default ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--from", defaultValue = "0", description = "First example (default ${DEFAULT-VALUE}).")
    int from;

    @Option(names = "--examples", defaultValue = "1000", description = "Examples evaluated (default ${DEFAULT-VALUE}).")
    int examples;

    @Option(names = "--batch", defaultValue = "100", description = "Examples per DataSet of the RDD (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--partitions", defaultValue = "0",
            description = "RDD partitions (default 0: Spark's default parallelism).")
    int partitions;

    @Option(names = "--group", defaultValue = "C4", description = "C<n> or D<n> acting on the images (default ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--max-batch", defaultValue = "4096",
            description = "Rows per forward pass (default ${DEFAULT-VALUE}); a chunk is maxBatch/|G| examples, and "
                    + "chunks are what the partitions share out.")
    int maxBatch;

    @Option(names = "--master", description = "Spark master when not run through spark-submit, e.g. local[2].")
    String master;

    @Option(names = "--out", description = "Also write the report as JSON to this file.")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new EvaluateOnSpark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        IdxDataset set = switch (data.toLowerCase(Locale.ROOT)) {
            case "mnist" -> Datasets.mnist();
            case "fashion-mnist" -> Datasets.fashionMnist();
            default -> throw new IllegalArgumentException("--data must be mnist or fashion-mnist, got '" + data + "'");
        };
        if (examples < 1 || batch < 1 || from < 0 || partitions < 0) {
            throw new IllegalArgumentException("--examples and --batch must be >= 1, --from and --partitions >= 0; got "
                    + examples + ", " + batch + ", " + from + ", " + partitions);
        }
        Model net = restore(model);
        SparkInvarianceEvaluator evaluator = SparkInvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.byName(group)))
                .maxExamples(examples)
                .maxBatch(maxBatch)
                .build();
        SparkConf conf = new SparkConf().setAppName("dl4j-invariance evaluate-on-spark");
        if (master != null) {
            conf.setMaster(master);
            if (master.startsWith("local")) {
                // One JVM: nothing to reach from elsewhere, so the driver listens on loopback only.
                conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
            }
        } else if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("No Spark master: run through spark-submit or pass --master, e.g. --master local[2]");
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            List<DataSet> batches = new ArrayList<>();
            for (int i = 0; i < examples; i += batch) {
                batches.add(set.slice(from + i, Math.min(batch, examples - i)));
            }
            int parts = partitions > 0 ? partitions : sc.defaultParallelism();
            long t0 = System.nanoTime();
            InvarianceReport report = evaluator.evaluate(net, sc.parallelize(batches, parts));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println(report);
            System.out.printf(Locale.ROOT, "%d examples of %s, %s, %d partitions on %s: %.1f s%n", examples, data, group, parts,
                    sc.master(), ms / 1000.0);
            if (out != null) {
                write(out, report.toJson());
            }
        }
        return 0;
    }

    /** A MultiLayerNetwork's zip holds a MultiLayerConfiguration; anything else is read as a graph. */
    private static Model restore(File file) throws IOException {
        if (!file.isFile()) {
            throw new IllegalArgumentException("--model " + file + " is not a file");
        }
        String config;
        try (ZipFile zip = new ZipFile(file)) {
            var entry = zip.getEntry("configuration.json");
            if (entry == null) {
                throw new IllegalArgumentException("--model " + file + " has no configuration.json: not a ModelSerializer zip");
            }
            config = new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
        }
        return config.contains("\"vertices\"") ? ModelSerializer.restoreComputationGraph(file, false)
                : ModelSerializer.restoreMultiLayerNetwork(file, false);
    }

    /** Written to a temporary file beside the target, then moved into place: never half-written. */
    private static void write(Path target, String text) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text);
            if (Files.getFileStore(tmp).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
                // createTempFile makes the file private (rw-------); a report is for reading.
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
