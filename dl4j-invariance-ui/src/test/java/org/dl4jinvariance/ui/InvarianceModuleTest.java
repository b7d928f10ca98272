package org.dl4jinvariance.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.config.DL4JSystemProperties;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.impl.RemoteUIStatsStorageRouter;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.listeners.InvarianceListener;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.listeners.report.InvariancePersistable;
import org.dl4jinvariance.listeners.report.InvarianceStorageMetaData;
import org.dl4jinvariance.listeners.report.Reporter;
import org.dl4jinvariance.listeners.report.Reporters;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricValue;
import org.dl4jinvariance.testing.TestData;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * DL4J's UI server as users start it ({@code UIServer.getInstance()}, on a free port chosen through
 * DL4J's {@code org.deeplearning4j.ui.port} property), with networks trained under DL4J's
 * {@code StatsListener} and our listener posting through {@code Reporters.statsStorage}: the data
 * route, the page in headless Chromium, live updates, file storages and the remote listener.
 */
class InvarianceModuleTest {

    private static final List<String> LAYERS = List.of("conv", "pool", "dense", "output");
    private static final String TYPE = InvariancePersistable.TYPE_ID;

    private static UIServer ui;
    private static String base;
    private static String session;
    private static InvarianceListener trained;

    @TempDir
    Path tmp;

    static InvarianceListener listener(Reporter reporter) {
        return InvarianceListener.builder()
                .group(Groups.c4())
                .inputAction(ImageActions.rotation(Groups.c4()))
                .evaluate("heldOut", TestData.mnistHeldOut())
                .evaluate("ood", TestData.fashionMnistOod())
                .maxExamples(24)
                .reportTo(reporter)
                .build();
    }

    @BeforeAll
    static void startUiAndTrainThreeEpochs() throws Exception {
        System.setProperty(DL4JSystemProperties.UI_SERVER_PORT_PROPERTY, "0");
        DataSetIterator heldOutIterator = TestData.mnistHeldOut();
        DataSetIterator oodIterator = TestData.fashionMnistOod();
        DataSetIterator trainIterator = TestData.mnistTraining128();
        MultiLayerNetwork net = TestNetworks.tinyCnn(7, 3e-3, false);

        // docs/ui.md's setup, line for line.
        UIServer uiServer = UIServer.getInstance();
        StatsStorage storage = new InMemoryStatsStorage();
        uiServer.attach(storage);
        StatsListener stats = new StatsListener(storage);
        InvarianceListener invariance = InvarianceListener.builder()
                .group(Groups.c4())
                .inputAction(ImageActions.rotation(Groups.c4()))
                .evaluate("heldOut", heldOutIterator)
                .evaluate("ood", oodIterator)
                .reportTo(Reporters.statsStorage(storage, stats.getSessionID()))
                .build();

        net.setListeners(stats, invariance);
        net.fit(trainIterator, 3);

        ui = uiServer;
        base = ui.getAddress();
        session = stats.getSessionID();
        trained = invariance;
        awaitSession(session);
    }

    @AfterAll
    static void stopUi() throws Exception {
        UIServer.stopInstance();
        System.clearProperty(DL4JSystemProperties.UI_SERVER_PORT_PROPERTY);
    }

    /** The UI routes storage events to modules on its own thread, every 0.5 s: wait for the session to be listed. */
    static void awaitSession(String id) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            List<Map<String, Object>> sessions = Http.json(base + InvarianceModule.SESSIONS);
            if (sessions.stream().anyMatch(s -> id.equals(s.get("sessionId")))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Session " + id + " never appeared in " + InvarianceModule.SESSIONS);
    }

    static int records(String id) throws Exception {
        List<Map<String, Object>> sessions = Http.json(base + InvarianceModule.SESSIONS);
        return sessions.stream().filter(s -> id.equals(s.get("sessionId"))).mapToInt(s -> (Integer) s.get("records"))
                .findFirst().orElse(0);
    }

    static Map<String, Object> data(String id) throws Exception {
        return Http.jsonObject(base + InvarianceModule.DATA + "/" + id);
    }

