package org.dl4jinvariance.metric;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.FiniteGroup;
import org.dl4jinvariance.probe.ActivationVisitor;
import org.dl4jinvariance.probe.ModelProbe;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one evaluation measures, decided once before any forward pass: the metrics (label
 * metrics dropped, with a warning, when the data has no labels), the probed layers in network
 * order, each layer's field ({@link LayerFields}) and the {@link OrbitStatistic}s its metrics
 * read, and how inputs are stacked ({@link OrbitInputs}).
 */
final class EvaluationPlan {

    private static final Logger log = LoggerFactory.getLogger(EvaluationPlan.class);

    final FiniteGroup group;
    final List<OrbitMetric> metrics;
    final List<String> layers;
    final Map<String, ProbedLayer> info = new LinkedHashMap<>();
    final OrbitInputs inputs;
    final boolean labelled;
    /** Where Gram matrices and equivariance products are computed (resolved: JAVA or ND4J). */
    final ReductionPath reduction;
    private final Map<String, OrbitReducer> reducers = new LinkedHashMap<>();
    /** Draws each chunk's sampled elements in turn, or null for whole orbits. */
    private final java.util.Random elementDraws;
    private final int sampleElements;

    /** A plan reducing on {@link ReductionPath#AUTO}'s path. */
    EvaluationPlan(ModelProbe probe, GroupAction action, Examples first, List<OrbitMetric> explicitMetrics,
            List<OrbitMetric> defaults, List<String> requested, Map<String, FieldType> fieldTypes, List<String> actedInputs) {
        this(probe, action, first, explicitMetrics, defaults, requested, fieldTypes, actedInputs, ReductionPath.AUTO);
    }

    /**
     * @param explicitMetrics the user's metrics, or null for the defaults
     * @param defaults        the default metrics
     * @param requested       the user's layers, or null for every layer
     * @param actedInputs     the inputs the user named, or null for every input the action acts on
     * @param reduction       where to reduce (AUTO resolved against the backend)
     */
    EvaluationPlan(ModelProbe probe, GroupAction action, Examples first, List<OrbitMetric> explicitMetrics,
            List<OrbitMetric> defaults, List<String> requested, Map<String, FieldType> fieldTypes, List<String> actedInputs,
            ReductionPath reduction) {
        this(probe, action, first, explicitMetrics, defaults, requested, fieldTypes, actedInputs, 0, 0, reduction);
    }

    /** A plan sampling {@code sampleElements} elements per example, reducing on {@link ReductionPath#AUTO}'s path. */
    EvaluationPlan(ModelProbe probe, GroupAction action, Examples first, List<OrbitMetric> explicitMetrics,
            List<OrbitMetric> defaults, List<String> requested, Map<String, FieldType> fieldTypes, List<String> actedInputs,
            int sampleElements, long seed) {
        this(probe, action, first, explicitMetrics, defaults, requested, fieldTypes, actedInputs, sampleElements, seed,
                ReductionPath.AUTO);
    }

