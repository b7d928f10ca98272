package org.dl4jinvariance.ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.dl4jinvariance.listeners.report.InvariancePersistable;
import org.dl4jinvariance.metric.InvarianceReport;
import org.dl4jinvariance.metric.MetricValue;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Everything the Invariance page draws for one session, read from the
 * {@link InvariancePersistable} records of a {@link StatsStorage}: each metric against epoch per
 * layer and data set with its 95% CI ({@link #series}), and the layer profile — the last epoch's
 * value at every layer ({@link #profiles}). Served as JSON by {@link InvarianceModule}.
 *
 * <p>Non-finite values stay what they are (Jackson writes them as the strings {@code "NaN"},
 * {@code "Infinity"}); a metric that does not apply at a layer carries its reason. When a session
 * has records from more than one worker, data sets are named {@code worker/dataSet} so that no two
 * runs are merged into one curve. Should one (worker, epoch, data set) be recorded twice, the
 * later record wins.
 *
 * @param sessionId  the DL4J session
 * @param runId      the listener's run id (from the static info; null if it never arrived)
 * @param settings   the run settings (group, action, metrics, examples, ...), empty if unknown
 * @param dataSets   data sets in evaluation order
 * @param layers     probed layers in network order
 * @param metrics    every metric seen, in report order, with readable names and directions
 * @param epochs     epochs with at least one record, ascending
 * @param series     one curve per (data set, layer, metric)
 * @param profiles   one layer profile per (data set, metric), at that data set's last epoch
 * @param failures   failed evaluations or reporters, in record order
 * @param lastUpdate time stamp (ms) of the newest record, 0 when there is none
 */
public record SessionData(@JsonProperty("sessionId") String sessionId, @JsonProperty("runId") String runId,
                          @JsonProperty("settings") Map<String, String> settings,
                          @JsonProperty("dataSets") List<String> dataSets, @JsonProperty("layers") List<String> layers,
                          @JsonProperty("metrics") List<MetricLabel> metrics, @JsonProperty("epochs") List<Integer> epochs,
                          @JsonProperty("series") List<Series> series, @JsonProperty("profiles") List<Profile> profiles,
                          @JsonProperty("failures") List<Failure> failures, @JsonProperty("lastUpdate") long lastUpdate) {

    /** One metric at one layer: its mean with the 95% bootstrap CI over n examples, or why it does not apply. */
    public record Value(@JsonProperty("mean") double mean, @JsonProperty("ciLow") double ciLow,
                        @JsonProperty("ciHigh") double ciHigh, @JsonProperty("n") int n,
                        @JsonProperty("notApplicable") String notApplicable) {
        static Value of(MetricValue v) {
            return new Value(v.mean(), v.ciLow(), v.ciHigh(), v.n(), v.notApplicable());
        }
    }

    /** The value of one curve at one epoch. */
    public record Point(@JsonProperty("epoch") int epoch, @JsonProperty("value") Value value) {
    }

    /** One metric against epoch, at one layer, on one data set. */
    public record Series(@JsonProperty("dataSet") String dataSet, @JsonProperty("layer") String layer,
                         @JsonProperty("metric") String metric, @JsonProperty("points") List<Point> points) {
    }

    /** One metric's value at one layer (a point of a profile). */
    public record LayerValue(@JsonProperty("layer") String layer, @JsonProperty("value") Value value) {
    }

    /** One metric at every layer where it is reported, in network order, at {@code epoch}. */
    public record Profile(@JsonProperty("dataSet") String dataSet, @JsonProperty("metric") String metric,
                          @JsonProperty("epoch") int epoch, @JsonProperty("layers") List<LayerValue> layers) {
    }

    /** A record that holds a failure instead of a report. */
    public record Failure(@JsonProperty("epoch") int epoch, @JsonProperty("dataSet") String dataSet,
                          @JsonProperty("message") String message) {
    }

    /** The data of {@code sessionId} in {@code storage}, as it is now. */
    public static SessionData read(StatsStorage storage, String sessionId) {
        String type = InvariancePersistable.TYPE_ID;
        List<String> workers = storage.listWorkerIDsForSessionAndType(sessionId, type);
        boolean severalWorkers = workers.size() > 1;

        String runId = null;
        Map<String, String> settings = new LinkedHashMap<>();
        Set<String> dataSets = new LinkedHashSet<>();
        for (String worker : workers) {
            Persistable info = storage.getStaticInfo(sessionId, type, worker);
            if (info instanceof InvariancePersistable p && p.settings() != null) {
                Map<String, String> s = p.settings();
                runId = runId == null ? s.get("runId") : runId;
                s.forEach((name, value) -> {
                    if (!name.equals("runId") && !name.equals("dataSets")) {
                        settings.putIfAbsent(name, value);
                    }
                });
                String names = s.get("dataSets");
                if (names != null && !names.isEmpty()) {
                    for (String name : names.split(",")) {
                        dataSets.add(severalWorkers ? worker + "/" + name : name);
                    }
                }
            }
        }

        List<InvariancePersistable> records = new ArrayList<>();
        for (Persistable p : storage.getAllUpdatesAfter(sessionId, type, 0L)) {
            if (p instanceof InvariancePersistable ip) {
                records.add(ip);
            }
        }
        records.sort(Comparator.comparingLong(InvariancePersistable::getTimeStamp));

        Set<String> layers = new LinkedHashSet<>();
        Set<String> metricKeys = new LinkedHashSet<>();
        Set<Integer> epochs = new TreeSet<>();
        // data set -> epoch -> report; TreeMap keeps epochs ascending, a later record replaces an earlier one.
        Map<String, TreeMap<Integer, InvarianceReport>> reports = new LinkedHashMap<>();
        List<Failure> failures = new ArrayList<>();
        long lastUpdate = 0;
        for (InvariancePersistable record : records) {
            lastUpdate = Math.max(lastUpdate, record.getTimeStamp());
            String dataSet = record.dataSet() == null ? null
                    : severalWorkers ? record.getWorkerID() + "/" + record.dataSet() : record.dataSet();
            epochs.add(record.epoch());
            if (record.failure() != null) {
                failures.add(new Failure(record.epoch(), dataSet, record.failure()));
                continue;
            }
            InvarianceReport report = record.report();
            if (report == null || dataSet == null) {
                continue;
            }
            dataSets.add(dataSet);
            layers.addAll(report.layers());
            metricKeys.addAll(report.metrics());
            reports.computeIfAbsent(dataSet, d -> new TreeMap<>()).put(record.epoch(), report);
        }

        List<Series> series = new ArrayList<>();
        List<Profile> profiles = new ArrayList<>();
        for (String dataSet : dataSets) {
            TreeMap<Integer, InvarianceReport> byEpoch = reports.get(dataSet);
            if (byEpoch == null) {
                continue;
            }
            for (String metric : metricKeys) {
                for (String layer : layers) {
                    List<Point> points = new ArrayList<>();
                    byEpoch.forEach((epoch, report) -> {
                        if (report.has(layer, metric)) {
                            points.add(new Point(epoch, Value.of(report.get(layer, metric))));
                        }
                    });
                    if (!points.isEmpty()) {
                        series.add(new Series(dataSet, layer, metric, points));
                    }
                }
                Map.Entry<Integer, InvarianceReport> last = byEpoch.lastEntry();
                List<LayerValue> profile = new ArrayList<>();
                for (String layer : layers) {
                    if (last.getValue().has(layer, metric)) {
                        profile.add(new LayerValue(layer, Value.of(last.getValue().get(layer, metric))));
                    }
                }
                if (!profile.isEmpty()) {
                    profiles.add(new Profile(dataSet, metric, last.getKey(), profile));
                }
            }
        }
        List<MetricLabel> metrics = metricKeys.stream().map(MetricLabel::of).toList();
        return new SessionData(sessionId, runId, settings, List.copyOf(dataSets), List.copyOf(layers), metrics,
                List.copyOf(epochs), series, profiles, failures, lastUpdate);
    }
}
