package org.dl4jinvariance.listeners.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogReporterTest {

    @Test
    void printsOneAlignedTablePerEpochWithFailuresBelow() throws Exception {
        List<String> out = new ArrayList<>();
        Reporter log = Reporters.log(out::add);
        RunSettings settings = Fixtures.settings("log");
        log.start(settings);
        log.record(EpochReport.of(2, "heldOut", Fixtures.report(2, "heldOut", 1), 40));
        log.record(EpochReport.evaluationFailed(2, "oodFashion", new IllegalArgumentException("bad shape"), 3));
        log.epochEnd(2);

        assertEquals(2, out.size());
        assertTrue(out.get(0).contains("run log"));
        String[] lines = out.get(1).split("\n");
        assertTrue(lines[0].startsWith("Invariance after epoch 2 (heldOut: 40 ms)"), lines[0]);
        String header = lines[1];
        assertTrue(header.startsWith("layer"));
        // One row per layer (one successful data set), then the failure.
        assertEquals(2 + Fixtures.LAYERS.size() + 1, lines.length);
        int col = header.indexOf("invariance.normalized");
        for (int i = 2; i < 2 + Fixtures.LAYERS.size(); i++) {
            String row = lines[i];
            assertTrue(row.startsWith(Fixtures.LAYERS.get(i - 2)));
            // Columns are aligned: the cell of this metric starts exactly under its header.
            String cell = Fixtures.report(2, "heldOut", 1).get(Fixtures.LAYERS.get(i - 2), "invariance.normalized").format();
            assertEquals(col, row.indexOf(cell), row);
        }
        assertTrue(lines[lines.length - 1].startsWith("FAILED oodFashion: java.lang.IllegalArgumentException: bad shape"));
        assertTrue(out.get(1).contains("n/a"), "not-applicable cells are shown as n/a");
    }
}