    /**
     * @param sampleElements k elements per example, or 0 (or |G|) for whole orbits
     * @param seed           the seed of the element draws
     * @param reduction      where to reduce; AUTO is resolved here (JAVA when elements are sampled)
     * @throws IllegalArgumentException for {@link ReductionPath#ND4J} with sampled elements
     */
    EvaluationPlan(ModelProbe probe, GroupAction action, Examples first, List<OrbitMetric> explicitMetrics,
            List<OrbitMetric> defaults, List<String> requested, Map<String, FieldType> fieldTypes, List<String> actedInputs,
            int sampleElements, long seed, ReductionPath reduction) {
        this.group = action.group();
        boolean sampling = sampleElements > 0 && sampleElements < group.order();
        this.sampleElements = sampling ? sampleElements : 0;
        this.elementDraws = sampling ? new java.util.Random(seed ^ ELEMENT_DRAWS_SALT) : null;
        this.reduction = reduction.resolve(sampling ? sampleElements : 0);
        this.labelled = first.labels() != null;
        this.metrics = chooseMetrics(explicitMetrics, defaults);

        LinkedHashSet<Perturbation> perts = new LinkedHashSet<>();
        metrics.forEach(m -> perts.addAll(m.perturbations()));
        this.inputs = OrbitInputs.plan(probe, action, actedInputs, first, List.copyOf(perts));
        if (sampling) {
            inputs.sampling(sampleElements);
            for (OrbitMetric m : metrics) {
                if (!m.supportsSampledElements()) {
                    throw new IllegalArgumentException("Metric " + m.describe() + " reads whole orbits (its "
                            + "supportsSampledElements() is false); sampleElements(" + sampleElements + ") cannot be used with it");
                }
            }
        }

        LinkedHashSet<String> wanted = new LinkedHashSet<>();
        for (String l : requested == null ? probe.layerNames() : requested) {
            wanted.add(probe.resolve(l));
        }
        Set<String> userFields = new java.util.HashSet<>();
        fieldTypes.keySet().forEach(l -> userFields.add(probe.resolve(l)));
        String output = probe.outputLayer();
        ProbedLayer asOutput = new ProbedLayer(output, group, true, null, null, false);
        ProbedLayer asHidden = new ProbedLayer(output, group, false, null, null, false);
        if (explicitMetrics != null && metrics.stream().anyMatch(m -> m.reportsAt(asOutput) && !m.reportsAt(asHidden))) {
            wanted.add(output);     // output-only metrics are read at the output even when it was not named
        }
        this.layers = probe.layerNames().stream().filter(wanted::contains).toList();

        LayerFields fields = new LayerFields(probe, inputs.firstAction(), inputs.actedInputs(probe), fieldTypes);
        for (String key : layers) {
            LayerFields.Resolved field = fields.resolve(key);
            ProbedLayer layer = new ProbedLayer(key, group, key.equals(output), field.field(), field.reason(),
                    fields.outputsProbabilities(key));
            info.put(key, layer);
            Set<OrbitStatistic> stats = EnumSet.noneOf(OrbitStatistic.class);
            for (OrbitMetric m : metrics) {
                if (applies(m, layer)) {
                    stats.addAll(m.statistics(layer));
                }
            }
            reducers.put(key, new OrbitReducer(layer, stats, List.copyOf(perts), fields.isNhwc(key),
                    userFields.contains(key), this.reduction.reduction()));
        }
    }

    private List<OrbitMetric> chooseMetrics(List<OrbitMetric> explicit, List<OrbitMetric> defaults) {
        List<OrbitMetric> chosen = new ArrayList<>(explicit != null ? explicit : defaults);
        if (labelled) {
            return List.copyOf(chosen);
        }
        for (OrbitMetric m : List.copyOf(chosen)) {
            if (m.needsLabelsForEveryKey()) {
                if (explicit != null) {
                    throw new IllegalArgumentException("Metric " + m.describe() + " needs class labels, but the "
                            + "data's batches have labels = null");
                }
                log.warn("The data has no labels: {} is left out of the report", m.describe());
                chosen.remove(m);
            } else if (m.needsLabels()) {
                log.info("The data has no labels: {} is reported without its keys that need labels", m.describe());
            }
        }
        return List.copyOf(chosen);
    }

    private static final long ELEMENT_DRAWS_SALT = 0xE1E3E27L;

    /** k when each example is evaluated at k sampled elements, else 0. */
    int sampleElements() {
        return sampleElements;
    }

    /** True when {@code m} is reported at {@code layer} and applies there. */
    static boolean applies(OrbitMetric m, ProbedLayer layer) {
        return m.reportsAt(layer) && m.notApplicableReason(layer) == null;
    }

    /**
     * One inference pass over a chunk's stacked inputs; every probed layer is reduced to its
     * context while its activations are in DL4J's workspace (pending pure-Java work may run
     * beside the next layer's forward pass).
     */
    Map<String, OrbitActivations> contexts(ModelProbe probe, Examples chunk, int[] classes) {
        int b = chunk.size();
        ElementSample sample = elementDraws == null ? null
                : ElementSample.draw(elementDraws, group.order(), group.identity(), sampleElements, b);
        Map<String, OrbitActivations> contexts = new LinkedHashMap<>();
        probe.forward(inputs.inputs(chunk, sample), inputs.masks(chunk, sample), layers, new ActivationVisitor() {
            @Override
            public void visit(String layer, INDArray act) {
                Future<?> pending = visitConcurrently(layer, act);
                if (pending != null) {
                    PendingReduction.await(pending);
                }
            }

            @Override
            public Future<?> visitConcurrently(String layer, INDArray act) {
                OrbitReducer.Reduction r = reducers.get(layer).reduce(act, b, classes, sample);
                contexts.put(layer, r.context());
                return r.pending() == null ? null : PendingReduction.start(r);
            }
        });
        return contexts;
    }
}