    /** A JSON number, or the strings Jackson writes for non-finite ones. */
    static double num(Object json) {
        return json instanceof Number n ? n.doubleValue() : Double.parseDouble((String) json);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> series(Map<String, Object> data, String dataSet, String layer, String metric) {
        for (Map<String, Object> s : (List<Map<String, Object>>) data.get("series")) {
            if (s.get("dataSet").equals(dataSet) && s.get("layer").equals(layer) && s.get("metric").equals(metric)) {
                return s;
            }
        }
        throw new AssertionError("No series " + dataSet + "/" + layer + "/" + metric);
    }

    static void assertSameValue(MetricValue expected, Map<String, Object> value, String where) {
        assertEquals(expected.mean(), num(value.get("mean")), 0.0, where + " mean");
        assertEquals(expected.ciLow(), num(value.get("ciLow")), 0.0, where + " ciLow");
        assertEquals(expected.ciHigh(), num(value.get("ciHigh")), 0.0, where + " ciHigh");
        assertEquals(expected.n(), ((Number) value.get("n")).intValue(), where + " n");
        assertEquals(expected.notApplicable(), value.get("notApplicable"), where + " notApplicable");
    }

    /** Every value of every record of {@code listener} is in the session's data, at its epoch. */
    @SuppressWarnings("unchecked")
    static void assertHoldsHistory(InvarianceListener listener, Map<String, Object> data) {
        int checked = 0;
        for (EpochReport record : listener.history()) {
            InvarianceReport report = record.report();
            for (String layer : report.layers()) {
                for (String metric : report.values().get(layer).keySet()) {
                    List<Map<String, Object>> points = (List<Map<String, Object>>)
                            series(data, record.dataSet(), layer, metric).get("points");
                    Map<String, Object> point = points.stream().filter(p -> p.get("epoch").equals(record.epoch()))
                            .findFirst().orElseThrow(() -> new AssertionError("No epoch " + record.epoch()));
                    assertSameValue(report.get(layer, metric), (Map<String, Object>) point.get("value"),
                            record.epoch() + "/" + record.dataSet() + "/" + layer + "/" + metric);
                    checked++;
                }
            }
        }
        assertTrue(checked > 0, "no values compared");
    }

    @Test
    @SuppressWarnings("unchecked")
    void dataRouteHoldsTheSessionsLayersEpochsMetricsCisAndProfile() throws Exception {
        List<Map<String, Object>> sessions = Http.json(base + InvarianceModule.SESSIONS);
        Map<String, Object> listed = sessions.stream().filter(s -> session.equals(s.get("sessionId"))).findFirst()
                .orElseThrow();
        assertEquals(trained.runId(), listed.get("runId"));
        assertEquals(6, listed.get("records"), "3 epochs x 2 data sets");

        Map<String, Object> data = data(session);
        assertEquals(LAYERS, data.get("layers"));
        assertEquals(List.of(1, 2, 3), data.get("epochs"));
        assertEquals(List.of("heldOut", "ood"), data.get("dataSets"));
        assertEquals(trained.runId(), data.get("runId"));
        assertTrue(((Map<String, String>) data.get("settings")).containsKey("maxExamples"), "run settings: " + data.get("settings"));

        Map<String, Object> invariance = ((List<Map<String, Object>>) data.get("metrics")).stream()
                .filter(m -> m.get("key").equals("invariance")).findFirst().orElseThrow();
        assertEquals("Invariance deviation", invariance.get("label"));
        assertEquals("LOWER_IS_BETTER", invariance.get("direction"));
        assertEquals("lower is better", invariance.get("better"));

        assertHoldsHistory(trained, data);
        List<Map<String, Object>> conv = (List<Map<String, Object>>) series(data, "heldOut", "conv", "invariance")
                .get("points");
        assertEquals(3, conv.size());
        for (Map<String, Object> p : conv) {
            Map<String, Object> v = (Map<String, Object>) p.get("value");
            assertTrue(num(v.get("ciLow")) <= num(v.get("mean")) && num(v.get("mean")) <= num(v.get("ciHigh")),
                    "CI around the mean: " + v);
            assertTrue(num(v.get("ciLow")) < num(v.get("ciHigh")), "a CI of width > 0 over 96 examples: " + v);
        }

        Map<String, Object> profile = ((List<Map<String, Object>>) data.get("profiles")).stream()
                .filter(p -> p.get("dataSet").equals("ood") && p.get("metric").equals("invariance"))
                .findFirst().orElseThrow();
        assertEquals(3, profile.get("epoch"));
        List<Map<String, Object>> layers = (List<Map<String, Object>>) profile.get("layers");
        assertEquals(LAYERS, layers.stream().map(l -> l.get("layer")).toList());
        InvarianceReport last = trained.history("ood").get(3);
        for (Map<String, Object> l : layers) {
            assertSameValue(last.get((String) l.get("layer"), "invariance"), (Map<String, Object>) l.get("value"),
                    "profile " + l.get("layer"));
        }

        // Beside DL4J's own pages, which keep working.
        assertEquals(200, Http.get(base + "/train/overview").statusCode());
        HttpResponse<String> unknown = Http.get(base + InvarianceModule.DATA + "/no-such-session");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("Unknown session 'no-such-session'") && unknown.body().contains(session),
                unknown.body());
    }

