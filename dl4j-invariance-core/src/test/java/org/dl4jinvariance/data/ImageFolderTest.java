package org.dl4jinvariance.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.metric.InvarianceEvaluator;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.MetricValue;
import org.dl4jinvariance.testing.ImageFiles;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** ImageFolder on real PNG/JPEG files written from the embedded digits. */
class ImageFolderTest {

    /** Held-out digits 8,000 … 8,039, never in the tiny CNN's training slice. */
    private static final int FROM = 8_000;
    private static final int COUNT = 40;

    @TempDir
    static Path tmp;
    private static Path classes;
    private static Path flat;
    private static MultiLayerNetwork net;

    @BeforeAll
    static void writeFolders() {
        classes = tmp.resolve("classes");
        ImageFiles.writeClassFolders(classes, Datasets.mnist(), FROM, COUNT, "png");
        flat = tmp.resolve("flat");
        ImageFiles.writeFlat(flat, Datasets.mnist(), FROM, COUNT, "png");
        net = TestNetworks.trainedTinyCnn(1);
    }

    private static List<DataSet> all(DataSetIterator it) {
        List<DataSet> out = new ArrayList<>();
        it.reset();
        while (it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    /** The embedded examples of the files, in the scan's order, as one DataSet with labels. */
    private static DataSet direct(ImageFolder.Scan scan) {
        return DataSet.merge(scan.images().stream()
                .map(p -> Datasets.mnist().slice(ImageFiles.exampleIndex(p), 1)).toList());
    }

    /** The same arrays in batches of {@code batch}, with or without labels. */
    private static DataSetIterator directBatches(ImageFolder.Scan scan, int batch, boolean labels) {
        DataSet all = direct(scan);
        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from < all.numExamples(); from += batch) {
            int to = Math.min(all.numExamples(), from + batch);
            INDArray x = all.getFeatures().get(NDArrayIndex.interval(from, to)).dup();
            batches.add(new DataSet(x, labels ? all.getLabels().get(NDArrayIndex.interval(from, to)).dup() : null));
        }
        return new ExistingDataSetIterator(batches);
    }

    /** The features of every batch, stacked (DataSet.merge refuses null labels). */
    private static INDArray features(List<DataSet> batches) {
        return Nd4j.concat(0, batches.stream().map(DataSet::getFeatures).toArray(INDArray[]::new));
    }

    @Test
    void classSubFoldersGiveSortedLabelsOneHotAndTheEmbeddedPixelsOver255() {
        ImageFolder.Iterator it = ImageFolder.of(classes).size(28, 28, 1).batchSize(16).build();
        assertEquals(IntStream.range(0, 10).mapToObj(String::valueOf).toList(), it.getLabels());
        assertEquals(10, it.totalOutcomes());
        assertEquals(COUNT, it.numExamples());
        assertTrue(it.skipped().isEmpty());
        List<DataSet> batches = all(it);
        assertEquals(List.of(16L, 16L, 8L), batches.stream().map(b -> b.getFeatures().size(0)).toList());
        DataSet got = DataSet.merge(batches);
        DataSet expected = direct(it.scan());
        assertArrayEquals(new long[] {COUNT, 1, 28, 28}, got.getFeatures().shape());
        // PNG is lossless: x/255 of the file equals the embedded example exactly.
        assertArrayEquals(expected.getFeatures().data().asFloat(), got.getFeatures().dup('c').data().asFloat(), 0f);
        assertArrayEquals(expected.getLabels().data().asFloat(), got.getLabels().dup('c').data().asFloat(), 0f);
        // A second pass after reset reads the same batches.
        assertEquals(got.getFeatures(), DataSet.merge(all(it)).getFeatures());
    }

    @Test
    void aFlatFolderIsUnlabelledAndItsBatchesCarryNoLabels() {
        ImageFolder.Iterator it = ImageFolder.of(flat).size(28, 28, 1).batchSize(32).build();
        assertFalse(it.scan().labelled());
        assertNull(it.getLabels());
        for (DataSet ds : all(it)) {
            assertNull(ds.getLabels(), "DataVec puts the features in the labels' place; ImageFolder must not");
        }
    }

    @Test
    void evaluatorOnAnImageFolderGivesTheFiguresOfTheSameArrays() {
        InvarianceEvaluator evaluator = InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).build();
        ImageFolder.Iterator it = ImageFolder.of(classes).size(28, 28, 1).batchSize(16).build();
        InvarianceReport fromFiles = evaluator.evaluate(net, it);
        InvarianceReport fromArrays = evaluator.evaluate(net,
                directBatches(it.scan(), 16, true));
        assertSameFigures(fromArrays, fromFiles);
        assertTrue(fromFiles.has("output", MetricKeys.ACCURACY));
    }

