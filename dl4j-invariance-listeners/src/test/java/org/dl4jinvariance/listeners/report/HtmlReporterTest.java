package org.dl4jinvariance.listeners.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReporterTest {

    @TempDir
    Path dir;

    @Test
    void writesOneSelfContainedPageWithSettingsTablesAndEmbeddedCharts() throws Exception {
        HtmlReporter html = new HtmlReporter(dir);
        Fixtures.drive(html, Fixtures.settings("run-h"), 1, 3);
        html.record(EpochReport.evaluationFailed(4, "oodFashion", new IllegalStateException("<broken>"), 2));
        html.epochEnd(4);

        String page = Files.readString(html.file());
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.contains("run-h"));
        assertTrue(page.contains("<th>maxExamples</th><td>1000</td>"), "run settings table");
        assertTrue(page.contains("a, &quot;quoted&quot; &lt;value&gt;"), "settings are escaped");
        assertTrue(page.contains("java.lang.IllegalStateException: &lt;broken&gt;"), "failures are listed, escaped");
        assertFalse(page.contains("<broken>"));
        // The latest table shows the reported numbers.
        assertTrue(page.contains(ValueFormat.cell("invariance", Fixtures.report(3, "heldOut", 1).get("conv2", "invariance"))));
        // Self-contained: no external resources, every image is an embedded PNG.
        assertFalse(page.contains("src=\"http"), "external resource");
        assertFalse(page.contains("href=\"http"), "external link");
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(page);
        int images = 0;
        while (m.find()) {
            ChartsReporterTest.readPng(Base64.getDecoder().decode(m.group(1)));
            images++;
        }
        assertEquals(2 + Fixtures.LAYERS.size(), images, "per-class bars, layer profile and one grid per layer");
        assertEquals(2, page.split("<details>", -1).length - 1, "epochs 2 and 1 under earlier epochs");
    }
}
