package org.dl4jinvariance.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.dl4jinvariance.data.Datasets;
import org.nd4j.linalg.dataset.DataSet;

/** A local[2] Spark context on the loopback interface, and MNIST batches as an RDD would hold them. */
final class LocalSpark {

    private LocalSpark() {
    }

    static JavaSparkContext start(String app) {
        return new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName(app)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
    }

    /** Embedded MNIST digits from … from + n − 1 in batches of {@code batch} (the last may be smaller). */
    static List<DataSet> mnistBatches(int from, int n, int batch) {
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < n; i += batch) {
            out.add(Datasets.mnist().slice(from + i, Math.min(batch, n - i)));
        }
        return out;
    }
}
