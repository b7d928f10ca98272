package org.dl4jinvariance.listeners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.listeners.report.CsvReporter;
import org.dl4jinvariance.listeners.report.HtmlReporter;
import org.dl4jinvariance.listeners.report.JsonLinesReporter;
import org.dl4jinvariance.listeners.report.PageLinks;
import org.dl4jinvariance.listeners.report.Reporters;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricGlossary;
import org.dl4jinvariance.metric.MetricKey;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.testing.TestData;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data-set roles: out-of-distribution sets get no label metrics unless asked; roles show in every file. */
class DataRoleTest {

    @TempDir
    Path dir;

    private static InvarianceListener.Builder listener() {
        return InvarianceListener.builder().inputAction(ImageActions.rotation(Groups.c4()))
                .evaluate("heldOut", TestData.mnistHeldOut())
                .evaluateOutOfDistribution("fashion", TestData.fashionMnistOod())
                .maxExamples(24).modelName("tiny CNN");
    }

    @Test
    void outOfDistributionSetsCarryNoLabelMetricsByDefault() throws Exception {
        MultiLayerNetwork net = TestNetworks.tinyCnn(1, 1e-3, false);
        InvarianceListener listener = listener()
                .reportTo(Reporters.csv(dir), Reporters.jsonLines(dir), Reporters.html(dir)).build();
        listener.evaluateNow(net);

        InvarianceReport heldOut = listener.history("heldOut").get(0);
        InvarianceReport fashion = listener.history("fashion").get(0);
        assertTrue(heldOut.has("output", MetricKeys.ACCURACY));
        assertTrue(heldOut.has("output", MetricKeys.accuracyOf("rot90")));
        for (String key : fashion.metrics()) {
            assertFalse(MetricKey.of(key).needsLabels(), "label metric on OOD data: " + key);
        }
        // What does not compare with labels stays: consistency, prediction KL, invariance.
        assertTrue(fashion.has("output", MetricKeys.CONSISTENCY));
        assertTrue(fashion.has("output", MetricKeys.PREDICTION_KL));
        assertEquals("off", fashion.settings().get("labelMetrics"));
        assertEquals(DataRole.OUT_OF_DISTRIBUTION, listener.role("fashion"));
        assertEquals(DataRole.IN_DISTRIBUTION, listener.role("heldOut"));

        // The role in the CSV (last column), the JSON lines and the page.
        List<String> csv = Files.readAllLines(dir.resolve(CsvReporter.FILE_NAME));
        assertTrue(csv.get(0).endsWith(",role"), csv.get(0));
        List<String> fashionRows = csv.stream().filter(l -> l.contains(",fashion,")).toList();
        assertFalse(fashionRows.isEmpty());
        assertTrue(fashionRows.stream().allMatch(l -> l.endsWith(",OUT_OF_DISTRIBUTION")), fashionRows.get(0));
        assertTrue(fashionRows.stream().noneMatch(l -> l.contains(",accuracy")), "no accuracy rows for OOD data");
        assertTrue(csv.stream().anyMatch(l -> l.contains(",heldOut,") && l.contains(",accuracy,")
                && l.endsWith(",IN_DISTRIBUTION")));
        String jsonl = Files.readString(dir.resolve(JsonLinesReporter.FILE_NAME));
        assertTrue(jsonl.contains("\"roles\":{\"heldOut\":\"IN_DISTRIBUTION\",\"fashion\":\"OUT_OF_DISTRIBUTION\"}"), jsonl);
        assertTrue(jsonl.contains("\"dataSet\":\"fashion\",\"role\":\"OUT_OF_DISTRIBUTION\""));
        String page = Files.readString(dir.resolve(HtmlReporter.FILE_NAME));
        assertTrue(page.contains("<b>fashion</b> (out of distribution: no accuracy against its labels)"));
    }

    @Test
    void labelMetricsOnOutOfDistributionDataOnlyWhenAskedFor() throws Exception {
        MultiLayerNetwork net = TestNetworks.tinyCnn(1, 1e-3, false);
        InvarianceListener listener = listener().labelMetricsOutOfDistribution().reportTo(Reporters.html(dir)).build();
        listener.evaluateNow(net);
        assertTrue(listener.history("fashion").get(0).has("output", MetricKeys.ACCURACY));
        // The page says what was measured: accuracy against the OOD set's own labels, when asked for.
        String page = Files.readString(dir.resolve(HtmlReporter.FILE_NAME));
        assertTrue(page.contains("<b>fashion</b> (out of distribution: accuracy against its own labels)"), page);
        assertThrows(IllegalArgumentException.class,
                () -> InvarianceListener.builder().evaluate("x", TestData.mnistHeldOut(), null));
    }

    @Test
    void modelPageNamesTheModelItsArchitectureParametersAndExplainsEveryMetricShown() throws Exception {
        MultiLayerNetwork net = TestNetworks.tinyCnn(1, 1e-3, false);
        InvarianceListener listener = listener().reportTo(Reporters.csv(dir), Reporters.jsonLines(dir),
                Reporters.charts(dir), Reporters.html(dir)).build();
        net.addListeners(listener);
        net.fit(TestData.mnistTraining128(), 2);

        Path pageFile = dir.resolve(HtmlReporter.FILE_NAME);
        String page = Files.readString(pageFile);
        assertTrue(page.contains("<title>Invariance of tiny CNN</title>"), "named by the model, not the run id");
        assertTrue(page.contains("<b>" + String.format(Locale.ROOT, "%,d", net.numParams()) + "</b> parameters"));
        for (Layer layer : net.getLayers()) {
            assertTrue(page.contains("<td>" + layer.conf().getLayer().getLayerName() + "</td><td>"
                    + layer.conf().getLayer().getClass().getSimpleName() + "</td>"), "architecture row of "
                    + layer.conf().getLayer().getLayerName());
        }
        // Every metric on the page has its glossary entry (formula, range, direction), linked from the tables.
        for (String key : listener.history("heldOut").get(2).metrics()) {
            String anchor = key.startsWith(MetricKeys.ACCURACY + "[") ? MetricKeys.ACCURACY + "[g]" : key;
            assertTrue(page.contains("<dt id=\"m-" + anchor + "\">"), "glossary entry for " + key);
            MetricGlossary g = MetricGlossary.of(key).orElseThrow();
            assertTrue(page.contains(g.direction()), key);
        }
        assertTrue(page.contains("Training: loss and accuracy"), "loss and accuracy curves beside invariance");
        assertTrue(Files.exists(dir.resolve("training.png")));
        assertTrue(PageLinks.assertResolve(pageFile) > 10, "links checked");
    }
}
