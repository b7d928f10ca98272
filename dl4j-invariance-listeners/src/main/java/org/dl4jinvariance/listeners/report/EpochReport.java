package org.dl4jinvariance.listeners.report;

import java.util.Objects;
import org.dl4jinvariance.listeners.DataRole;
import org.dl4jinvariance.metric.InvarianceReport;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * One entry of a listener's history: the {@link InvarianceReport} of one data set after a given
 * number of training epochs, or the failure that prevented it.
 *
 * <p>Epochs are counted as DL4J counts completed epochs: the record made at the end of the first
 * epoch has {@code epoch == 1}. A failure has no report; it names what failed (a data set's
 * evaluation, or a reporter) and carries the cause's class and message.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class EpochReport {

    private final int epoch;
    private final String dataSet;
    private final InvarianceReport report;
    private final String reporter;
    private final String failure;
    private final long millis;
    private final DataRole role;

    /** A record of an in-distribution data set (see the full constructor). */
    public EpochReport(int epoch, String dataSet, InvarianceReport report, String reporter, String failure, long millis) {
        this(epoch, dataSet, report, reporter, failure, millis, null);
    }

    /** @param role the data set's role; null means {@link DataRole#IN_DISTRIBUTION} */
    @JsonCreator
    public EpochReport(@JsonProperty("epoch") int epoch, @JsonProperty("dataSet") String dataSet,
                       @JsonProperty("report") InvarianceReport report, @JsonProperty("reporter") String reporter,
                       @JsonProperty("failure") String failure, @JsonProperty("millis") long millis,
                       @JsonProperty("role") DataRole role) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        if ((report == null) == (failure == null)) {
            throw new IllegalArgumentException("An EpochReport holds either a report or a failure, got report="
                    + (report == null ? "null" : "present") + " and failure=" + failure);
        }
        this.epoch = epoch;
        this.dataSet = dataSet;
        this.report = report;
        this.reporter = reporter;
        this.failure = failure;
        this.millis = millis;
        this.role = role == null ? DataRole.IN_DISTRIBUTION : role;
    }

    /** The same record with the data set's role. */
    public EpochReport withRole(DataRole role) {
        return new EpochReport(epoch, dataSet, report, reporter, failure, millis, role);
    }

    /** The role of the data set this record is about ({@link DataRole#IN_DISTRIBUTION} by default). */
    @JsonProperty
    public DataRole role() {
        return role;
    }

    /** A successful evaluation of {@code dataSet} that took {@code millis} milliseconds. */
    public static EpochReport of(int epoch, String dataSet, InvarianceReport report, long millis) {
        Objects.requireNonNull(report, "report");
        return new EpochReport(epoch, requireName(dataSet), report, null, null, millis);
    }

    /** The evaluation of {@code dataSet} failed with {@code cause}. */
    public static EpochReport evaluationFailed(int epoch, String dataSet, Throwable cause, long millis) {
        return new EpochReport(epoch, requireName(dataSet), null, null, describe(cause), millis);
    }

    /**
     * Reporter {@code reporter} failed with {@code cause} while handling the records of
     * {@code dataSet} (null when it failed at the end of the epoch).
     */
    public static EpochReport reporterFailed(int epoch, String reporter, String dataSet, Throwable cause) {
        return new EpochReport(epoch, dataSet, null, Objects.requireNonNull(reporter, "reporter"), describe(cause), 0);
    }

    private static String requireName(String dataSet) {
        if (dataSet == null || dataSet.isBlank()) {
            throw new IllegalArgumentException("A data set needs a non-blank name, got '" + dataSet + "'");
        }
        return dataSet;
    }

    /** {@code ExceptionClass: message}, followed by each cause the same way. */
    static String describe(Throwable cause) {
        StringBuilder sb = new StringBuilder();
        Throwable t = cause;
        while (t != null) {
            if (sb.length() > 0) {
                sb.append(" <- caused by ");
            }
            sb.append(t.getClass().getName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return sb.toString();
    }

    /** Completed training epochs when the record was made (1 after the first epoch). */
    @JsonProperty
    public int epoch() {
        return epoch;
    }

    /** The data set's name as given to the listener; null for a reporter failure at epoch end. */
    @JsonProperty
    public String dataSet() {
        return dataSet;
    }

    /** The report, or null when this record is a failure. */
    @JsonProperty
    public InvarianceReport report() {
        return report;
    }

    /** The failing reporter's name when a reporter failed, else null. */
    @JsonProperty
    public String reporter() {
        return reporter;
    }

    /** {@code ExceptionClass: message} of the failure (with its causes), or null on success. */
    @JsonProperty
    public String failure() {
        return failure;
    }

    /** Milliseconds the evaluation took (0 for reporter failures). */
    @JsonProperty
    public long millis() {
        return millis;
    }

    @JsonIgnore
    public boolean failed() {
        return failure != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpochReport r && r.epoch == epoch && Objects.equals(r.dataSet, dataSet)
                && Objects.equals(r.report, report) && Objects.equals(r.reporter, reporter)
                && Objects.equals(r.failure, failure) && r.millis == millis && r.role == role;
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, dataSet, report, reporter, failure, millis, role);
    }

    @Override
    public String toString() {
        if (!failed()) {
            return "epoch " + epoch + ", " + dataSet + " (" + millis + " ms):\n" + report;
        }
        return "epoch " + epoch + ", " + (reporter != null ? "reporter " + reporter + (dataSet == null ? "" : " on " + dataSet)
                : dataSet) + " FAILED: " + failure;
    }
}