    @Test
    void pageInARealBrowserDrawsTheSessionsLayersAndEpochs() throws Exception {
        String dom = Chromium.dumpDom(base + InvarianceModule.PAGE + "/" + session, 5000, tmp);

        assertTrue(dom.contains("<span id=\"epochs\">1, 2, 3</span>"), "epochs listed:\n" + head(dom));
        for (String layer : LAYERS) {
            assertTrue(dom.contains("class=\"legend-item\" data-name=\"" + layer + "\""), "legend entry " + layer);
        }
        for (int epoch = 1; epoch <= 3; epoch++) {
            assertTrue(dom.contains("class=\"xtick\">" + epoch + "</text>"), "x tick for epoch " + epoch);
        }
        assertTrue(count(dom, "class=\"ci-band\"") >= LAYERS.size(), "CI bands drawn");
        assertTrue(dom.contains("Invariance deviation") && dom.contains("lower is better"), "metric named with its direction");
        assertTrue(dom.contains("Layer profile at epoch 3"), "layer profile drawn");
        assertTrue(dom.contains("href=\"/train\""), "link to DL4J's Train page");
        assertTrue(dom.contains("<option value=\"" + session + "\""), "session picker lists the session");
        assertTrue(dom.contains("<span id=\"status\" class=\"\">live"), "status live, no read errors");
    }

    /** An InMemoryStatsStorage that runs {@code beforeSecondRead} when the page polls the data route the second time. */
    static final class ArrivingStorage extends InMemoryStatsStorage {
        final AtomicInteger reads = new AtomicInteger();
        volatile Runnable beforeSecondRead = () -> { };

        @Override
        public List<Persistable> getAllUpdatesAfter(String sessionId, String typeId, long timestamp) {
            if (InvariancePersistable.TYPE_ID.equals(typeId) && reads.incrementAndGet() == 2) {
                beforeSecondRead.run();
            }
            return super.getAllUpdatesAfter(sessionId, typeId, timestamp);
        }
    }

