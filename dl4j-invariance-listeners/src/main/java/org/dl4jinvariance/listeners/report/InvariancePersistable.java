package org.dl4jinvariance.listeners.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.core.storage.Persistable;
import org.dl4jinvariance.metric.InvarianceReport;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * An {@link InvarianceReport} (or a run's settings) as a DL4J {@link Persistable}, so that it can
 * be stored in a {@code StatsStorage} beside DL4J's own training statistics. Type id
 * {@value #TYPE_ID}. Updates carry one (epoch, data set) report, or a failure; static info carries
 * the run settings. The encoding is UTF-8 JSON; Java serialization works too (file storages).
 */
public final class InvariancePersistable implements Persistable {

    private static final long serialVersionUID = 1L;
    /** The type id under which every record of this library is stored. */
    public static final String TYPE_ID = "InvarianceListener";

    private static final ObjectMapper JSON = new ObjectMapper();

    private String sessionId;
    private String typeId = TYPE_ID;
    private String workerId;
    private long timeStamp;
    private int epoch;
    private String dataSet;
    private String reportJson;
    private String failure;
    private Map<String, String> settings;

    /** For decoding; fill with {@link #decode(byte[])}. */
    public InvariancePersistable() {
    }

    /** An update: the record of one data set at one epoch. */
    public static InvariancePersistable update(String sessionId, String workerId, long timeStamp, EpochReport record) {
        InvariancePersistable p = new InvariancePersistable();
        p.sessionId = sessionId;
        p.workerId = workerId;
        p.timeStamp = timeStamp;
        p.epoch = record.epoch();
        p.dataSet = record.dataSet();
        p.reportJson = record.failed() ? null : record.report().toJson();
        p.failure = record.failed() ? (record.reporter() == null ? "" : "reporter " + record.reporter() + ": ")
                + record.failure() : null;
        return p;
    }

    /** Static info: the run settings (data sets, group, metrics, ...). */
    public static InvariancePersistable staticInfo(String sessionId, String workerId, long timeStamp,
                                                   RunSettings settings) {
        InvariancePersistable p = new InvariancePersistable();
        p.sessionId = sessionId;
        p.workerId = workerId;
        p.timeStamp = timeStamp;
        p.epoch = 0;
        Map<String, String> s = new LinkedHashMap<>();
        s.put("runId", settings.runId());
        s.put("dataSets", String.join(",", settings.dataSets()));
        s.putAll(settings.values());
        p.settings = s;
        return p;
    }

    @Override
    public String getSessionID() {
        return sessionId;
    }

    @Override
    public String getTypeID() {
        return typeId;
    }

    @Override
    public String getWorkerID() {
        return workerId;
    }

    @Override
    public long getTimeStamp() {
        return timeStamp;
    }

    /** Completed epochs (0 for static info). */
    public int epoch() {
        return epoch;
    }

    /** The data set's name, or null for static info. */
    public String dataSet() {
        return dataSet;
    }

    /** The report, or null for static info and failures. */
    public InvarianceReport report() {
        return reportJson == null ? null : InvarianceReport.fromJson(reportJson);
    }

    /** The failure, or null. */
    public String failure() {
        return failure;
    }

    /** The run settings when this is static info, else null. */
    public Map<String, String> settings() {
        return settings;
    }

    private Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sessionId", sessionId);
        m.put("typeId", typeId);
        m.put("workerId", workerId);
        m.put("timeStamp", timeStamp);
        m.put("epoch", epoch);
        m.put("dataSet", dataSet);
        m.put("report", reportJson);
        m.put("failure", failure);
        m.put("settings", settings);
        return m;
    }

    @Override
    public byte[] encode() {
        try {
            return JSON.writeValueAsBytes(fields());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int encodingLengthBytes() {
        return encode().length;
    }

    @Override
    public void encode(ByteBuffer buffer) {
        buffer.put(encode());
    }

    @Override
    public void encode(OutputStream out) throws IOException {
        out.write(encode());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void decode(byte[] bytes) {
        try {
            Map<String, Object> m = JSON.readValue(bytes, Map.class);
            sessionId = (String) m.get("sessionId");
            typeId = (String) m.get("typeId");
            workerId = (String) m.get("workerId");
            timeStamp = ((Number) m.get("timeStamp")).longValue();
            epoch = ((Number) m.get("epoch")).intValue();
            dataSet = (String) m.get("dataSet");
            reportJson = (String) m.get("report");
            failure = (String) m.get("failure");
            settings = (Map<String, String>) m.get("settings");
        } catch (IOException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("Not an encoded InvariancePersistable (" + bytes.length + " bytes): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void decode(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        decode(bytes);
    }

    @Override
    public void decode(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        decode(bytes.toByteArray());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InvariancePersistable p && fields().equals(p.fields());
    }

    @Override
    public int hashCode() {
        return fields().hashCode();
    }

    @Override
    public String toString() {
        return "InvariancePersistable" + fields();
    }
}
