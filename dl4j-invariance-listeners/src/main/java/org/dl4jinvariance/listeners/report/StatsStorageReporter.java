package org.dl4jinvariance.listeners.report;

import org.deeplearning4j.core.storage.StatsStorageRouter;

/**
 * Posts every record to a DL4J {@link StatsStorageRouter} (an {@code InMemoryStatsStorage},
 * {@code FileStatsStorage}, or a remote UI router) as {@link InvariancePersistable}s of type
 * {@value InvariancePersistable#TYPE_ID}: storage metadata and the run settings as static info at
 * start, then one update per (epoch, data set). Storages key updates by time stamp, so the
 * reporter hands out strictly increasing time stamps.
 */
public final class StatsStorageReporter implements Reporter {

    /** Worker id used when none is given. */
    public static final String DEFAULT_WORKER = "invariance";

    private final StatsStorageRouter router;
    private final String fixedSessionId;
    private final String workerId;
    private String sessionId;
    private long lastTimeStamp;

    /**
     * @param sessionId the DL4J session to post into (pass your {@code StatsListener}'s session id
     *                  to put both side by side), or null to use the run id
     */
    public StatsStorageReporter(StatsStorageRouter router, String sessionId, String workerId) {
        if (router == null) {
            throw new IllegalArgumentException("statsStorage(router) needs a StatsStorageRouter (e.g. an "
                    + "InMemoryStatsStorage), got null");
        }
        if (sessionId != null && sessionId.isBlank()) {
            throw new IllegalArgumentException("statsStorage(router, sessionId) needs a non-blank session id, or null "
                    + "for the run id, got '" + sessionId + "'");
        }
        this.router = router;
        this.fixedSessionId = sessionId;
        this.workerId = workerId == null ? DEFAULT_WORKER : workerId;
    }

    /** The session records are posted into (known after {@link #start}). */
    public String sessionId() {
        return sessionId;
    }

    @Override
    public void start(RunSettings settings) {
        sessionId = fixedSessionId != null ? fixedSessionId : settings.runId();
        long t = nextTimeStamp();
        router.putStorageMetaData(new InvarianceStorageMetaData(sessionId, workerId, t));
        router.putStaticInfo(InvariancePersistable.staticInfo(sessionId, workerId, t, settings));
    }

    @Override
    public void record(EpochReport record) {
        if (sessionId == null) {
            sessionId = fixedSessionId != null ? fixedSessionId : "invariance";
        }
        router.putUpdate(InvariancePersistable.update(sessionId, workerId, nextTimeStamp(), record));
    }

    private long nextTimeStamp() {
        lastTimeStamp = Math.max(System.currentTimeMillis(), lastTimeStamp + 1);
        return lastTimeStamp;
    }

    @Override
    public String name() {
        return "statsStorage(" + router.getClass().getSimpleName() + ")";
    }
}
