package org.dl4jinvariance.listeners.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;

class StatsStorageReporterTest {

    @Test
    void postsSettingsAndOneUpdatePerEpochAndDataSet() throws Exception {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        Reporter reporter = Reporters.statsStorage(storage, "session-1");
        RunSettings settings = Fixtures.settings("run-s");
        Fixtures.drive(reporter, settings, 1, 3);
        reporter.record(EpochReport.evaluationFailed(4, "heldOut", new IllegalStateException("boom"), 1));

        assertEquals(List.of("session-1"), storage.listSessionIDs());
        assertTrue(storage.listTypeIDsForSession("session-1").contains(InvariancePersistable.TYPE_ID));
        String worker = StatsStorageReporter.DEFAULT_WORKER;
        InvariancePersistable info = (InvariancePersistable) storage.getStaticInfo("session-1",
                InvariancePersistable.TYPE_ID, worker);
        assertEquals("1000", info.settings().get("maxExamples"));
        assertEquals("heldOut,oodFashion", info.settings().get("dataSets"));
        assertEquals(InvariancePersistable.class.getName(),
                storage.getStorageMetaData("session-1", InvariancePersistable.TYPE_ID).getUpdateTypeClass());

        List<Persistable> updates = storage.getAllUpdatesAfter("session-1", InvariancePersistable.TYPE_ID, worker, 0);
        assertEquals(3 * 2 + 1, updates.size(), "no two updates may share a time stamp");
        InvariancePersistable second = (InvariancePersistable) updates.get(3);
        assertEquals(2, second.epoch());
        assertEquals("oodFashion", second.dataSet());
        assertEquals(Fixtures.report(2, "oodFashion", 1), second.report());
        InvariancePersistable failure = (InvariancePersistable) updates.get(6);
        assertNull(failure.report());
        assertEquals("java.lang.IllegalStateException: boom", failure.failure());
    }

    @Test
    void encodesDecodesAndSerializesLosslessly() throws Exception {
        InvariancePersistable p = InvariancePersistable.update("s", "w", 123L,
                EpochReport.of(5, "heldOut", Fixtures.report(5, "heldOut", 2), 9));
        InvariancePersistable decoded = new InvariancePersistable();
        decoded.decode(p.encode());
        assertEquals(p, decoded);
        assertEquals(p.encodingLengthBytes(), p.encode().length);
        assertEquals(Fixtures.report(5, "heldOut", 2), decoded.report());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(p);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(p, in.readObject());
        }

        InvarianceStorageMetaData meta = new InvarianceStorageMetaData("s", "w", 7);
        InvarianceStorageMetaData back = new InvarianceStorageMetaData();
        back.decode(meta.encode());
        assertEquals("s", back.getSessionID());
        assertEquals("w", back.getWorkerID());
        assertEquals(7, back.getTimeStamp());
    }
}
