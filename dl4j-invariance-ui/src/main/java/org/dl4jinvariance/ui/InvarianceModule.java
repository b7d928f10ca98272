package org.dl4jinvariance.ui;

import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.HttpMethod;
import org.deeplearning4j.ui.api.Route;
import org.deeplearning4j.ui.api.UIModule;
import org.deeplearning4j.ui.i18n.I18NResource;
import org.dl4jinvariance.listeners.report.InvariancePersistable;
import org.nd4j.common.function.Function;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "Invariance" page of DL4J's training UI. DL4J's {@code VertxUIServer} finds this module
 * through {@code META-INF/services/org.deeplearning4j.ui.api.UIModule}; it follows every session
 * of the attached {@link StatsStorage}s that holds {@link InvariancePersistable} records (type id
 * {@value InvariancePersistable#TYPE_ID}, written by {@code Reporters.statsStorage(...)}).
 *
 * <p>Routes (GET):
 * <ul>
 *   <li>{@value #PAGE} and {@code /invariance/:sessionId}: the page (self-contained HTML, no
 *       external resources). It polls the data route every 2 s and redraws when new epochs arrive.</li>
 *   <li>{@value #SESSIONS}: JSON list of sessions, newest first
 *       ({@link SessionSummary}).</li>
 *   <li>{@code /invariance/data/:sessionId}: JSON {@link SessionData} of one session; 404 with a
 *       JSON {@code error} naming the known sessions for an unknown one.</li>
 * </ul>
 * A session named {@code sessions} or {@code data} is reached with {@code /invariance?session=NAME}.
 */
public final class InvarianceModule implements UIModule {

    /** The page's path. */
    public static final String PAGE = "/invariance";
    /** The session list's path. */
    public static final String SESSIONS = PAGE + "/sessions";
    /** The data route's path prefix: {@code DATA + "/" + sessionId}. */
    public static final String DATA = PAGE + "/data";

    private static final Logger log = LoggerFactory.getLogger(InvarianceModule.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAGE_RESOURCE = "invariance.html";

    /** Session id → the storage holding its invariance records. */
    private final Map<String, StatsStorage> sessions = new ConcurrentHashMap<>();
    private final String page = readPage();

    @Override
    public List<String> getCallbackTypeIDs() {
        return List.of(InvariancePersistable.TYPE_ID);
    }

    @Override
    public List<Route> getRoutes() {
        // Vert.x tries routes in this order: the fixed paths come before /invariance/:sessionId.
        return List.of(
                new Route(PAGE, HttpMethod.GET, (args, rc) -> sendPage(rc)),
                new Route(SESSIONS, HttpMethod.GET, (args, rc) -> sendJson(rc, 200, sessionList())),
                new Route(DATA + "/:sessionId", HttpMethod.GET, (args, rc) -> sendData(args.get(0), rc)),
                new Route(PAGE + "/:sessionId", HttpMethod.GET, (args, rc) -> sendPage(rc)));
    }

    @Override
    public void reportStorageEvents(Collection<StatsStorageEvent> events) {
        for (StatsStorageEvent event : events) {
            if (InvariancePersistable.TYPE_ID.equals(event.getTypeID()) && event.getStatsStorage() != null) {
                sessions.putIfAbsent(event.getSessionID(), event.getStatsStorage());
            }
        }
    }

    @Override
    public void onAttach(StatsStorage storage) {
        for (String sessionId : storage.listSessionIDs()) {
            if (storage.listTypeIDsForSession(sessionId).contains(InvariancePersistable.TYPE_ID)) {
                sessions.put(sessionId, storage);
            }
        }
    }

    @Override
    public void onDetach(StatsStorage storage) {
        sessions.values().removeIf(s -> s == storage);
    }

    @Override
    public List<I18NResource> getInternationalizationResources() {
        return List.of();
    }

    /** The sessions with invariance records, newest first. */
    public List<SessionSummary> sessionList() {
        List<SessionSummary> list = new ArrayList<>();
        sessions.forEach((id, storage) -> list.add(SessionSummary.of(storage, id)));
        list.sort(Comparator.comparingLong(SessionSummary::lastUpdate).reversed()
                .thenComparing(SessionSummary::sessionId));
        return list;
    }

    private void sendData(String sessionId, RoutingContext rc) {
        StatsStorage storage = storageOf(sessionId);
        if (storage == null) {
            sendJson(rc, 404, Map.of("error", "Unknown session '" + sessionId + "'; sessions with invariance records: "
                    + sessions.keySet()));
            return;
        }
        try {
            sendJson(rc, 200, SessionData.read(storage, sessionId));
        } catch (RuntimeException e) {
            log.error("Reading invariance records of session {} failed", sessionId, e);
            sendJson(rc, 500, Map.of("error", "Reading session '" + sessionId + "' failed: " + e));
        }
    }

    /** The storage of a known session; else, in DL4J's multi-session mode, the one its provider loads. */
    private StatsStorage storageOf(String sessionId) {
        StatsStorage storage = sessions.get(sessionId);
        if (storage == null && VertxUIServer.getInstance() != null) {
            Function<String, Boolean> loader = VertxUIServer.getInstance().getStatsStorageLoader();
            if (loader != null && Boolean.TRUE.equals(loader.apply(sessionId))) {
                storage = sessions.get(sessionId);
            }
        }
        return storage;
    }

    private void sendPage(RoutingContext rc) {
        rc.response().putHeader("content-type", "text/html; charset=utf-8").end(page);
    }

    private static void sendJson(RoutingContext rc, int status, Object body) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            log.error("Writing JSON failed", e);
            rc.response().setStatusCode(500).end("Writing JSON failed: " + e.getMessage());
            return;
        }
        rc.response().setStatusCode(status)
                .putHeader("content-type", "application/json; charset=utf-8")
                .putHeader("cache-control", "no-store")
                .end(json);
    }

    private static String readPage() {
        try (InputStream in = InvarianceModule.class.getResourceAsStream(PAGE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + PAGE_RESOURCE + " missing next to "
                        + InvarianceModule.class.getName() + " (a broken jar?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
