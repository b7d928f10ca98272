package org.dl4jinvariance.listeners.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Redraws the run's PNG charts in a directory at the end of every epoch (see
 * {@link ReportCharts}): {@code layer-NN-<layer>.png} per probed layer (each metric against
 * epoch, one line per data set) and {@code layer-profile.png} (each metric against depth at the
 * last epoch). Each file is written to a temporary file and moved into place.
 */
public final class ChartsReporter implements Reporter {

    /** The layer-profile chart's file name. */
    public static final String PROFILE_FILE = "layer-profile.png";

    private final Path dir;
    private ReportCharts charts = new ReportCharts(List.of());
    private final List<Path> written = new ArrayList<>();

    /** @throws IllegalArgumentException for a null directory or a path that is a file */
    public ChartsReporter(Path dir) {
        this.dir = ReporterDirs.require("charts", dir);
    }

    @Override
    public void start(RunSettings settings) {
        charts = new ReportCharts(settings.dataSets());
    }

    @Override
    public void trainingScore(int epoch, double score) {
        charts.addScore(epoch, score);
    }

    @Override
    public void record(EpochReport record) {
        charts.add(record);
    }

    @Override
    public void epochEnd(int epoch) throws IOException {
        written.clear();
        for (Map.Entry<String, byte[]> file : charts.renderAll().entrySet()) {
            Path target = dir.resolve(file.getKey());
            AtomicFiles.write(target, file.getValue());
            written.add(target);
        }
    }

    /** The files written at the last epoch end. */
    public List<Path> files() {
        return List.copyOf(written);
    }

    /** The layer profile, which every charts reporter in {@code dir} writes. */
    @Override
    public Set<Path> writesTo() {
        return Set.of(dir.resolve(PROFILE_FILE));
    }

    @Override
    public String name() {
        return "charts(" + dir + ")";
    }
}
