package org.dl4jinvariance.arbiter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;

/**
 * The outcome of an {@link InvarianceSearch}: every candidate, ranked best first (completed
 * candidates by score in the score function's direction, then failures by index), with counts.
 */
public final class SearchResult {

    /** The CSV header of {@link #writeCsv}. */
    public static final String CSV_HEADER = "rank,candidate,status,score,feasible,metric,layer,metricValue,accuracy,loss,"
            + "group,architecture,parameters,seconds,failure";

    private final List<CandidateResult> ranked;
    private final boolean minimize;
    private final String scoreFunction;
    private final IOptimizationRunner runner;

    SearchResult(List<CandidateResult> candidates, boolean minimize, String scoreFunction, IOptimizationRunner runner) {
        Comparator<CandidateResult> byScore = Comparator.comparingDouble(CandidateResult::score);
        List<CandidateResult> scored = new ArrayList<>(candidates.stream()
                .filter(c -> c.completed() && c.score() != null).sorted(minimize ? byScore : byScore.reversed()).toList());
        candidates.stream().filter(c -> !(c.completed() && c.score() != null))
                .sorted(Comparator.comparingInt(CandidateResult::index)).forEach(scored::add);
        this.ranked = List.copyOf(scored);
        this.minimize = minimize;
        this.scoreFunction = scoreFunction;
        this.runner = runner;
    }

    /** Every candidate, best first; failed candidates last. */
    public List<CandidateResult> ranked() {
        return ranked;
    }

    /** The best completed candidate, or null when none completed. */
    public CandidateResult best() {
        return ranked.isEmpty() || !ranked.get(0).completed() || ranked.get(0).score() == null ? null : ranked.get(0);
    }

    public long completed() {
        return ranked.stream().filter(CandidateResult::completed).count();
    }

    /** Failed candidates, including those whose configuration could not be built. */
    public long failed() {
        return ranked.stream().filter(c -> !c.completed()).count();
    }

    /** True when a lower score is better. */
    public boolean minimize() {
        return minimize;
    }

    /** The score function, as text. */
    public String scoreFunction() {
        return scoreFunction;
    }

    /** Arbiter's runner, for anything else it recorded (results saved by a ResultSaver, ...). */
    public IOptimizationRunner runner() {
        return runner;
    }

    /** Writes the ranking as CSV ({@value #CSV_HEADER}) to {@code file}, atomically. */
    public void writeCsv(Path file) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        int rank = 0;
        for (CandidateResult c : ranked) {
            ScoreBreakdown b = c.breakdown();
            List<String> cells = List.of(c.completed() && c.score() != null ? String.valueOf(++rank) : "", c.id(),
                    c.status().name().toLowerCase(Locale.ROOT), c.score() == null ? "" : Double.toString(c.score()),
                    b == null ? "" : Boolean.toString(b.feasible()), b == null ? "" : b.metric(),
                    b == null || b.layer() == null ? "" : b.layer(), b == null ? "" : number(b.metricValue()),
                    b == null ? "" : number(b.accuracy()), b == null ? "" : number(b.loss()), nz(c.group()),
                    nz(c.architecture()), c.parameters() == 0 ? "" : Long.toString(c.parameters()),
                    c.seconds() == 0 ? "" : String.format(Locale.ROOT, "%.1f", c.seconds()), nz(c.failure()));
            for (int i = 0; i < cells.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(quote(cells.get(i)));
            }
            sb.append('\n');
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the search ranking to " + file, e);
        }
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String quote(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
