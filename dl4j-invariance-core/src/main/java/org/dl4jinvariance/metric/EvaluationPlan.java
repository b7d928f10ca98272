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

    /** A plan reducing on {@link ReductionPath#AUTO}'s path. */
    EvaluationPlan(ModelProbe probe, GroupAction action, Examples first, List<OrbitMetric> explicitMetrics,
            List<OrbitMetric> defaults, List<String> requested, Map<String, FieldType> fieldTypes, List<String> actedInputs) {
        this(probe, action, first, explicitMetrics, defaults, requested, fieldTypes, actedInputs, ReductionPath.AUTO.resolve());
    }

    /**
     * @param explicitMetrics the user's metrics, or null for the defaults
     * @param defaults        the default metrics
     * @param requested       the user's layers, or null for every layer
     * @param actedInputs     the inputs the user named, or null for every input the action acts on
     * @param reduction       JAVA or ND4J
     */
    EvaluationPlan(ModelProbe probe, GroupAction action, Examples first, List<OrbitMetric> explicitMetrics,
            List<OrbitMetric> defaults, List<String> requested, Map<String, FieldType> fieldTypes, List<String> actedInputs,
            ReductionPath reduction) {
        this.reduction = reduction;
        this.group = action.group();
        this.labelled = first.labels() != null;
        this.metrics = chooseMetrics(explicitMetrics, defaults);

        LinkedHashSet<Perturbation> perts = new LinkedHashSet<>();
        metrics.forEach(m -> perts.addAll(m.perturbations()));
        this.inputs = OrbitInputs.plan(probe, action, actedInputs, first, List.copyOf(perts));

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
                    userFields.contains(key), reduction.reduction()));
        }
    }

    private List<OrbitMetric> chooseMetrics(List<OrbitMetric> explicit, List<OrbitMetric> defaults) {
        List<OrbitMetric> chosen = new ArrayList<>(explicit != null ? explicit : defaults);
        if (labelled) {
            return List.copyOf(chosen);
        }
        for (OrbitMetric m : List.copyOf(chosen)) {
            if (m.needsLabels()) {
                if (explicit != null) {
                    throw new IllegalArgumentException("Metric " + m.describe() + " needs class labels, but the "
                            + "data's batches have labels = null");
                }
                log.warn("The data has no labels: {} is left out of the report", m.describe());
                chosen.remove(m);
            }
        }
        return List.copyOf(chosen);
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
        Map<String, OrbitActivations> contexts = new LinkedHashMap<>();
        probe.forward(inputs.inputs(chunk), inputs.masks(chunk), layers, new ActivationVisitor() {
            @Override
            public void visit(String layer, INDArray act) {
                Future<?> pending = visitConcurrently(layer, act);
                if (pending != null) {
                    PendingReduction.await(pending);
                }
            }

            @Override
            public Future<?> visitConcurrently(String layer, INDArray act) {
                OrbitReducer.Reduction r = reducers.get(layer).reduce(act, b, classes);
                contexts.put(layer, r.context());
                return r.pending() == null ? null : PendingReduction.start(r);
            }
        });
        return contexts;
    }
}
