package org.dl4jinvariance.arbiter;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.task.TaskListener;
import org.deeplearning4j.nn.api.Model;
import org.dl4jinvariance.listeners.InvarianceListener;
import org.dl4jinvariance.listeners.report.Reporters;

/**
 * Arbiter's task hook that puts an {@link InvarianceListener} on every candidate before it
 * trains, so each candidate's invariance curves are kept beside Arbiter's results. The listener
 * of candidate i has run id {@code candidate-i} (the {@code run} column of its CSV and JSON lines)
 * and, when a directory is given, writes CSV, JSON lines, PNG charts and an HTML page into
 * {@code dir/candidate-i/}.
 *
 * <pre>{@code
 * InvarianceTaskListener perCandidate = InvarianceTaskListener.of(candidate -> InvarianceListener.builder()
 *         .inputAction(ImageActions.rotation(Groups.c4()))
 *         .evaluate("mnist", Datasets.mnist().iterator(250, 9_000, 1_000))      // fresh iterators per candidate
 *         .evaluate("fashion-mnist", Datasets.fashionMnist().iterator(250, 0, 1_000)), Path.of("results/search"));
 * IOptimizationRunner runner = new LocalOptimizationRunner(conf, new MultiLayerNetworkTaskCreator(null, perCandidate));
 * runner.execute();
 * perCandidate.listener(3).history();     // candidate 3's reports, epoch by epoch
 * }</pre>
 *
 * Arbiter calls {@link #preProcess} on the thread that trains the candidate; the recipe must
 * therefore make new iterators on each call (candidates may train concurrently).
 */
public final class InvarianceTaskListener implements TaskListener {

    private static final long serialVersionUID = 1L;

    /** Makes the listener of one candidate (without run id and directory reporters: those are added). */
    @FunctionalInterface
    public interface Recipe extends Serializable {
        InvarianceListener.Builder listener(Candidate<?> candidate);
    }

    private final Recipe recipe;
    private final String dir;
    private transient Map<Integer, InvarianceListener> listeners;

    private InvarianceTaskListener(Recipe recipe, Path dir) {
        if (recipe == null) {
            throw new IllegalArgumentException("InvarianceTaskListener needs a recipe (candidate -> InvarianceListener.builder()...), "
                    + "got null");
        }
        this.recipe = recipe;
        this.dir = dir == null ? null : dir.toString();
    }

    /** A listener per candidate from {@code recipe}, with the reporters the recipe sets. */
    public static InvarianceTaskListener of(Recipe recipe) {
        return new InvarianceTaskListener(recipe, null);
    }

    /** A listener per candidate from {@code recipe}, also writing every report into {@code dir/candidate-i/}. */
    public static InvarianceTaskListener of(Recipe recipe, Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException("of(recipe, dir) needs a directory, got null");
        }
        return new InvarianceTaskListener(recipe, dir);
    }

    /** The id of candidate {@code index} in run ids and directory names: {@code candidate-<index>}. */
    public static String candidateId(int index) {
        return "candidate-" + index;
    }

    /** Where candidate {@code index}'s reports go, or null without a directory. */
    public Path candidateDir(int index) {
        return dir == null ? null : Path.of(dir, candidateId(index));
    }

    @Override
    public <T extends Model> T preProcess(T model, Candidate candidate) {
        int index = candidate.getIndex();
        InvarianceListener.Builder builder = recipe.listener(candidate);
        if (builder == null) {
            throw new IllegalArgumentException("The recipe returned no InvarianceListener.Builder for candidate " + index);
        }
        builder.runId(candidateId(index));
        Path to = candidateDir(index);
        if (to != null) {
            builder.reportTo(Reporters.csv(to), Reporters.jsonLines(to), Reporters.charts(to), Reporters.html(to));
        }
        InvarianceListener listener = builder.build();
        model.addListeners(listener);
        table().put(index, listener);
        return model;
    }

    @Override
    public void postProcess(Model model, Candidate candidate) {
        // The listener has recorded every epoch by now; nothing to finish.
    }

    /** The listener of candidate {@code index}, or null when that candidate never started training. */
    public InvarianceListener listener(int index) {
        return table().get(index);
    }

    /** Every candidate's listener, by candidate index. */
    public Map<Integer, InvarianceListener> listeners() {
        return Collections.unmodifiableMap(new TreeMap<>(table()));
    }

    private synchronized Map<Integer, InvarianceListener> table() {
        if (listeners == null) {
            listeners = new ConcurrentHashMap<>();
        }
        return listeners;
    }
}
