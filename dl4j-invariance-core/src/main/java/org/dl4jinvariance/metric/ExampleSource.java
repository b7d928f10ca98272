package org.dl4jinvariance.metric;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/** A DL4J iterator ({@code DataSetIterator} or {@code MultiDataSetIterator}) as a stream of {@link Examples}. */
interface ExampleSource {

    boolean hasNext();

    Examples next();

    /** What the iterator is, for messages. */
    String describe();

    /**
     * Resets the iterator when it can be reset, then requires a first batch.
     *
     * @throws IllegalArgumentException when it yields nothing, naming it (and reset, when it cannot be reset)
     */
    default void start(boolean resetSupported, Runnable reset) {
        if (resetSupported) {
            reset.run();
        }
        if (!hasNext()) {
            throw new IllegalArgumentException("The iterator " + describe() + " yielded no examples; an evaluation "
                    + "needs at least one" + (resetSupported ? "" : " (it does not support reset(), so a second "
                    + "evaluation finds it exhausted: pass a fresh or resettable iterator)"));
        }
    }

    static ExampleSource of(DataSetIterator data) {
        if (data == null) {
            throw new IllegalArgumentException("evaluate needs a DataSetIterator, got null");
        }
        ExampleSource source = new ExampleSource() {
            @Override
            public boolean hasNext() {
                return data.hasNext();
            }

            @Override
            public Examples next() {
                return Examples.of(data.next());
            }

            @Override
            public String describe() {
                return data.getClass().getName();
            }
        };
        source.start(data.resetSupported(), data::reset);
        return source;
    }

    static ExampleSource of(MultiDataSetIterator data) {
        if (data == null) {
            throw new IllegalArgumentException("evaluate needs a MultiDataSetIterator, got null");
        }
        ExampleSource source = new ExampleSource() {
            @Override
            public boolean hasNext() {
                return data.hasNext();
            }

            @Override
            public Examples next() {
                MultiDataSet ds = data.next();
                INDArray[] masks = ds.getFeaturesMaskArrays() != null ? ds.getFeaturesMaskArrays()
                        : new INDArray[ds.getFeatures().length];
                INDArray[] labels = ds.getLabels();
                return new Examples(ds.getFeatures(), labels == null || labels.length == 0 ? null : labels[0], masks);
            }

            @Override
            public String describe() {
                return data.getClass().getName();
            }
        };
        source.start(data.resetSupported(), data::reset);
        return source;
    }
}
