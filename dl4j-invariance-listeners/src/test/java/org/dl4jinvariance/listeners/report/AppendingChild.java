package org.dl4jinvariance.listeners.report;

import java.nio.file.Path;

/**
 * Child process for {@link KillMidRunTest}: reports epoch after epoch to CSV and JSON lines in
 * the directory given as argument, forever, printing {@code epoch N} after each epoch is written,
 * until the parent kills it.
 */
public final class AppendingChild {

    private AppendingChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        RunSettings settings = Fixtures.settings("child");
        Reporter csv = new CsvReporter(dir);
        Reporter jsonl = new JsonLinesReporter(dir);
        csv.start(settings);
        jsonl.start(settings);
        for (int epoch = 1; ; epoch++) {
            for (String ds : settings.dataSets()) {
                EpochReport r = EpochReport.of(epoch, ds, Fixtures.report(epoch, ds, 1), 1);
                csv.record(r);
                jsonl.record(r);
            }
            csv.epochEnd(epoch);
            jsonl.epochEnd(epoch);
            System.out.println("epoch " + epoch);
            System.out.flush();
        }
    }
}
