package org.dl4jinvariance.listeners.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsReporterTest {

    static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    static BufferedImage readPng(byte[] bytes) throws Exception {
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(bytes, 8), "not a PNG");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertTrue(image != null, "PNG does not decode");
        return image;
    }

    /** Fraction of pixels that are not white: a chart with lines and text is far from blank. */
    static double inked(BufferedImage image) {
        long inked = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    inked++;
                }
            }
        }
        return inked / (double) (image.getWidth() * image.getHeight());
    }

    @Test
    void drawsOneGridPerLayerAndALayerProfile() throws Exception {
        ChartsReporter charts = new ChartsReporter(dir);
        Fixtures.drive(charts, Fixtures.settings("c"), 1, 4);

        for (int depth = 0; depth < Fixtures.LAYERS.size(); depth++) {
            Path file = dir.resolve(ReportCharts.fileName(depth, Fixtures.LAYERS.get(depth)));
            byte[] bytes = Files.readAllBytes(file);
            assertTrue(bytes.length > 10_000 && bytes.length < 2_000_000, file + ": " + bytes.length + " bytes");
            BufferedImage image = readPng(bytes);
            // conv layers have 3 metrics (one row of 3); dense/output have 2 (equivariance n/a).
            int metrics = depth < 3 ? 3 : 2;
            assertEquals(metrics * ReportCharts.WIDTH, image.getWidth(), file.toString());
            assertEquals(ReportCharts.HEIGHT, image.getHeight(), file.toString());
            double ink = inked(image);
            assertTrue(ink > 0.02 && ink < 0.6, file + " inked fraction " + ink);
        }
        BufferedImage profile = readPng(Files.readAllBytes(dir.resolve(ChartsReporter.PROFILE_FILE)));
        assertEquals(3 * ReportCharts.WIDTH, profile.getWidth());
        assertEquals(7, charts.files().size(), "one grid per layer, the layer profile and the per-class bars");
        assertTrue(Files.exists(dir.resolve("per-class.png")));
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary files left behind");
        }
    }

    @Test
    void chartsSkipNonFiniteAndInapplicableValuesAndFailures() throws Exception {
        Map<String, Map<String, MetricValue>> values = new LinkedHashMap<>();
        values.put("a", Map.of("invariance", MetricValue.of(new double[] {Double.NaN, 0.2}, null, 1)));
        values.put("b", Map.of("invariance", MetricValue.of(new double[] {0.3, 0.4}, null, 1),
                "equivariance", MetricValue.notApplicable("no field type")));
        ChartsReporter charts = new ChartsReporter(dir);
        charts.start(new RunSettings("r", List.of("heldOut", "ood"), Map.of()));
        for (int e = 1; e <= 2; e++) {
            charts.record(EpochReport.of(e, "heldOut", new InvarianceReport(values, Map.of()), 1));
            charts.record(EpochReport.evaluationFailed(e, "ood", new IllegalStateException("boom"), 1));
            charts.epochEnd(e);
        }
        // Layer a has only NaN: no chart. Layer b has one drawable metric. One finite layer: no profile.
        assertEquals(List.of(dir.resolve(ReportCharts.fileName(1, "b"))), charts.files());
        assertEquals(ReportCharts.WIDTH, readPng(Files.readAllBytes(charts.files().get(0))).getWidth());
    }

    /**
     * Irregular epochs (a data set failing now and then, evaluation every third epoch), many
     * layers with long names and a single epoch are where XChart's tick search can loop forever;
     * every one must render.
     */
    @Test
    void rendersIrregularEpochsManyLayersAndASingleEpoch() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            List<String> layers = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                layers.add("block" + i + "_conv_with_a_long_name");
            }
            ReportCharts charts = new ReportCharts(List.of("heldOut", "ood"));
            for (int e = 1; e <= 30; e += 3) {
                charts.add(EpochReport.of(e, "heldOut", report(layers, e), 1));
                if (e % 2 == 0) {
                    charts.add(EpochReport.of(e, "ood", report(layers, e + 1), 1));
                }
            }
            Map<String, byte[]> files = charts.renderAll();
            assertEquals(13, files.size());
            files.values().forEach(bytes -> assertArrayEquals(PNG_MAGIC, Arrays.copyOf(bytes, 8)));

            ReportCharts single = new ReportCharts(List.of("heldOut"));
            single.add(EpochReport.of(1, "heldOut", report(layers.subList(0, 2), 1), 1));
            assertEquals(3, single.renderAll().size());
        });
    }

    private static InvarianceReport report(List<String> layers, int epoch) {
        Map<String, Map<String, MetricValue>> values = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            values.put(layers.get(i), Map.of("invariance",
                    MetricValue.of(new double[] {0.1 * i / epoch, 0.1 * i / epoch + 0.01, 0.2}, null, 1)));
        }
        return new InvarianceReport(values, Map.of());
    }

    @Test
    void aGridWhoseLastRowIsNotFullLeavesTheRestWhite() throws Exception {
        ReportCharts charts = new ReportCharts(List.of("heldOut"));
        Map<String, Map<String, MetricValue>> values = new LinkedHashMap<>();
        Map<String, MetricValue> metrics = new LinkedHashMap<>();
        for (String key : List.of("m1", "m2", "m3", "m4", "m5")) {
            metrics.put(key, MetricValue.of(new double[] {0.1, 0.2, 0.3}, null, 1));
        }
        values.put("layer", metrics);
        charts.add(EpochReport.of(1, "heldOut", new InvarianceReport(values, Map.of()), 1));
        BufferedImage image = readPng(ReportCharts.png(charts.epochCharts("layer")));
        assertEquals(3 * ReportCharts.WIDTH, image.getWidth());
        assertEquals(2 * ReportCharts.HEIGHT, image.getHeight());
        BufferedImage emptyCell = image.getSubimage(2 * ReportCharts.WIDTH, ReportCharts.HEIGHT, ReportCharts.WIDTH,
                ReportCharts.HEIGHT);
        assertEquals(0.0, inked(emptyCell));
        assertTrue(inked(image.getSubimage(ReportCharts.WIDTH, ReportCharts.HEIGHT, ReportCharts.WIDTH,
                ReportCharts.HEIGHT)) > 0.02);
    }

    @Test
    void aSingleEvaluationWithoutTrainingHasNoTrainingChartButTwoEpochsDo() {
        Map<String, MetricValue> output = Map.of("accuracy", MetricValue.of(new double[] {1, 0, 1}, null, 1));
        ReportCharts single = new ReportCharts(List.of("heldOut"));
        single.add(EpochReport.of(0, "heldOut", new InvarianceReport(Map.of("output", output), Map.of()), 1));
        assertTrue(single.trainingCharts().isEmpty(), "one evaluation, no loss: an accuracy 'curve' of one point");

        single.add(EpochReport.of(1, "heldOut", new InvarianceReport(Map.of("output", output), Map.of()), 1));
        assertEquals(1, single.trainingCharts().size(), "two epochs: accuracy against epoch");

        ReportCharts trained = new ReportCharts(List.of("heldOut"));
        trained.addScore(1, 0.5);
        trained.add(EpochReport.of(1, "heldOut", new InvarianceReport(Map.of("output", output), Map.of()), 1));
        assertEquals(2, trained.trainingCharts().size(), "a training loss: loss and accuracy");
    }

    @Test
    void fileNamesAreSafeAndKeepNetworkOrder() {
        assertEquals("layer-03-conv_2_a.png", ReportCharts.fileName(3, "conv/2 a"));
        assertEquals("layer-12-dense.png", ReportCharts.fileName(12, "dense"));
    }
}
