package org.dl4jinvariance.examples;

import java.util.List;
import org.dl4jinvariance.data.ImageFolder;
import org.dl4jinvariance.listeners.DataRole;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * One {@code --data} or {@code --ood} set ready to evaluate.
 *
 * @param name     NAME, as reports and files call it
 * @param source   SOURCE as given
 * @param role     in distribution ({@code --data}) or out of distribution ({@code --ood}: no
 *                 accuracy against its labels unless {@code --ood-label-metrics})
 * @param iterator the examples, scaled, at the model's input shape
 * @param examples how many examples the iterator yields
 * @param classes  the width of the labels, or 0 for unlabeled data (label metrics are skipped)
 * @param skipped  files that were not images (or could not be decoded), left out
 */
record EvalData(String name, String source, DataRole role, DataSetIterator iterator, int examples, int classes,
                List<ImageFolder.SkippedFile> skipped) {

    EvalData {
        skipped = List.copyOf(skipped);
    }

    boolean labelled() {
        return classes > 0;
    }

    /** {@code --data NAME=SOURCE} or {@code --ood NAME=SOURCE}, for messages. */
    String option() {
        return DataSource.option(role) + " " + name + "=" + source;
    }
}
