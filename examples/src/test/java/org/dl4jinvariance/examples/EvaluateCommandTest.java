package org.dl4jinvariance.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.data.IdxDataset;
import org.dl4jinvariance.data.ImageFolder;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.listeners.report.ChartsReporter;
import org.dl4jinvariance.listeners.report.CsvReporter;
import org.dl4jinvariance.listeners.report.HtmlReporter;
import org.dl4jinvariance.listeners.report.JsonLinesReporter;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.MetricValue;
import org.dl4jinvariance.testing.ImageFiles;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * {@code evaluate} end to end on real files: a tiny CNN trained here and saved with
 * {@code ModelSerializer}, PNG/JPEG files written from the embedded digits and Fashion images
 * (class sub-folders, a flat folder with colour images and images of another size, a corrupt
 * PNG and a text file), run through {@link Main#run}; the figures in {@code summary.json} must
 * equal {@link InvarianceEvaluator} on the same arrays.
 */
class EvaluateCommandTest {

    private static final double TOLERANCE = 1e-6;
    private static final int DIGITS = 60;
    private static final String SEED = "5";

    @TempDir
    static Path files;

    @TempDir
    Path tmp;

    private static Path netZip;
    private static Path graphZip;
    private static Path digits;
    private static Path ood;
    /** Fashion-MNIST PNGs in class sub-folders: labelled, but with garment classes a digit model knows nothing of. */
    private static Path fashionClasses;
    /** Eight digits in three class folders: labels of another width than the model's 10 outputs. */
    private static Path threeClasses;

    @BeforeAll
    static void writeModelsAndImages() throws IOException {
        netZip = files.resolve("tiny-cnn.zip");
        ModelSerializer.writeModel(TestNetworks.trainedTinyCnn(3), netZip.toFile(), false);
        graphZip = files.resolve("tiny-graph.zip");
        ModelSerializer.writeModel(TestNetworks.trainedTinyCnnGraph(3), graphZip.toFile(), false);

        IdxDataset mnist = Datasets.mnist();
        digits = files.resolve("digits");
        ImageFiles.writeClassFolders(digits, mnist, 0, DIGITS, "png");
        ImageFiles.writeTruncatedPng(mnist, DIGITS, digits.resolve("3").resolve("corrupt.png"));
        ImageFiles.writeText(digits.resolve("3").resolve("notes.txt"));

        IdxDataset fashion = Datasets.fashionMnist();
        ood = files.resolve("ood");
        ImageFiles.writeFlat(ood, fashion, 0, 20, "png");
        for (int i = 20; i < 26; i++) {
            int[][] p = ImageFiles.pixels(fashion, i);
            ImageFiles.write(ImageFiles.colour(p, ImageFiles.pixels(fashion, i + 100)), "jpg",
                    ood.resolve(ImageFiles.fileName(i, "jpg")));
            ImageFiles.write(ImageFiles.grey(ImageFiles.upscale(ImageFiles.pixels(fashion, i + 10), 2)), "png",
                    ood.resolve(ImageFiles.fileName(i + 10, "png")));
        }
        fashionClasses = files.resolve("fashion-classes");
        ImageFiles.writeClassFolders(fashionClasses, fashion, 0, 40, "png");
        threeClasses = files.resolve("three-classes");
        for (int i = 0; i < 8; i++) {
            ImageFiles.write(ImageFiles.grey(mnist, i), "png",
                    threeClasses.resolve("class" + (i % 3)).resolve(ImageFiles.fileName(i, "png")));
        }
    }

    @Test
    void anOodFolderGetsInvarianceButNoAccuracyWhileTheDataFolderKeepsIt() throws IOException {
        Path base = tmp.resolve("ood-run");
        CliRun r = CliRun.of("evaluate", "--model", netZip.toString(), "--data", "digits=" + digits,
                "--ood", "fashion=" + fashionClasses, "--ood", "three=" + threeClasses, "--seed", SEED,
                "--out", base.toString());
        assertEquals(0, r.code(), r.context());
        Path out = latestRun(base);

        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(netZip.toFile(), false);
        InvarianceReport fashion = reportIn(base, "fashion");
        InvarianceReport digitsReport = reportIn(base, "digits");
        // The figures of the evaluator without label metrics, on the same arrays.
        assertSameFigures(evaluator().withoutLabelMetrics().evaluate(net,
                inScanOrder(fashionClasses, Datasets.fashionMnist())), fashion);
        assertSameFigures(evaluator().evaluate(net, inScanOrder(digits, Datasets.mnist())), digitsReport);
        for (InvarianceReport ood : List.of(fashion, reportIn(base, "three"))) {
            assertTrue(ood.get("output", MetricKeys.INVARIANCE).isApplicable(), "invariance is measured");
            assertTrue(ood.has("output", MetricKeys.CONSISTENCY), "consistency compares predictions, not labels");
            assertFalse(ood.values().get("output").keySet().stream().anyMatch(k -> k.startsWith(MetricKeys.ACCURACY)),
                    "no accuracy key on an OOD set: " + ood.values().get("output").keySet());
        }
        assertTrue(digitsReport.has("output", MetricKeys.ACCURACY) && digitsReport.has("output",
                MetricKeys.accuracyOf("id")), "the in-distribution set keeps its accuracy");

        JsonNode sets = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("dataSets");
        assertEquals("IN_DISTRIBUTION", sets.get("digits").get("role").asText());
        assertEquals("OUT_OF_DISTRIBUTION", sets.get("fashion").get("role").asText());
        assertFalse(sets.get("fashion").get("labelMetrics").asBoolean());
        // The role on the table, the summary page, the model page and in the CSV.
        assertTrue(r.out().contains("fashion (out of distribution: no accuracy against its labels): 40 examples measured"),
                r.out());
        assertTrue(r.out().contains("accuracy (digits)") && !r.out().contains("accuracy (fashion"), r.out());
        assertTrue(r.out().contains("prediction KL (fashion (OOD))"), r.out());
        String summaryPage = Files.readString(out.resolve("index.html"));
        assertTrue(summaryPage.contains("<th>fashion (OOD)</th>") && summaryPage.contains("<th>digits</th>"), summaryPage);
        String modelPage = Files.readString(out.resolve("tiny-cnn").resolve(HtmlReporter.FILE_NAME));
        assertTrue(modelPage.contains("<b>fashion</b> (out of distribution: no accuracy against its labels)"), modelPage);
        assertTrue(modelPage.contains("<b>digits</b> (in distribution)"), modelPage);
        List<String> csv = Files.readAllLines(out.resolve("tiny-cnn").resolve(CsvReporter.FILE_NAME));
        assertTrue(csv.stream().anyMatch(l -> l.contains(",fashion,") && l.contains("OUT_OF_DISTRIBUTION")), csv.get(1));
        assertTrue(csv.stream().filter(l -> l.contains(",fashion,")).noneMatch(l -> l.contains(",accuracy")),
                "no accuracy row for the OOD set");
    }

    @Test
    void oodLabelMetricsAsksForAccuracyOnTheOodSet() throws IOException {
        Path base = tmp.resolve("ood-labels");
        CliRun r = CliRun.of("evaluate", "--model", netZip.toString(), "--ood", "late-digits=embedded:mnist:9000:40",
                "--ood-label-metrics", "--seed", SEED, "--out", base.toString());
        assertEquals(0, r.code(), r.context());
        InvarianceReport expected = evaluator().evaluate(ModelSerializer.restoreMultiLayerNetwork(netZip.toFile(), false),
                Datasets.mnist().iterator(64, 9000, 40));
        InvarianceReport actual = reportIn(base, "late-digits");
        assertSameFigures(expected, actual);
        assertTrue(actual.has("output", MetricKeys.ACCURACY), "accuracy against the OOD set's own labels");
        assertTrue(r.out().contains("accuracy (late-digits (OOD))"), r.out());
        assertTrue(r.out().contains("late-digits (out of distribution: accuracy against its own labels "
                + "(--ood-label-metrics))"), r.out());
    }

    @Test
    void everyLinkOfAnEvaluateRunResolvesAndItsPagesLinkBack() throws IOException {
        Path base = tmp.resolve("links");
        String[] args = {"evaluate", "--model", netZip.toString(), "--data", "held-out=embedded:mnist:9000:20",
                "--ood", "fashion=embedded:fashion-mnist:0:20", "--metrics", "invariance", "--seed", SEED,
                "--out", base.toString()};
        assertEquals(0, CliRun.of(args).code());
        Path run = latestRun(base);
        String summaryPage = Files.readString(run.resolve("index.html"));
        assertTrue(summaryPage.contains("<a href=\"../index.html\">&larr; every run in links</a>"),
                "the dated run's summary links up to the comparison page: " + summaryPage);
        String modelPage = Files.readString(run.resolve("tiny-cnn").resolve(HtmlReporter.FILE_NAME));
        assertTrue(modelPage.contains("href=\"../index.html\""), "the model page links back to the run's summary");
        assertTrue(Files.readString(base.resolve("index.html")).contains(run.getFileName() + "/index.html"),
                "the comparison page links the run");
        // The comparison page, the run's summary and the model page: 3 pages, every link to a written file.
        assertEquals(3, ExperimentFiles.assertLinksResolve(base));

        String[] overwrite = java.util.Arrays.copyOf(args, args.length + 1);
        overwrite[args.length] = "--overwrite";
        assertEquals(0, CliRun.of(overwrite).code());
        assertFalse(Files.readString(base.resolve("index.html")).contains("every run in"),
                "with --overwrite there is no comparison page to link to");
        assertEquals(2, ExperimentFiles.assertLinksResolve(base));
    }

    @Test
    void foldersGiveTheEvaluatorsFiguresOnTheSameArraysAndEveryFileIsWritten() throws IOException {
        Path base = tmp.resolve("out");
        CliRun r = CliRun.of("evaluate", "--model", netZip.toString(), "--data", "digits=" + digits,
                "--data", "ood=" + ood, "--seed", SEED, "--out", base.toString());
        assertEquals(0, r.code(), r.context());
        Path out = latestRun(base);

        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(netZip.toFile(), false);
        // Grey PNGs are lossless: the labelled folder holds exactly the embedded digits, in scan order.
        InvarianceReport expectedDigits = evaluator().evaluate(net, embeddedInScanOrder(digits));
        InvarianceReport expectedOod = evaluator().evaluate(net, ImageFolder.of(ood).size(28, 28, 1).build());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        JsonNode reports = summary.get("models").get(0).get("reports");
        assertSameFigures(expectedDigits, InvarianceReport.fromJson(reports.get("digits").toString()));
        assertSameFigures(expectedOod, InvarianceReport.fromJson(reports.get("ood").toString()));

        assertEquals(DIGITS, expectedDigits.get("output", MetricKeys.INVARIANCE).n());
        assertEquals(32, expectedOod.get("output", MetricKeys.INVARIANCE).n(), "20 grey, 6 colour, 6 of 56x56");
        assertTrue(expectedDigits.has("output", MetricKeys.ACCURACY));
        assertFalse(InvarianceReport.fromJson(reports.get("ood").toString()).has("output", MetricKeys.ACCURACY),
                "a flat folder has no labels: no accuracy");
        assertTrue(summary.get("notes").toString().contains("ood has no labels"), summary.get("notes").toString());

        JsonNode sets = summary.get("dataSets");
        assertEquals(2, sets.get("digits").get("skipped").asInt(), "the corrupt PNG and the text file");
        assertEquals(0, sets.get("ood").get("skipped").asInt());
        String skippedFiles = sets.get("digits").get("skippedFiles").toString();
        assertTrue(skippedFiles.contains("corrupt.png") && skippedFiles.contains("notes.txt"), skippedFiles);
        assertTrue(r.out().contains("digits (in distribution): 60 examples measured, skipped files: 2, 10 classes"),
                r.out());
        assertTrue(r.out().contains("ood (in distribution): 32 examples measured, skipped files: 0, no labels"), r.out());

        Path modelDir = out.resolve("tiny-cnn");
        for (String name : List.of(CsvReporter.FILE_NAME, JsonLinesReporter.FILE_NAME, HtmlReporter.FILE_NAME,
                ChartsReporter.PROFILE_FILE)) {
            assertTrue(Files.size(modelDir.resolve(name)) > 0, name);
        }
        for (String name : List.of("summary.json", "index.html", "invariance-profile.png")) {
            assertTrue(Files.size(out.resolve(name)) > 0, name);
        }
        assertTrue(Files.readString(out.resolve("index.html")).contains("tiny-cnn/" + HtmlReporter.FILE_NAME),
                "the summary page links the model's page");
        List<String> csv = Files.readAllLines(modelDir.resolve(CsvReporter.FILE_NAME));
        assertTrue(csv.stream().anyMatch(l -> l.contains(",digits,") && l.contains(",conv,")), csv.get(1));
    }

    @Test
    void strictFailsNamingTheCorruptAndTheTextFile() {
        Path out = tmp.resolve("strict");
        CliRun r = CliRun.of("evaluate", "--model", netZip.toString(), "--data", "digits=" + digits, "--strict",
                "--out", out.toString());
        assertEquals(2, r.code(), r.context());
        String message = r.err().lines().findFirst().orElse("");
        assertTrue(message.startsWith("--data digits=" + digits) && message.contains("corrupt.png")
                && message.contains("notes.txt"), message);
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void aComputationGraphOnEmbeddedDigitsGivesTheEvaluatorsFigures() throws IOException {
        Path out = tmp.resolve("graph");
        CliRun r = CliRun.of("evaluate", "--model", graphZip.toString(), "--data", "held-out=embedded:mnist:9000:100",
                "--group", "D4", "--seed", SEED, "--out", out.toString());
        assertEquals(0, r.code(), r.context());
        ComputationGraph graph = ModelSerializer.restoreComputationGraph(graphZip.toFile(), false);
        InvarianceReport expected = InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.d4()))
                .seed(Long.parseLong(SEED)).build().evaluate(graph, Datasets.mnist().iterator(64, 9000, 100));
        assertSameFigures(expected, reportIn(out, "held-out"));
        assertTrue(r.out().contains("ComputationGraph"), r.out());
    }

    @Test
    void anIdxPairIsReadWithItsLabels() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("idx"));
        writeIdx(dir, "my-images-idx3-ubyte", "my-labels-idx1-ubyte", 0, 50);
        Path out = tmp.resolve("idx-out");
        CliRun r = CliRun.of("evaluate", "--model", netZip.toString(), "--data", "mine=" + dir.resolve("my-images-idx3-ubyte"),
                "--metrics", "invariance,consistency", "--seed", SEED, "--out", out.toString());
        assertEquals(0, r.code(), r.context());
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(netZip.toFile(), false);
        InvarianceReport expected = InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4()))
                .metrics(MetricChoice.INVARIANCE.metric(), MetricChoice.CONSISTENCY.metric()).seed(Long.parseLong(SEED))
                .build().evaluate(net, Datasets.mnist().iterator(64, 0, 50));
        assertSameFigures(expected, reportIn(out, "mine"));
    }

    @Test
    void anIdxImageFileWithoutLabelsIsMeasuredWithoutLabelMetrics() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("idx-unlabelled"));
        writeIdx(dir, "mine-images-idx3-ubyte", "elsewhere-labels-idx1-ubyte", 0, 50);
        Path out = tmp.resolve("idx-unlabelled-out");
        CliRun r = CliRun.of("evaluate", "--model", netZip.toString(), "--data", "mine=idx:" + dir.resolve(
                "mine-images-idx3-ubyte"), "--seed", SEED, "--out", out.toString());
        assertEquals(0, r.code(), r.context());
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(netZip.toFile(), false);
        DataSetIterator unlabelled = Datasets.mnist().iterator(64, 0, 50);
        unlabelled.setPreProcessor(ds -> ds.setLabels(null));
        InvarianceReport expected = evaluator().evaluate(net, unlabelled);
        InvarianceReport actual = reportIn(out, "mine");
        assertSameFigures(expected, actual);
        assertFalse(actual.has("output", MetricKeys.ACCURACY));
        assertTrue(actual.has("output", MetricKeys.CONSISTENCY), "consistency compares predictions, not labels");
        assertTrue(r.out().contains("mine (in distribution): 50 examples measured, skipped files: 0, no labels"), r.out());
        assertTrue(Files.readString((Files.exists(out.resolve("latest.txt")) ? latestRun(out) : out).resolve("summary.json"))
                .contains("accuracy is left out (consistency, which needs none, is reported)"), "the note says what is left out");
    }

    @Test
    void targetPrecisionIsPassedToTheEvaluatorAndRecorded() throws IOException {
        Path out = tmp.resolve("precision");
        CliRun r = CliRun.of("evaluate", "--model", netZip.toString(), "--data", "held-out=embedded:mnist:9000:200",
                "--metrics", "invariance", "--target-precision", "0.5", "--seed", SEED, "--out", out.toString(),
                "--overwrite");
        assertEquals(0, r.code(), r.context());
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(netZip.toFile(), false);
        InvarianceReport expected = InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4()))
                .metrics(MetricChoice.INVARIANCE.metric()).targetPrecision(0.5).seed(Long.parseLong(SEED)).build()
                .evaluate(net, Datasets.mnist().iterator(64, 9000, 200));
        InvarianceReport actual = reportIn(out, "held-out");
        assertSameFigures(expected, actual);
        assertTrue(actual.precision().orElseThrow().met(), "a loose target is met: " + actual.settings());
    }

    @Test
    void helpDocumentsEveryOption() {
        CliRun r = CliRun.of("evaluate", "--help");
        assertEquals(0, r.code(), r.context());
        for (String option : List.of("--model", "--data", "--group", "--action", "--layers", "--metrics", "--max-examples",
                "--ood", "--ood-label-metrics", "--scale", "--normalize", "--input-shape", "--strict", "--batch-size", "--seed",
                "--out", "--overwrite",
                "--target-precision", "--sample-elements")) {
            assertTrue(r.out().contains(option), option + " in:\n" + r.out());
        }
        assertTrue(r.out().contains("embedded:mnist[:OFFSET:COUNT]") && r.out().contains("idx:IMAGES_FILE"), r.out());
        assertFalse(r.err().contains("picocli WARN"), "every description formats (a '%' is escaped): " + r.err());
    }

    private static InvarianceEvaluator evaluator() {
        return InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4())).seed(Long.parseLong(SEED))
                .build();
    }

    /** The embedded digits whose PNGs the folder scan reads, in the scan's order, in batches of 64. */
    private static DataSetIterator embeddedInScanOrder(Path dir) {
        return inScanOrder(dir, Datasets.mnist());
    }

    /** The embedded images of {@code data} whose PNGs the folder scan reads, in the scan's order, in batches of 64. */
    private static DataSetIterator inScanOrder(Path dir, IdxDataset data) {
        List<DataSet> examples = new ArrayList<>();
        for (Path file : ImageFolder.of(dir).size(28, 28, 1).scan().images()) {
            examples.add(data.slice(ImageFiles.exampleIndex(file), 1));
        }
        return new ListDataSetIterator<>(DataSet.merge(examples).asList(), 64);
    }

    /** The run folder latest.txt names under an --out folder. */
    private static Path latestRun(Path base) throws IOException {
        return base.resolve(Files.readString(base.resolve("latest.txt")).trim());
    }

    @Test
    void aSecondRunWritesItsOwnFolderAndOverwriteReplacesThem() throws IOException {
        Path base = tmp.resolve("reruns");
        String[] args = {"evaluate", "--model", netZip.toString(), "--data", "held-out=embedded:mnist:9000:20",
                "--metrics", "invariance", "--seed", SEED, "--out", base.toString()};
        assertEquals(0, CliRun.of(args).code());
        Path first = latestRun(base);
        List<String> firstCsv = Files.readAllLines(first.resolve("tiny-cnn").resolve(CsvReporter.FILE_NAME));
        CliRun second = CliRun.of(args);
        assertEquals(0, second.code(), second.context());
        Path secondRun = latestRun(base);
        assertFalse(first.equals(secondRun), "a new dated folder");
        assertEquals(firstCsv, Files.readAllLines(first.resolve("tiny-cnn").resolve(CsvReporter.FILE_NAME)),
                "the first run's CSV is not appended to");
        String comparison = Files.readString(base.resolve("index.html"));
        assertTrue(comparison.contains(first.getFileName().toString())
                && comparison.contains(secondRun.getFileName().toString()), "the comparison page lists both runs");
        ExperimentFiles.assertLinksResolve(base);

        String[] overwrite = java.util.Arrays.copyOf(args, args.length + 1);
        overwrite[args.length] = "--overwrite";
        CliRun replaced = CliRun.of(overwrite);
        assertEquals(0, replaced.code(), replaced.context());
        assertFalse(Files.exists(first) || Files.exists(secondRun), "--overwrite removes the earlier runs");
        assertTrue(Files.size(base.resolve("summary.json")) > 0, "and writes into --out itself");
    }

    private static InvarianceReport reportIn(Path base, String dataSet) throws IOException {
        Path out = Files.exists(base.resolve("latest.txt")) ? latestRun(base) : base;
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        return InvarianceReport.fromJson(summary.get("models").get(0).get("reports").get(dataSet).toString());
    }

    /** Every layer and metric of {@code expected}, mean and CI, to {@link #TOLERANCE}. */
    static void assertSameFigures(InvarianceReport expected, InvarianceReport actual) {
        assertEquals(expected.layers(), actual.layers());
        for (Map.Entry<String, Map<String, MetricValue>> layer : expected.values().entrySet()) {
            assertEquals(layer.getValue().keySet(), actual.values().get(layer.getKey()).keySet(), layer.getKey());
            for (Map.Entry<String, MetricValue> m : layer.getValue().entrySet()) {
                MetricValue a = actual.get(layer.getKey(), m.getKey());
                MetricValue e = m.getValue();
                String where = layer.getKey() + "/" + m.getKey();
                assertEquals(e.isApplicable(), a.isApplicable(), where);
                if (e.isApplicable()) {
                    assertEquals(e.mean(), a.mean(), TOLERANCE, where);
                    assertEquals(e.ciLow(), a.ciLow(), TOLERANCE, where);
                    assertEquals(e.ciHigh(), a.ciHigh(), TOLERANCE, where);
                    assertEquals(e.n(), a.n(), where);
                }
            }
        }
    }

    /** Embedded digits [from, from + count) as a raw IDX image/label pair in {@code dir}. */
    static void writeIdx(Path dir, String imagesName, String labelsName, int from, int count) throws IOException {
        IdxDataset mnist = Datasets.mnist();
        try (DataOutputStream images = new DataOutputStream(Files.newOutputStream(dir.resolve(imagesName)));
             DataOutputStream labels = new DataOutputStream(Files.newOutputStream(dir.resolve(labelsName)))) {
            images.writeInt(0x803);
            images.writeInt(count);
            images.writeInt(28);
            images.writeInt(28);
            labels.writeInt(0x801);
            labels.writeInt(count);
            for (int i = from; i < from + count; i++) {
                for (int[] row : ImageFiles.pixels(mnist, i)) {
                    for (int v : row) {
                        images.writeByte(v);
                    }
                }
                labels.writeByte(mnist.label(i));
            }
        }
    }
}
