package org.dl4jinvariance.listeners.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.deeplearning4j.core.storage.StorageMetaData;

/**
 * Tells a DL4J {@code StatsStorage} that the records of type {@value InvariancePersistable#TYPE_ID}
 * in a session are {@link InvariancePersistable}s. Encoded as three UTF-8 lines: session, worker,
 * time stamp.
 */
public final class InvarianceStorageMetaData implements StorageMetaData {

    private static final long serialVersionUID = 1L;

    private String sessionId;
    private String workerId;
    private long timeStamp;

    /** For decoding. */
    public InvarianceStorageMetaData() {
    }

    public InvarianceStorageMetaData(String sessionId, String workerId, long timeStamp) {
        this.sessionId = sessionId;
        this.workerId = workerId;
        this.timeStamp = timeStamp;
    }

    @Override
    public long getTimeStamp() {
        return timeStamp;
    }

    @Override
    public String getSessionID() {
        return sessionId;
    }

    @Override
    public String getTypeID() {
        return InvariancePersistable.TYPE_ID;
    }

    @Override
    public String getWorkerID() {
        return workerId;
    }

    @Override
    public String getInitTypeClass() {
        return InvariancePersistable.class.getName();
    }

    @Override
    public String getUpdateTypeClass() {
        return InvariancePersistable.class.getName();
    }

    @Override
    public Serializable getExtraMetaData() {
        return null;
    }

    @Override
    public byte[] encode() {
        return (sessionId + "\n" + workerId + "\n" + timeStamp).getBytes(StandardCharsets.UTF_8);
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
    public void decode(byte[] bytes) {
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        if (lines.length != 3) {
            throw new IllegalArgumentException("Expected 3 lines (session, worker, time stamp), got " + lines.length);
        }
        sessionId = lines[0];
        workerId = lines[1];
        timeStamp = Long.parseLong(lines[2]);
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
}
