package org.dl4jinvariance.listeners.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.dl4jinvariance.metric.MetricValue;

/**
 * Appends one CSV row per (epoch, data set, layer, metric) to {@code invariance.csv}:
 * {@value #HEADER}. Failures get a row with only run, epoch, data set and failure filled. Rows of
 * an epoch are written together at its end in one append, forced to disk, so a killed run leaves
 * only whole rows. Several runs may share a file; the {@code run} column tells them apart.
 *
 * <p>Every row is one line: a line break inside a cell (a failure's message often has one) is
 * written as the two characters {@code \n} (or {@code \r}), so line-based tools, and the repair
 * of a torn last line, never cut a row in two.
 *
 * <p>An existing {@code invariance.csv} is appended to only when its first line is
 * {@link #HEADER}: a file of another program, or one of ours with other columns, is refused with
 * an {@link IllegalArgumentException} naming the file and the expected header, and left as it is.
 * The constructor checks this already, so that a wrong directory fails before training starts;
 * {@link #start} checks again (the listener records that failure and training goes on).
 */
public final class CsvReporter implements Reporter {

    /** The file name inside the directory. */
    public static final String FILE_NAME = "invariance.csv";
    /**
     * The header row. {@code role} is the data set's {@link org.dl4jinvariance.listeners.DataRole}
     * ({@code IN_DISTRIBUTION}, {@code OUT_OF_DISTRIBUTION}); out-of-distribution sets have no
     * accuracy rows unless the listener was asked for them.
     */
    public static final String HEADER = "run,epoch,dataSet,layer,depth,metric,mean,ciLow,ciHigh,n,notApplicable,failure,role";

    private final Path dir;
    private AppendOnlyFile file;
    private String runId = "run";
    private final StringBuilder pending = new StringBuilder();

    static final AppendOnlyFile.Format FORMAT = new AppendOnlyFile.Format("CsvReporter", List.of(HEADER + "\n"),
            "the header '" + HEADER + "'");

    /**
     * @throws IllegalArgumentException for a null directory, a path that is a file, or a
     *                                  directory holding an {@code invariance.csv} that is not ours
     */
    public CsvReporter(Path dir) {
        this.dir = ReporterDirs.require("csv", dir);
        ReporterDirs.requireOurs(file(), FORMAT);
    }

    /** The CSV file this reporter appends to. */
    public Path file() {
        return dir.resolve(FILE_NAME);
    }

    @Override
    public void start(RunSettings settings) throws IOException {
        runId = settings.runId();
        open();
    }

    private void open() throws IOException {
        if (file == null) {
            file = new AppendOnlyFile(file(), FORMAT);
            if (file.isEmpty()) {
                file.append(HEADER + "\n");
            }
        }
    }

    @Override
    public void record(EpochReport record) {
        if (record.failed()) {
            String what = record.reporter() == null ? "" : "reporter " + record.reporter() + ": ";
            line(runId, record.epoch(), record.dataSet(), null, null, null, null, what + record.failure(),
                    record.dataSet() == null ? "" : record.role().name());
            return;
        }
        for (MetricRow row : MetricRow.of(record)) {
            line(runId, row.epoch(), row.dataSet(), row.layer(), row.depth(), row.metric(), row.value(), null,
                    record.role().name());
        }
    }

    private void line(String run, int epoch, String dataSet, String layer, Integer depth, String metric,
                      MetricValue v, String failure, String role) {
        boolean has = v != null && v.isApplicable();
        List<String> cells = List.of(run, Integer.toString(epoch), nz(dataSet), nz(layer),
                depth == null ? "" : depth.toString(), nz(metric),
                has ? Double.toString(v.mean()) : "", has ? Double.toString(v.ciLow()) : "",
                has ? Double.toString(v.ciHigh()) : "", v == null ? "" : Integer.toString(v.n()),
                v == null || v.isApplicable() ? "" : v.notApplicable(), nz(failure), role);
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                pending.append(',');
            }
            pending.append(quote(cells.get(i)));
        }
        pending.append('\n');
    }

    @Override
    public void epochEnd(int epoch) throws IOException {
        open();
        String lines = pending.toString();
        pending.setLength(0);
        file.append(lines);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /**
     * RFC 4180: quote a cell holding a comma or quote and double inner quotes; line breaks are
     * written as {@code \n} and {@code \r} first, so that a row stays one line.
     */
    static String quote(String text) {
        String cell = text.replace("\r", "\\r").replace("\n", "\\n");
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }

    @Override
    public Set<Path> writesTo() {
        return Set.of(file());
    }

    @Override
    public String name() {
        return "csv(" + dir + ")";
    }
}
