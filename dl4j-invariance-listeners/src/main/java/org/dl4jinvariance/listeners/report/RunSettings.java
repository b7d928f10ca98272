package org.dl4jinvariance.listeners.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dl4jinvariance.listeners.DataRole;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * How a run is watched, handed to every {@link Reporter} once before its first record: a run id
 * (to tell runs apart in append-only files), the data-set names in the order they are evaluated,
 * and readable settings (group, action, layers, metrics, distance, examples, model, ...).
 */
public final class RunSettings {

    private final String runId;
    private final List<String> dataSets;
    private final Map<String, String> values;
    private final Map<String, DataRole> roles;
    private final ModelDescription model;

    /** Settings with every data set in distribution and no model description. */
    public RunSettings(String runId, List<String> dataSets, Map<String, String> values) {
        this(runId, dataSets, values, null, null);
    }

    /**
     * @param roles data set → role; data sets not named are {@link DataRole#IN_DISTRIBUTION}
     * @param model the watched network, or null when not known
     */
    @JsonCreator
    public RunSettings(@JsonProperty("runId") String runId, @JsonProperty("dataSets") List<String> dataSets,
                       @JsonProperty("values") Map<String, String> values,
                       @JsonProperty("roles") Map<String, DataRole> roles, @JsonProperty("model") ModelDescription model) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("runId must be non-blank, got '" + runId + "'");
        }
        this.runId = runId;
        this.dataSets = dataSets == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(dataSets));
        this.values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.roles = roles == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(roles));
        this.model = model;
    }

    /** The role of {@code dataSet}: as given to the listener, {@link DataRole#IN_DISTRIBUTION} by default. */
    public DataRole role(String dataSet) {
        return roles.getOrDefault(dataSet, DataRole.IN_DISTRIBUTION);
    }

    /** Data set → role, for the data sets given a role. */
    @JsonProperty
    public Map<String, DataRole> roles() {
        return roles;
    }

    /** The watched network (name, architecture, parameters), or null when not known. */
    public ModelDescription model() {
        return model;
    }

    /** Identifies the run, e.g. {@code 20240101-120000-3f2a}. */
    @JsonProperty
    public String runId() {
        return runId;
    }

    /** Data-set names, in evaluation order. */
    @JsonProperty
    public List<String> dataSets() {
        return dataSets;
    }

    /** Setting name → readable value, in a stable order. */
    @JsonProperty
    public Map<String, String> values() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunSettings s && s.runId.equals(runId) && s.dataSets.equals(dataSets) && s.values.equals(values)
                && s.roles.equals(roles) && Objects.equals(s.model, model);
    }

    @Override
    public int hashCode() {
        return Objects.hash(runId, dataSets, values, roles, model);
    }

    @Override
    public String toString() {
        return "run " + runId + ", data sets " + dataSets + ", " + values;
    }
}
