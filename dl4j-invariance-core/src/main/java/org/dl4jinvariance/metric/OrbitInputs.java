package org.dl4jinvariance.metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.action.InputLayout;
import org.dl4jinvariance.probe.ModelProbe;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The network inputs of one probe pass for a chunk of B examples: for every input the action
 * transforms, its orbit stacked group-major (rows [k·B, (k+1)·B) hold g_k·x), then T_ε x and
 * T_−ε x for each {@link Perturbation}; inputs the action leaves alone are repeated alongside.
 * Masks move with their inputs ({@link GroupAction#orbitMask}).
 */
final class OrbitInputs {

    private final GroupAction[] actions;
    private final long[] flatShape;
    private final List<Perturbation> perturbations;
    private final int order;
    private int members;

    /**
     * @param actions       per network input: the action on it, or null when it is left unchanged
     * @param flatShape     [C, H, W] when input 0 arrives flat, else null (perturbations reshape it)
     * @param perturbations the continuous perturbations of the Lie derivatives
     */
    private OrbitInputs(GroupAction[] actions, long[] flatShape, List<Perturbation> perturbations) {
        this.actions = actions;
        this.flatShape = flatShape;
        this.perturbations = perturbations;
        this.order = Arrays.stream(actions).filter(a -> a != null).findFirst().orElseThrow().group().order();
        this.members = order;
    }

    /** Stacks k sampled members per example ({@link #inputs(Examples, ElementSample)}) instead of |G|. */
    OrbitInputs sampling(int k) {
        this.members = k;
        return this;
    }

    /**
     * The per-input actions for a model and its first batch.
     *
     * @param named the inputs the user named, or null for every input the action can act on
     * @throws IllegalArgumentException naming the inputs when a named input does not exist or the
     *                                  action can act on none of them
     */
    static OrbitInputs plan(ModelProbe probe, GroupAction action, List<String> named, Examples first,
            List<Perturbation> perturbations) {
        List<String> inputs = probe.networkInputs();
        if (first.features().length != inputs.size()) {
            throw new IllegalArgumentException("The model has " + inputs.size() + " inputs " + inputs + " but the data has "
                    + first.features().length + " features arrays");
        }
        if (named != null) {
            for (String n : named) {
                if (!inputs.contains(n)) {
                    throw new IllegalArgumentException("actOnInputs names '" + n + "', not an input of the model; its inputs are "
                            + inputs);
                }
            }
        }
        GroupAction[] actions = new GroupAction[inputs.size()];
        long[] flat = null;
        for (int i = 0; i < actions.length; i++) {
            INDArray x = first.features()[i];
            boolean flatImages = i == 0 && x.rank() == 2 && probe.flatImageShape().isPresent() && !action.layout().isFlat();
            GroupAction a = flatImages ? ImageActions.forFlatInput(action, (int) probe.flatImageShape().get()[0],
                    (int) probe.flatImageShape().get()[1], (int) probe.flatImageShape().get()[2]) : action;
            if (flatImages) {
                flat = probe.flatImageShape().get();
            }
            boolean wanted = named == null ? actsOn(a.layout(), x) : named.contains(inputs.get(i));
            if (wanted && named != null && !actsOn(a.layout(), x)) {
                throw new IllegalArgumentException(action.describe() + " acts on " + a.layout() + " but input '"
                        + inputs.get(i) + "' has shape " + Arrays.toString(x.shape()));
            }
            actions[i] = wanted ? a : null;
        }
        if (Arrays.stream(actions).allMatch(a -> a == null)) {
            throw new IllegalArgumentException(action.describe() + " acts on " + action.layout() + ", which matches none of "
                    + "the model's inputs " + inputs + " (shapes " + Arrays.stream(first.features())
                    .map(x -> Arrays.toString(x.shape())).toList() + ")");
        }
        return new OrbitInputs(actions, flat, perturbations);
    }

    private static boolean actsOn(InputLayout layout, INDArray x) {
        if (layout.kind() == InputLayout.Kind.ANY) {
            return true;
        }
        return layout.isFlat() ? x.rank() == 2 : x.rank() == layout.kind().rank();
    }

    /** The names of the inputs the action transforms. */
    List<String> actedInputs(ModelProbe probe) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < actions.length; i++) {
            if (actions[i] != null) {
                out.add(probe.networkInputs().get(i));
            }
        }
        return out;
    }

    /** The action as applied to the first transformed input (for descriptions). */
    GroupAction firstAction() {
        return Arrays.stream(actions).filter(a -> a != null).findFirst().orElseThrow();
    }

    /** Rows per example in one pass: |G| (k when sampling) + 2 per perturbation. */
    int rowsPerExample() {
        return members + 2 * perturbations.size();
    }

    /**
     * The stacked inputs of a chunk whose examples are evaluated at sampled elements: rows
     * [j·B, (j+1)·B) hold g_{b,j}·x_b (picked from the whole orbit, which input transforms make
     * cheaply; the forward pass is what sampling saves), then the perturbation rows.
     */
    INDArray[] inputs(Examples chunk, ElementSample sample) {
        return sample == null ? inputs(chunk) : pickMembers(inputs(chunk), chunk.size(), sample);
    }

    /** {@link #masks(Examples)} for sampled elements, rows as in {@link #inputs(Examples, ElementSample)}. */
    INDArray[] masks(Examples chunk, ElementSample sample) {
        INDArray[] m = masks(chunk);
        return sample == null || m == null ? m : pickMembers(m, chunk.size(), sample);
    }

    /** Of stacked arrays with |G|·B orbit rows then 2·perturbations·B rows, the sampled orbit rows then the rest. */
    private INDArray[] pickMembers(INDArray[] stacked, int examples, ElementSample sample) {
        int k = sample.members();
        int extra = 2 * perturbations.size() * examples;
        int[] rows = new int[k * examples + extra];
        for (int j = 0; j < k; j++) {
            for (int b = 0; b < examples; b++) {
                rows[j * examples + b] = sample.element(b, j) * examples + b;
            }
        }
        for (int i = 0; i < extra; i++) {
            rows[k * examples + i] = order * examples + i;
        }
        INDArray[] out = new INDArray[stacked.length];
        for (int i = 0; i < stacked.length; i++) {
            INDArray a = stacked[i];
            if (a == null) {
                continue;
            }
            INDArray flat = a.dup('c').reshape('c', a.size(0), a.length() / a.size(0));
            long[] shape = a.shape();
            shape[0] = rows.length;
            out[i] = Nd4j.pullRows(flat, 1, rows).reshape('c', shape);
        }
        return out;
    }

    /** The stacked inputs of a chunk. */
    INDArray[] inputs(Examples chunk) {
        INDArray[] out = new INDArray[actions.length];
        for (int i = 0; i < actions.length; i++) {
            INDArray x = chunk.features()[i];
            List<INDArray> parts = new ArrayList<>();
            if (actions[i] == null) {
                parts.add(repeat(x, rowsPerExample()));
            } else {
                parts.add(actions[i].orbit(x));
                for (Perturbation p : perturbations) {
                    parts.add(perturb(p, x, p.epsilon(), i));
                    parts.add(perturb(p, x, -p.epsilon(), i));
                }
            }
            out[i] = parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
        }
        return out;
    }

    /** The stacked masks of a chunk (null entries stay null), or null when nothing is masked. */
    INDArray[] masks(Examples chunk) {
        if (!chunk.masked()) {
            return null;
        }
        INDArray[] out = new INDArray[actions.length];
        for (int i = 0; i < actions.length; i++) {
            INDArray m = chunk.masks()[i];
            if (m == null) {
                continue;
            }
            if (actions[i] == null) {
                out[i] = repeat(m, rowsPerExample());
            } else {
                INDArray orbit = actions[i].orbitMask(m, chunk.features()[i]);
                out[i] = perturbations.isEmpty() ? orbit
                        : Nd4j.concat(0, orbit, repeat(m, 2 * perturbations.size()));
            }
        }
        return out;
    }

    private INDArray perturb(Perturbation p, INDArray x, double t, int input) {
        if (flatShape == null || input != 0) {
            return p.action().apply(t, x);
        }
        INDArray images = x.dup('c').reshape('c', x.size(0), flatShape[0], flatShape[1], flatShape[2]);
        return p.action().apply(t, images).reshape('c', x.size(0), x.size(1));
    }

    private static INDArray repeat(INDArray x, int times) {
        if (times == 1) {
            return x;
        }
        INDArray[] copies = new INDArray[times];
        Arrays.fill(copies, x);
        return Nd4j.concat(0, copies);
    }
}
