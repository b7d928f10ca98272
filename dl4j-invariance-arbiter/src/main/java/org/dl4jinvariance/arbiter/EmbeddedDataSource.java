package org.dl4jinvariance.arbiter;

import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.data.IdxDataset;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * An Arbiter {@code DataSource} over the data embedded in dl4j-invariance (no download): training
 * and test examples are two disjoint ranges of one embedded set, {@code "mnist"} (default) or
 * {@code "fashion-mnist"}, in [B, 1, 28, 28] batches with one-hot labels. Its iterators are
 * resettable, as Arbiter needs.
 *
 * <pre>{@code
 * new OptimizationConfiguration.Builder()
 *         .dataSource(EmbeddedDataSource.class, EmbeddedDataSource.properties("mnist", 2000, 500, 64))
 *         ...
 * }</pre>
 *
 * Properties: {@value #DATA} (name), {@value #TRAIN_SIZE} (taken from the start),
 * {@value #TEST_SIZE} (taken from the end, never trained on), {@value #BATCH_SIZE}.
 */
public final class EmbeddedDataSource implements DataSource {

    private static final long serialVersionUID = 1L;

    public static final String DATA = "embedded.data";
    public static final String TRAIN_SIZE = "embedded.trainSize";
    public static final String TEST_SIZE = "embedded.testSize";
    public static final String BATCH_SIZE = "embedded.batchSize";

    private String data = "mnist";
    private int trainSize = 8_000;
    private int testSize = 1_000;
    private int batchSize = 64;

    /** Arbiter creates data sources through this constructor, then calls {@link #configure}. */
    public EmbeddedDataSource() {
    }

    /**
     * The properties for {@code trainSize} training examples from the start of {@code data} and
     * {@code testSize} test examples from its end.
     *
     * @throws IllegalArgumentException when the two ranges would overlap or a size is not positive
     */
    public static Properties properties(String data, int trainSize, int testSize, int batchSize) {
        Properties p = new Properties();
        p.setProperty(DATA, data);
        p.setProperty(TRAIN_SIZE, String.valueOf(trainSize));
        p.setProperty(TEST_SIZE, String.valueOf(testSize));
        p.setProperty(BATCH_SIZE, String.valueOf(batchSize));
        EmbeddedDataSource check = new EmbeddedDataSource();
        check.configure(p);
        return p;
    }

    @Override
    public void configure(Properties properties) {
        if (properties == null) {
            return;
        }
        data = properties.getProperty(DATA, data);
        trainSize = intProperty(properties, TRAIN_SIZE, trainSize);
        testSize = intProperty(properties, TEST_SIZE, testSize);
        batchSize = intProperty(properties, BATCH_SIZE, batchSize);
        int available = set().size();
        if (trainSize < 1 || testSize < 1 || batchSize < 1) {
            throw new IllegalArgumentException("EmbeddedDataSource sizes must be >= 1, got trainSize " + trainSize
                    + ", testSize " + testSize + ", batchSize " + batchSize);
        }
        if (trainSize + testSize > available) {
            throw new IllegalArgumentException("EmbeddedDataSource: trainSize " + trainSize + " + testSize " + testSize
                    + " exceeds the " + available + " examples of '" + data + "'; training and test data must not overlap");
        }
    }

    private static int intProperty(Properties p, String key, int fallback) {
        String v = p.getProperty(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Property " + key + " must be an integer, got '" + v + "'", e);
        }
    }

    private IdxDataset set() {
        if ("mnist".equalsIgnoreCase(data)) {
            return Datasets.mnist();
        }
        if ("fashion-mnist".equalsIgnoreCase(data)) {
            return Datasets.fashionMnist();
        }
        throw new IllegalArgumentException("Property " + DATA + ": unknown embedded data set '" + data
                + "', expected mnist or fashion-mnist");
    }

    @Override
    public DataSetIterator trainData() {
        return set().iterator(batchSize, 0, trainSize);
    }

    @Override
    public DataSetIterator testData() {
        IdxDataset set = set();
        return set.iterator(batchSize, set.size() - testSize, testSize);
    }

    @Override
    public Class<?> getDataType() {
        return DataSetIterator.class;
    }
}
