package org.dl4jinvariance.arbiter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.data.IdxDataset;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIteratorFactory;

/**
 * Where an {@link InvarianceScoreFunction} measures its invariance metric, as a JSON-serializable
 * description (Arbiter stores score functions in its configuration JSON, so data cannot be an
 * iterator object):
 *
 * <ul>
 *   <li>{@link #testData()}: the search's own test data, {@code DataSource.testData()};</li>
 *   <li>{@link #embedded(String, int, int)}: a slice of the data embedded in dl4j-invariance,
 *       {@code "mnist"} or {@code "fashion-mnist"} (e.g. Fashion-MNIST as out-of-distribution
 *       data for an MNIST search);</li>
 *   <li>{@link #dataSource(Class, Properties)}: the test data of another Arbiter
 *       {@code DataSource} (public no-argument constructor, configured with the properties).</li>
 * </ul>
 * Each use makes a fresh iterator, so concurrent candidates never share one.
 */
public final class ScoreData {

    /** The three kinds of description. */
    public enum Kind {
        TEST_DATA, EMBEDDED, DATA_SOURCE
    }

    /** Examples per batch of an embedded iterator. */
    public static final int EMBEDDED_BATCH = 250;

    private Kind kind = Kind.TEST_DATA;
    private String name;
    private int offset;
    private int count;
    private String dataSourceClass;
    private Map<String, String> properties;

    /** For Jackson. */
    private ScoreData() {
    }

    private ScoreData(Kind kind, String name, int offset, int count, String dataSourceClass, Map<String, String> properties) {
        this.kind = kind;
        this.name = name;
        this.offset = offset;
        this.count = count;
        this.dataSourceClass = dataSourceClass;
        this.properties = properties;
    }

    /** The search's test data (the default). */
    public static ScoreData testData() {
        return new ScoreData(Kind.TEST_DATA, null, 0, 0, null, null);
    }

    /**
     * {@code count} examples from {@code offset} of the embedded {@code "mnist"} or
     * {@code "fashion-mnist"} (10,000 images each).
     *
     * @throws IllegalArgumentException naming an unknown set or a range outside it
     */
    public static ScoreData embedded(String name, int offset, int count) {
        IdxDataset set = embeddedSet(name);
        if (offset < 0 || count < 1 || (long) offset + count > set.size()) {
            throw new IllegalArgumentException("Embedded data '" + name + "': offset " + offset + " and count " + count
                    + " must lie within its " + set.size() + " examples");
        }
        return new ScoreData(Kind.EMBEDDED, name, offset, count, null, null);
    }

    /** The test data of {@code source}, configured with {@code properties} (may be null). */
    public static ScoreData dataSource(Class<? extends DataSource> source, Properties properties) {
        if (source == null) {
            throw new IllegalArgumentException("dataSource needs a DataSource class, got null");
        }
        try {
            source.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("DataSource " + source.getName() + " has no public no-argument constructor");
        }
        Map<String, String> map = null;
        if (properties != null) {
            map = new LinkedHashMap<>();
            for (String key : properties.stringPropertyNames()) {
                map.put(key, properties.getProperty(key));
            }
        }
        return new ScoreData(Kind.DATA_SOURCE, null, 0, 0, source.getName(), map);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * A fresh iterator over the described data.
     *
     * @param testData the search's test data, used for {@link Kind#TEST_DATA}
     */
    public DataSetIterator iterator(Object testData) {
        return switch (kind) {
            case TEST_DATA -> asIterator(testData, "the search's test data");
            case EMBEDDED -> embeddedSet(name).iterator(EMBEDDED_BATCH, offset, count);
            case DATA_SOURCE -> asIterator(newDataSource().testData(), "the test data of " + dataSourceClass);
        };
    }

    private DataSource newDataSource() {
        try {
            DataSource ds = Class.forName(dataSourceClass).asSubclass(DataSource.class).getConstructor().newInstance();
            if (properties != null) {
                Properties p = new Properties();
                p.putAll(properties);
                ds.configure(p);
            }
            return ds;
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException("Cannot create the DataSource " + dataSourceClass + ": " + e, e);
        }
    }

    /** A DataSetIterator (or a factory of one); anything else is an IllegalArgumentException naming it. */
    static DataSetIterator asIterator(Object data, String what) {
        if (data instanceof DataSetIterator it) {
            return it;
        }
        if (data instanceof DataSetIteratorFactory f) {
            return f.create();
        }
        throw new IllegalArgumentException(what + " must be a DataSetIterator or DataSetIteratorFactory, got "
                + (data == null ? "null" : data.getClass().getName()));
    }

    private static IdxDataset embeddedSet(String name) {
        if ("mnist".equalsIgnoreCase(name)) {
            return Datasets.mnist();
        }
        if ("fashion-mnist".equalsIgnoreCase(name)) {
            return Datasets.fashionMnist();
        }
        throw new IllegalArgumentException("Unknown embedded data set '" + name + "': expected mnist or fashion-mnist");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreData d && kind == d.kind && Objects.equals(name, d.name) && offset == d.offset
                && count == d.count && Objects.equals(dataSourceClass, d.dataSourceClass)
                && Objects.equals(properties, d.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name, offset, count, dataSourceClass, properties);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case TEST_DATA -> "test data";
            case EMBEDDED -> name + "[" + offset + ", " + (offset + count) + ")";
            case DATA_SOURCE -> dataSourceClass + ".testData()";
        };
    }
}
