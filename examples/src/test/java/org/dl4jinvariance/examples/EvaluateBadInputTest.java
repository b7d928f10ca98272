package org.dl4jinvariance.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.testing.ImageFiles;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;

/**
 * The catalogue of values {@code evaluate} refuses (issues 13 and 14), in the style of
 * {@link CliBadInputTest}: each case runs the CLI in-process and checks what a user sees — exit
 * code 2, on standard error one line naming the option and the value (or file) and what was
 * expected plus the --help line, no stack trace, nothing on standard output, no --out folder.
 */
class EvaluateBadInputTest {

    private static final Pattern STACK_TRACE = Pattern.compile("(?m)^\\s+at \\S+\\(|^Caused by: |Exception in thread");

    @TempDir
    static Path files;

    @TempDir
    Path tmp;

    /** A 28×28 CNN whose configuration records its sizes through its dense layer (untrained: only refusals here). */
    private static Path cnn;
    /** Convolution → global pooling → output: it records 1 input channel and no image size. */
    private static Path fullyConvolutional;
    /** Ten digits in class folders 0..9. */
    private static Path digits;

    @BeforeAll
    static void writeModels() throws IOException {
        cnn = files.resolve("cnn.zip");
        ModelSerializer.writeModel(TestNetworks.tinyCnn(1, 1e-3, false), cnn.toFile(), false);
        fullyConvolutional = files.resolve("fully-convolutional.zip");
        ModelSerializer.writeModel(TestNetworks.withGlobalPoolingHead(1, new ConvolutionLayer.Builder(3, 3).nOut(4)
                .activation(Activation.RELU).build(), InputType.convolutional(28, 28, 1)), fullyConvolutional.toFile(), false);
        digits = files.resolve("digits");
        ImageFiles.writeClassFolders(digits, Datasets.mnist(), 0, 40, "png");
    }

    // ---- --model ------------------------------------------------------------------------------

