package org.dl4jinvariance.listeners.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReporterTest {

    @TempDir
    Path dir;

    /** Splits one RFC 4180 line (no embedded line breaks) into cells. */
    static List<String> parse(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    @Test
    void writesOneRowPerEpochDataSetLayerMetricWithTheReportedNumbers() throws Exception {
        CsvReporter csv = new CsvReporter(dir);
        RunSettings settings = Fixtures.settings("run-a");
        Fixtures.drive(csv, settings, 1, 3);

        List<String> lines = Files.readAllLines(csv.file(), StandardCharsets.UTF_8);
        assertEquals(CsvReporter.HEADER, lines.get(0));
        assertEquals(1 + 3 * Fixtures.rowsPerEpoch(settings), lines.size());
        int columns = parse(CsvReporter.HEADER).size();
        for (String line : lines) {
            assertEquals(columns, parse(line).size(), line);
        }
        // The row for epoch 2, oodFashion, conv2, invariance carries that report's numbers exactly.
        var expected = Fixtures.report(2, "oodFashion", 1).get("conv2", "invariance");
        List<String> row = lines.stream().map(CsvReporterTest::parse)
                .filter(c -> c.get(1).equals("2") && c.get(2).equals("oodFashion") && c.get(3).equals("conv2")
                        && c.get(5).equals("invariance"))
                .findFirst().orElseThrow();
        assertEquals("run-a", row.get(0));
        assertEquals("2", row.get(4));
        assertEquals(expected.mean(), Double.parseDouble(row.get(6)));
        assertEquals(expected.ciLow(), Double.parseDouble(row.get(7)));
        assertEquals(expected.ciHigh(), Double.parseDouble(row.get(8)));
        assertEquals(Integer.toString(expected.n()), row.get(9));
        // Not-applicable cells carry the reason and no numbers.
        List<String> na = lines.stream().map(CsvReporterTest::parse)
                .filter(c -> c.get(3).equals("dense") && c.get(5).equals("equivariance")).findFirst().orElseThrow();
        assertEquals("", na.get(6));
        assertTrue(na.get(10).contains("no field type"), na.toString());
    }

    @Test
    void appendsAcrossRunsWithOneHeaderAndRecordsFailures() throws Exception {
        Fixtures.drive(new CsvReporter(dir), Fixtures.settings("first"), 1, 1);
        CsvReporter second = new CsvReporter(dir);
        RunSettings s = Fixtures.settings("second");
        second.start(s);
        second.record(EpochReport.evaluationFailed(1, "heldOut", new IllegalStateException("bad, \"data\""), 3));
        second.record(EpochReport.reporterFailed(1, "charts(/x)", null, new java.io.IOException("disk full")));
        second.epochEnd(1);

        List<String> lines = Files.readAllLines(dir.resolve(CsvReporter.FILE_NAME));
        assertEquals(1, lines.stream().filter(CsvReporter.HEADER::equals).count());
        assertEquals(1 + Fixtures.rowsPerEpoch(s) + 2, lines.size());
        List<String> failure = parse(lines.get(lines.size() - 2));
        assertEquals("second", failure.get(0));
        assertEquals("heldOut", failure.get(2));
        assertEquals("java.lang.IllegalStateException: bad, \"data\"", failure.get(11));
        assertTrue(parse(lines.get(lines.size() - 1)).get(11).startsWith("reporter charts(/x): java.io.IOException"));
    }

    @Test
    void cutsATornLastLineBeforeAppending() throws Exception {
        Files.writeString(dir.resolve(CsvReporter.FILE_NAME), CsvReporter.HEADER + "\nrun,1,heldOut,conv1,0,inv");
        Fixtures.drive(new CsvReporter(dir), Fixtures.settings("r"), 1, 1);
        List<String> lines = Files.readAllLines(dir.resolve(CsvReporter.FILE_NAME));
        assertEquals(1 + Fixtures.rowsPerEpoch(Fixtures.settings("r")), lines.size());
        lines.forEach(l -> assertEquals(parse(CsvReporter.HEADER).size(), parse(l).size(), l));
    }

    @Test
    void nothingIsWrittenBeforeTheEpochEnds() throws Exception {
        CsvReporter csv = new CsvReporter(dir);
        csv.start(Fixtures.settings("r"));
        csv.record(EpochReport.of(1, "heldOut", Fixtures.report(1, "heldOut", 1), 5));
        assertEquals(1, Files.readAllLines(csv.file()).size(), "only the header before epochEnd");
        csv.epochEnd(1);
        assertEquals(1 + Fixtures.LAYERS.size() * Fixtures.METRICS.size(), Files.readAllLines(csv.file()).size());
    }
}