    @Test
    void aSecondEpochArrivingAfterThePageLoadedIsDrawnWithoutReload() throws Exception {
        InMemoryStatsStorage source = new InMemoryStatsStorage();
        String id = "live-session";
        MultiLayerNetwork net = TestNetworks.tinyCnn(8, 3e-3, false);
        net.setListeners(listener(Reporters.statsStorage(source, id)));
        net.fit(TestData.mnistTraining128(), 2);
        String worker = source.listWorkerIDsForSessionAndType(id, TYPE).get(0);
        List<Persistable> epoch1 = new ArrayList<>();
        List<Persistable> epoch2 = new ArrayList<>();
        for (Persistable p : source.getAllUpdatesAfter(id, TYPE, 0L)) {
            (((InvariancePersistable) p).epoch() == 1 ? epoch1 : epoch2).add(p);
        }

        // Epoch 1 is there when the page loads; epoch 2 arrives between its first and second poll.
        ArrivingStorage live = new ArrivingStorage();
        live.putStorageMetaData(source.getStorageMetaData(id, TYPE));
        live.putStaticInfo(source.getStaticInfo(id, TYPE, worker));
        live.putUpdate(epoch1);
        live.beforeSecondRead = () -> live.putUpdate(epoch2);
        ui.attach(live);
        try {
            awaitSession(id);
            String dom = Chromium.dumpDom(base + InvarianceModule.PAGE + "/" + id + "?poll=500", 8000, tmp);
            assertTrue(live.reads.get() >= 2, "the page polled more than once: " + live.reads.get());
            Matcher updates = Pattern.compile("<li>[^<]*: epochs ([0-9, ]+)</li>").matcher(dom);
            List<String> drawn = new ArrayList<>();
            while (updates.find()) {
                drawn.add(updates.group(1));
            }
            assertEquals(List.of("1", "1, 2"), drawn, "drawn first with epoch 1, then again with epochs 1 and 2");
            assertTrue(dom.contains("<span id=\"epochs\">1, 2</span>"), "epoch 2 shown");
            assertTrue(dom.contains("class=\"xtick\">2</text>"), "epoch 2 on the x axes");
        } finally {
            ui.detach(live);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFileStatsStorageWrittenBeforeTheUiIsAttachedIsShownAndForgottenOnDetach() throws Exception {
        File file = tmp.resolve("stats.dl4j").toFile();
        FileStatsStorage writing = new FileStatsStorage(file);
        StatsListener stats = new StatsListener(writing);
        InvarianceListener invariance = listener(Reporters.statsStorage(writing, stats.getSessionID()));
        MultiLayerNetwork net = TestNetworks.tinyCnn(9, 3e-3, false);
        net.setListeners(stats, invariance);
        net.fit(TestData.mnistTraining128(), 2);
        writing.close();

        FileStatsStorage reopened = new FileStatsStorage(file);
        ui.attach(reopened);
        try {
            // onAttach finds the session in the file: listed at once, no storage event needed.
            List<Map<String, Object>> sessions = Http.json(base + InvarianceModule.SESSIONS);
            assertTrue(sessions.stream().anyMatch(s -> stats.getSessionID().equals(s.get("sessionId"))), sessions.toString());
            Map<String, Object> data = data(stats.getSessionID());
            assertEquals(List.of(1, 2), data.get("epochs"));
            assertEquals(LAYERS, data.get("layers"));
            assertHoldsHistory(invariance, data);
        } finally {
            ui.detach(reopened);
            reopened.close();
        }
        List<Map<String, Object>> after = Http.json(base + InvarianceModule.SESSIONS);
        assertFalse(after.stream().anyMatch(s -> stats.getSessionID().equals(s.get("sessionId"))),
                "a detached storage's session is no longer listed: " + after);
        assertEquals(404, Http.get(base + InvarianceModule.DATA + "/" + stats.getSessionID()).statusCode());
    }

    @Test
    void recordsPostedThroughTheRemoteListenerArriveDecoded() throws Exception {
        ui.enableRemoteListener();
        RemoteUIStatsStorageRouter router = new RemoteUIStatsStorageRouter(base);
        try {
            String id = "remote-session";
            InvarianceListener invariance = listener(Reporters.statsStorage(router, id));
            MultiLayerNetwork net = TestNetworks.tinyCnn(10, 3e-3, false);
            net.setListeners(new StatsListener(router, 1, id), invariance);
            net.fit(TestData.mnistTraining128(), 1);

            awaitSession(id);
            // The router posts asynchronously: wait for every record of the run.
            long deadline = System.currentTimeMillis() + 30_000;
            while (records(id) < invariance.history().size() && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(invariance.history().size(), records(id), "records that arrived");
            Map<String, Object> data = data(id);
            assertEquals(List.of(1), data.get("epochs"));
            assertEquals(invariance.runId(), data.get("runId"), "static info decoded on the UI side");
            assertHoldsHistory(invariance, data);
            assertNotNull(data.get("lastUpdate"));
        } finally {
            router.shutdown();
            ui.disableRemoteListener();
        }
    }

    @Test
    void ourRecordsSurviveTheRemoteRoutesEncodingAndClassLoading() throws Exception {
        // What RemoteReceiverModule does with a posted record: load the class by name, call the
        // no-argument constructor, decode the bytes.
        InvariancePersistable original = (InvariancePersistable) trainedUpdates().get(0);
        InvariancePersistable decoded = InvariancePersistable.class.getDeclaredConstructor().newInstance();
        decoded.decode(original.encode());
        assertEquals(original, decoded);
        InvarianceStorageMetaData meta = new InvarianceStorageMetaData(session, "w", 5);
        InvarianceStorageMetaData metaDecoded = InvarianceStorageMetaData.class.getDeclaredConstructor().newInstance();
        metaDecoded.decode(meta.encode());
        assertEquals(session, metaDecoded.getSessionID());
    }

    private static List<Persistable> trainedUpdates() {
        StatsStorage storage = ui.getStatsStorageInstances().get(0);
        return storage.getAllUpdatesAfter(session, TYPE, 0L);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String head(String dom) {
        return dom.length() > 3000 ? dom.substring(0, 3000) + "…" : dom;
    }
}