    @Test
    void targetPrecisionOfZeroIsRefused() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "d=embedded:mnist:0:20", "--target-precision", "0"),
                "--target-precision 0.0: expected a 95% CI half-width above 0");
    }

    @Test
    void moreSampledElementsThanTheGroupHasAreRefused() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "d=embedded:mnist:0:20", "--sample-elements", "5"),
                "--sample-elements 5: expected at most 4, the order of C4");
    }

    @Test
    void missingModelFileIsNamed() {
        Path missing = tmp.resolve("missing.zip");
        assertUsageError(evaluate("--model", missing.toString(), "--data", "d=embedded:mnist"),
                "--model " + missing + ": no such file", "expected a MultiLayerNetwork or ComputationGraph zip");
    }

    @Test
    void truncatedModelZipIsNamed() throws IOException {
        byte[] zip = Files.readAllBytes(cnn);
        Path cut = Files.write(tmp.resolve("cut.zip"), Arrays.copyOf(zip, zip.length / 2));
        assertUsageError(evaluate("--model", cut.toString(), "--data", "d=embedded:mnist"),
                "--model " + cut + ": cannot be read as a DL4J model zip (truncated or not a zip");
    }

    @Test
    void foreignFileAsModelIsNamed() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not a model");
        assertUsageError(evaluate("--model", text.toString(), "--data", "d=embedded:mnist"),
                "--model " + text + ": cannot be read as a DL4J model zip");
    }

    @Test
    void zipThatIsNotADl4jModelIsNamed() throws IOException {
        Path zip = tmp.resolve("photos.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("holiday photos".getBytes());
            out.closeEntry();
        }
        assertUsageError(evaluate("--model", zip.toString(), "--data", "d=embedded:mnist"),
                "--model " + zip + ": is a zip file but holds no configuration.json, so it is not a DL4J model");
    }

    @Test
    void modelWithNoInputSizeAndNoInputShapeIsRefused() {
        assertUsageError(evaluate("--model", fullyConvolutional.toString(), "--data", "d=" + digits),
                "--model " + fullyConvolutional + ": its configuration records 1 input channel(s) but not the image size",
                "expected --input-shape 1,H,W");
    }

    @Test
    void inputShapeTheLayersDoNotFitIsRefused() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "d=" + digits, "--input-shape", "1,32,32"),
                "--input-shape 1,32,32: the model's layers do not fit inputs of that shape");
    }

    @Test
    void malformedInputShapeIsNamed() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "d=" + digits, "--input-shape", "28x28"),
                "--input-shape 28x28: expected C,H,W");
    }

    // ---- --data -------------------------------------------------------------------------------

    @Test
    void dataWithoutANameIsRefused() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", digits.toString()),
                "--data " + digits + ": no '='", "expected NAME=SOURCE");
    }

    @Test
    void emptyFolderIsRefused() throws IOException {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "e=" + empty),
                "--data e=" + empty + ": Image folder", "is empty");
    }

    @Test
    void missingDataFolderIsNamed() {
        Path missing = tmp.resolve("no-such-folder");
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "m=" + missing),
                "--data m=" + missing + ": " + missing + " does not exist");
    }

    @Test
    void embeddedSliceBeyondTheDataIsRefused() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "m=embedded:mnist:9990:100"),
                "--data m=embedded:mnist:9990:100: OFFSET 9990 and COUNT 100 go beyond the 10,000 embedded mnist images");
    }

    @Test
    void unknownEmbeddedSetIsRefused() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "c=embedded:cifar10"),
                "--data c=embedded:cifar10: expected embedded:mnist or embedded:fashion-mnist");
    }

    @Test
    void twoDataSetsWithOneNameAreRefused() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "d=embedded:mnist", "--data", "d=" + digits),
                "--data d=" + digits + ": the name 'd' is used by another --data");
    }

    @Test
    void aDataAndAnOodSetWithOneNameAreRefused() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "d=embedded:mnist", "--ood", "d=" + digits),
                "--ood d=" + digits + ": the name 'd' is used by another --data or --ood",
                "expected a different NAME per data set");
    }

    @Test
    void noDataSetAtAllIsRefused() {
        assertUsageError(evaluate("--model", cnn.toString()),
                "no data set: expected at least one --data NAME=SOURCE (in distribution) or --ood NAME=SOURCE");
    }

    @Test
    void oodLabelMetricsWithoutAnOodSetIsRefused() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "d=embedded:mnist:0:20", "--ood-label-metrics"),
                "--ood-label-metrics without --ood", "expected at least one --ood NAME=SOURCE");
    }

    @Test
    void aMissingOodFolderIsNamedWithItsOption() {
        Path missing = tmp.resolve("no-such-ood");
        assertUsageError(evaluate("--model", cnn.toString(), "--ood", "o=" + missing),
                "--ood o=" + missing + ": " + missing + " does not exist");
    }

    @Test
    void anOodEmbeddedSliceBeyondTheDataIsNamedWithItsOption() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "d=embedded:mnist:0:20", "--ood",
                "f=embedded:fashion-mnist:9990:100"), "--ood f=embedded:fashion-mnist:9990:100: OFFSET 9990 and COUNT 100");
    }

    @Test
    void labelsOfAnotherWidthThanTheOutputAreRefused() throws IOException {
        // Three class folders for a 10-class model: accuracy would compare with the wrong classes.
        Path three = tmp.resolve("three");
        for (int i = 0; i < 6; i++) {
            ImageFiles.write(ImageFiles.grey(Datasets.mnist(), i), "png",
                    three.resolve("class" + (i % 3)).resolve(ImageFiles.fileName(i, "png")));
        }
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "t=" + three),
                "--data t=" + three + ": its labels have 3 classes but the model's output layer has 10");
    }

    // ---- group, action, layers, metrics, scaling ----------------------------------------------

    @Test
    void unknownGroupIsNamed() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "d=embedded:mnist", "--group", "Q4"),
                "--group Q4: expected C<n> or D<n>");
    }

    @Test
    void rotationByQuarterTurnsOfNonSquareInputsIsRefused() {
        assertUsageError(evaluate("--model", fullyConvolutional.toString(), "--data", "d=" + digits, "--input-shape",
                "1,28,32"), "--group C4 --action rotation on inputs 1x28x32", "needs square images");
    }

    @Test
    void translationWhoseOrderDoesNotDivideTheWidthIsRefused() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "d=embedded:mnist", "--action", "translation",
                "--group", "C5"), "--group C5 with --action translation on inputs 1x28x28",
                "expected a group order that divides the width 28");
    }

    @Test
    void unknownActionIsNamed() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "d=embedded:mnist", "--action", "shear"),
                "--action shear: expected rotation, reflection or translation");
    }

    @Test
    void unknownLayerIsNamed() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "d=embedded:mnist", "--layers", "conv,nope"),
                "--layers conv,nope: Unknown layer 'nope'");
    }

    @Test
    void unknownMetricIsNamed() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "d=embedded:mnist", "--metrics", "invariance,acc"),
                "--metrics invariance,acc: 'acc' is not a metric");
    }

    @Test
    void scaleOtherThanZeroOneIsRefused() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "d=embedded:mnist", "--scale", "0-255"),
                "--scale 0-255: expected 0-1");
    }

    @Test
    void normalizeWithZeroStdIsRefused() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "d=embedded:mnist", "--normalize", "0.5,0"),
                "--normalize 0.5,0: expected mean,std");
    }

    @Test
    void maxExamplesBelowOneIsRefused() {
        assertUsageError(evaluate("--model", cnn.toString(), "--data", "d=embedded:mnist", "--max-examples", "0"),
                "--max-examples 0: expected a whole number of at least 1");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private final List<Path> outs = new ArrayList<>();

    /** {@code evaluate args... --out <fresh folder>}. */
    private CliRun evaluate(String... args) {
        Path out = tmp.resolve("out-" + outs.size());
        outs.add(out);
        List<String> all = new ArrayList<>(List.of("evaluate"));
        all.addAll(List.of(args));
        all.addAll(List.of("--out", out.toString()));
        return CliRun.of(all.toArray(new String[0]));
    }

    private void assertUsageError(CliRun r, String... fragments) {
        assertEquals(2, r.code(), r.context());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), "one message line and one --help line: " + r.context());
        for (String fragment : fragments) {
            assertTrue(lines.get(0).contains(fragment), "'" + fragment + "' in: " + lines.get(0));
        }
        assertEquals("See: java -jar dl4j-invariance-examples.jar evaluate --help", lines.get(1));
        assertFalse(STACK_TRACE.matcher(r.err()).find(), "no stack trace: " + r.context());
        assertEquals("", r.out(), "nothing printed on standard output");
        for (Path out : outs) {
            assertFalse(Files.exists(out), "nothing written: " + out);
        }
    }
}
