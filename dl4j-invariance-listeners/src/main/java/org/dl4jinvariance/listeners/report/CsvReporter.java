package org.dl4jinvariance.listeners.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.dl4jinvariance.metric.MetricValue;

/**
 * Appends one CSV row per (epoch, data set, layer, metric) to {@code invariance.csv}:
 * {@value #HEADER}. Failures get a row with only run, epoch, data set and failure filled. Rows of
 * an epoch are written together at its end in one append, forced to disk, so a killed run leaves
 * only whole rows. Several runs may share a file; the {@code run} column tells them apart.
 */
public final class CsvReporter implements Reporter {

    /** The file name inside the directory. */
    public static final String FILE_NAME = "invariance.csv";
    /** The header row. */
    public static final String HEADER = "run,epoch,dataSet,layer,depth,metric,mean,ciLow,ciHigh,n,notApplicable,failure";

    private final Path dir;
    private AppendOnlyFile file;
    private String runId = "run";
    private final StringBuilder pending = new StringBuilder();

    public CsvReporter(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
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
            file = new AppendOnlyFile(file());
            if (file.isEmpty()) {
                file.append(HEADER + "\n");
            }
        }
    }

    @Override
    public void record(EpochReport record) {
        if (record.failed()) {
            String what = record.reporter() == null ? "" : "reporter " + record.reporter() + ": ";
            line(runId, record.epoch(), record.dataSet(), null, null, null, null, what + record.failure());
            return;
        }
        for (MetricRow row : MetricRow.of(record)) {
            line(runId, row.epoch(), row.dataSet(), row.layer(), row.depth(), row.metric(), row.value(), null);
        }
    }

    private void line(String run, int epoch, String dataSet, String layer, Integer depth, String metric,
                      MetricValue v, String failure) {
        boolean has = v != null && v.isApplicable();
        List<String> cells = List.of(run, Integer.toString(epoch), nz(dataSet), nz(layer),
                depth == null ? "" : depth.toString(), nz(metric),
                has ? Double.toString(v.mean()) : "", has ? Double.toString(v.ciLow()) : "",
                has ? Double.toString(v.ciHigh()) : "", v == null ? "" : Integer.toString(v.n()),
                v == null || v.isApplicable() ? "" : v.notApplicable(), nz(failure));
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

    /** RFC 4180: quote a cell holding a comma, quote or line break; double inner quotes. */
    static String quote(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }

    @Override
    public String name() {
        return "csv(" + dir + ")";
    }
}