    @Test
    void evaluatorOnAnUnlabelledFolderSkipsTheLabelMetricsAndMatchesTheArrays() {
        InvarianceEvaluator evaluator = InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).build();
        ImageFolder.Iterator it = ImageFolder.of(flat).size(28, 28, 1).batchSize(16).build();
        InvarianceReport fromFiles = evaluator.evaluate(net, it);
        assertFalse(fromFiles.has("output", MetricKeys.ACCURACY), fromFiles.metrics().toString());
        assertTrue(fromFiles.has("output", MetricKeys.CONSISTENCY), "consistency needs no labels: " + fromFiles.metrics());
        assertTrue(fromFiles.has("output", MetricKeys.INVARIANCE_NORMALIZED));
        assertTrue(fromFiles.has("output", MetricKeys.PREDICTION_KL));
        InvarianceReport fromArrays = evaluator.evaluate(net,
                directBatches(it.scan(), 16, false));
        assertSameFigures(fromArrays, fromFiles);
    }

    private static void assertSameFigures(InvarianceReport expected, InvarianceReport actual) {
        assertEquals(expected.layers(), actual.layers());
        assertEquals(expected.metrics(), actual.metrics());
        int compared = 0;
        for (String layer : expected.layers()) {
            for (String metric : expected.metrics()) {
                if (!expected.has(layer, metric)) {
                    assertFalse(actual.has(layer, metric), layer + " " + metric);
                    continue;
                }
                MetricValue e = expected.get(layer, metric);
                MetricValue a = actual.get(layer, metric);
                String what = layer + " " + metric;
                assertEquals(e.n(), a.n(), what);
                assertEquals(e.mean(), a.mean(), 1e-6, what);
                assertEquals(e.ciLow(), a.ciLow(), 1e-6, what);
                assertEquals(e.ciHigh(), a.ciHigh(), 1e-6, what);
                compared++;
            }
        }
        assertTrue(compared > 10, "compared " + compared + " figures");
    }

    @Test
    void jpegFilesAreReadCloseToTheDigitsWithTheirLabels() {
        Path jpegs = tmp.resolve("jpegs");
        ImageFiles.writeClassFolders(jpegs, Datasets.mnist(), FROM, 20, "jpg");
        ImageFolder.Iterator it = ImageFolder.of(jpegs).size(28, 28, 1).batchSize(8).build();
        assertEquals(20, it.numExamples());
        DataSet got = DataSet.merge(all(it));
        DataSet expected = direct(it.scan());
        assertEquals(expected.getLabels(), got.getLabels());
        double meanAbs = got.getFeatures().sub(expected.getFeatures()).norm1Number().doubleValue() / (20 * 784);
        assertTrue(meanAbs > 0 && meanAbs < 0.03, "JPEG is lossy but close: mean |diff| = " + meanAbs);
    }

    @Test
    void colourAndOtherSizeImagesAreConvertedAndResizedToTheRequestedShape() throws IOException {
        Path mixed = tmp.resolve("mixed");
        int[][] digit = ImageFiles.pixels(Datasets.mnist(), 8_100);
        ImageFiles.write(ImageFiles.greyAsRgb(digit), "png", mixed.resolve("a-rgb.png"));
        ImageFiles.write(ImageFiles.grey(ImageFiles.upscale(digit, 2)), "png", mixed.resolve("b-56x56.png"));
        ImageFiles.write(ImageFiles.colour(digit, ImageFiles.pixels(Datasets.fashionMnist(), 0)), "png",
                mixed.resolve("c-colour.png"));
        float[] expected = Datasets.mnist().slice(8_100, 1).getFeatures().data().asFloat();

        INDArray grey = features(all(ImageFolder.of(mixed).size(28, 28, 1).build()));
        assertArrayEquals(new long[] {3, 1, 28, 28}, grey.shape());
        // R = G = B converts back to the grey value; a 2x nearest upscale halves back exactly.
        assertArrayEquals(expected, grey.slice(0).dup('c').data().asFloat(), 0f);
        assertArrayEquals(expected, grey.slice(1).dup('c').data().asFloat(), 0f);
        assertTrue(grey.slice(2).maxNumber().doubleValue() <= 1 && grey.slice(2).minNumber().doubleValue() >= 0);

        INDArray colour = features(all(ImageFolder.of(mixed).size(28, 28, 3).build()));
        assertArrayEquals(new long[] {3, 3, 28, 28}, colour.shape());
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(expected, colour.get(NDArrayIndex.point(1), NDArrayIndex.point(c)).dup('c').data().asFloat(), 0f, "channel " + c);
        }
        // Three different planes stay different (OpenCV order B, G, R).
        assertNotEquals(colour.slice(2).slice(0), colour.slice(2).slice(2));
    }

    @Test
    void corruptAndTextFilesAreSkippedAndCountedUpFront() throws IOException {
        Path dirty = tmp.resolve("dirty");
        ImageFiles.writeClassFolders(dirty, Datasets.mnist(), FROM, 12, "png");
        Path corrupt = ImageFiles.writeTruncatedPng(Datasets.mnist(), 1, dirty.resolve("3").resolve("corrupt.png"));
        Path text = ImageFiles.writeText(dirty.resolve("5").resolve("notes.txt"));
        ImageFolder.Scan scan = ImageFolder.of(dirty).size(28, 28, 1).scan();
        assertEquals(12, scan.size());
        assertEquals(List.of(corrupt, text), scan.skipped().stream().map(ImageFolder.SkippedFile::file).toList());
        // Iteration meets only the readable files: no exception mid-way.
        assertEquals(12, DataSet.merge(all(ImageFolder.of(dirty).size(28, 28, 1).batchSize(5).build())).numExamples());

        IllegalArgumentException strict = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.of(dirty).size(28, 28, 1).strict(true).build());
        assertTrue(strict.getMessage().contains("corrupt.png") && strict.getMessage().contains("notes.txt"),
                strict.getMessage());
    }

    @Test
    void missingEmptyAndNonFolderPathsAreClearErrorsNamingThePath() throws IOException {
        Path missing = tmp.resolve("no-such-folder");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path file = ImageFiles.writeText(tmp.resolve("plain-file.txt"));
        Path onlyText = tmp.resolve("only-text");
        ImageFiles.writeText(onlyText.resolve("readme.txt"));
        for (Path p : List.of(missing, empty, file, onlyText)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ImageFolder.of(p).size(28, 28, 1).build());
            assertTrue(e.getMessage().contains(p.getFileName().toString()), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageFolder.of(classes).build())
                .getMessage().contains("size("));
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.of(classes).size(28, 28, 2));
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.of(classes).normalize(0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.of(classes).normalize(Double.NaN, 1));
    }

    @Test
    void normalizeStandardisesThePixelsOver255() {
        double mean = 0.1307;
        double std = 0.3081;
        ImageFolder.Iterator it = ImageFolder.of(classes).size(28, 28, 1).normalize(mean, std).build();
        INDArray got = DataSet.merge(all(it)).getFeatures();
        INDArray expected = direct(it.scan()).getFeatures().sub(mean).div(std);
        assertTrue(got.equalsWithEps(expected, 1e-5), "max diff " + got.sub(expected).amaxNumber());
    }

    @Test
    void aSeedShufflesTheOrderOnceAndKeepsTheFiles() {
        List<Path> sorted = ImageFolder.of(classes).size(28, 28, 1).scan().images();
        List<Path> shuffled = ImageFolder.of(classes).size(28, 28, 1).seed(3).scan().images();
        assertNotEquals(sorted, shuffled);
        assertEquals(new HashSet<>(sorted), new HashSet<>(shuffled));
        assertEquals(shuffled, ImageFolder.of(classes).size(28, 28, 1).seed(3).scan().images());
    }

    @Test
    void aGroupImageTransformTurnsEveryImageAsImageActionsDoes() {
        ImageFolder.Iterator turned = ImageFolder.of(classes).size(28, 28, 1)
                .transform(GroupImageTransform.fixed(Groups.d4(), 3)).build();
        INDArray got = DataSet.merge(all(turned)).getFeatures();
        INDArray expected = ImageActions.rotation(Groups.d4()).apply(3, direct(turned.scan()).getFeatures());
        assertArrayEquals(expected.data().asFloat(), got.dup('c').data().asFloat(), 0f);
    }

    @Test
    void inputShapeOfAFlatImageNetworkReadsItsSizeAndGivesFlatRows() {
        MultiLayerNetwork flatNet = TestNetworks.init(new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build());
        ImageFolder.Iterator it = ImageFolder.of(classes).inputShapeOf(flatNet).batchSize(16).build();
        INDArray got = features(all(it));
        assertArrayEquals(new long[] {COUNT, 784}, got.shape());
        assertEquals(direct(it.scan()).getFeatures().reshape('c', COUNT, 784), got);
        InvarianceReport report = InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).build().evaluate(flatNet, it);
        assertEquals(String.valueOf(COUNT), report.settings().get("n"));
        // A plain convolution network does not record its input size: a clear error, not a guess.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.of(classes).inputShapeOf(net));
        assertTrue(e.getMessage().contains("size(height, width, channels)"), e.getMessage());
    }
}
