package org.dl4jinvariance.ui;

import java.util.List;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.dl4jinvariance.listeners.report.InvariancePersistable;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * One entry of the session list: the session, its run id, the newest record's time stamp and the
 * number of invariance records.
 */
public record SessionSummary(@JsonProperty("sessionId") String sessionId, @JsonProperty("runId") String runId,
                             @JsonProperty("lastUpdate") long lastUpdate, @JsonProperty("records") int records) {

    static SessionSummary of(StatsStorage storage, String sessionId) {
        String type = InvariancePersistable.TYPE_ID;
        String runId = null;
        long last = 0;
        int records = 0;
        for (String worker : storage.listWorkerIDsForSessionAndType(sessionId, type)) {
            if (runId == null && storage.getStaticInfo(sessionId, type, worker) instanceof InvariancePersistable p
                    && p.settings() != null) {
                runId = p.settings().get("runId");
            }
            records += storage.getNumUpdateRecordsFor(sessionId, type, worker);
            Persistable update = storage.getLatestUpdate(sessionId, type, worker);
            if (update != null) {
                last = Math.max(last, update.getTimeStamp());
            }
        }
        return new SessionSummary(sessionId, runId, last, records);
    }
}
