package org.dl4jinvariance.metric;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.dl4jinvariance.probe.ChunkWorkspace;
import org.dl4jinvariance.probe.ModelProbe;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * An {@link InvarianceEvaluator}'s template cut where other machines can take over, for
 * evaluations whose chunks are computed on a cluster (dl4j-invariance-spark); the
 * single-machine evaluator runs through the same pieces, so both give the same report.
 *
 * <ol>
 *   <li>Driver: {@code InvarianceEvaluator.chunked(model, firstBatch)} fixes the plan (metrics,
 *       layers, fields) and the {@link #chunkSize()}; {@link #admission()} is the serializable
 *       check every batch passes (it drops fully masked examples).</li>
 *   <li>Workers: the same call where the model is (the plan depends only on the model, the
 *       settings and the first batch); the admitted examples, numbered 0, 1, … in the data's
 *       order and cut at the first {@code maxExamples}, form chunk i = examples
 *       [i·chunkSize, min((i+1)·chunkSize, n)); {@link #samples(DataSet, int)} computes chunk
 *       i's per-example values. It shuffles the chunk with the seed {@code seed + 1,000,003·i}
 *       first, so the distinct-input baseline sets (consecutive examples) are random examples.</li>
 *   <li>Driver: {@link #report(Collection, int, String)} appends every chunk's values in index
 *       order and summarizes them (ratio keys divided by the mean of all baseline references,
 *       then mean and seeded 95% bootstrap CI per key, {@link MetricValue#of}, or
 *       {@link MetricValue#ofRatio} for ratio keys, whose CI also resamples the references).
 *       The bootstrap resamples the values in that order, so the same chunks give the same
 *       report, bit for bit, however they were spread over machines.</li>
 * </ol>
 *
 * <p>A target precision or sampled elements are single-machine only
 * ({@link InvarianceEvaluator#requireWholeEvaluation}); {@code chunked(...)} refuses them.
 */
public final class ChunkedEvaluation {

    private final InvarianceEvaluator evaluator;
    private final ModelProbe probe;
    private final Examples first;
    private final EvaluationPlan plan;
    private MemoryBudget.Chunking chunking;
    /** The evaluator's {@link EvaluationProgress}, told as chunks are added ({@link #startProgress}). */
    private ProgressReporter progress;

    ChunkedEvaluation(InvarianceEvaluator evaluator, ModelProbe probe, Examples first) {
        this.evaluator = evaluator;
        this.probe = probe;
        this.first = first;
        this.plan = evaluator.plan(probe, first);
    }

    /**
     * Examples per chunk: the memory budget's choice, sized by one forward pass of one example's
     * orbit on the first call (a driver's work; workers are told the size).
     */
    public int chunkSize() {
        return chunking().examples();
    }

    /** The checks every batch passes, labels tied to the output when a metric compares them. */
    public BatchAdmission admission() {
        return new BatchAdmission(plan.labelled, new LabelCheck(probe,
                evaluator.labelMetrics() && plan.metrics.stream().anyMatch(OrbitMetric::needsLabels)));
    }

    /**
     * Chunk {@code index}'s per-example values from its admitted examples in the data's order
     * (one forward pass of the whole orbit).
     *
     * @throws IllegalArgumentException for a negative index or an empty chunk
     */
    public ChunkSamples samples(DataSet rows, int index) {
        return samples(List.of(Examples.of(rows)), index);
    }

    /**
     * {@link #samples(DataSet, int)} of the chunk made of {@code parts}, one after the other;
     * they are joined in the {@link ChunkWorkspace}, like every other array of the chunk.
     */
    ChunkSamples samples(List<Examples> parts, int index) {
        int size = parts.stream().mapToInt(Examples::size).sum();
        if (index < 0 || size == 0) {
            throw new IllegalArgumentException("A chunk needs an index >= 0 and at least one example, got index " + index
                    + " with " + size + " examples");
        }
        try (MemoryWorkspace ignored = ChunkWorkspace.enter()) {
            return samples(Examples.concat(parts), index);
        } catch (RuntimeException | Error e) {
            ChunkWorkspace.release();
            throw e;
        }
    }

    private ChunkSamples samples(Examples chunk, int index) {
        Examples shuffled = chunk.pick(Examples.shuffled(chunk.size(), evaluator.seed() + 1_000_003L * index));
        // Per-time-step labels [B, K, T] have no single class per example: no per-class breakdown.
        INDArray y = shuffled.labels();
        int[] classes = y == null || y.rank() > 2 ? null : InvarianceEvaluator.classesOf(y);
        return ChunkSamples.compute(plan, plan.contexts(probe, shuffled, classes), index, shuffled.size(), classes);
    }

    /**
     * The report of every chunk, given in any order: they are merged by {@link ChunkSamples#index()}.
     *
     * @param fullyMasked examples the {@link #admission()} dropped (reported in the settings)
     * @param source      what the data was, for the message when nothing is left
     * @throws IllegalArgumentException when the indices are not 0..k−1, each once, when a chunk
     *                                  other than the last is not full, or when there are no
     *                                  examples (every one fully masked)
     */
    public InvarianceReport report(Collection<ChunkSamples> chunks, int fullyMasked, String source) {
        List<ChunkSamples> ordered = new ArrayList<>(chunks);
        ordered.sort(Comparator.comparingInt(ChunkSamples::index));
        ReportAccumulator values = accumulator();
        for (int i = 0; i < ordered.size(); i++) {
            ChunkSamples c = ordered.get(i);
            if (c.index() != i) {
                throw new IllegalArgumentException("Chunk indices must be 0.." + (ordered.size() - 1) + ", each once; at "
                        + "position " + i + " of the sorted chunks found index " + c.index());
            }
            if (i < ordered.size() - 1 && c.size() != chunkSize()) {
                throw new IllegalArgumentException("Chunk " + i + " holds " + c.size() + " examples; every chunk but the "
                        + "last holds chunkSize = " + chunkSize());
            }
            if (i == 0) {
                startProgress(source, ordered.stream().mapToInt(ChunkSamples::size).sum());
            }
            add(values, c);
        }
        InvarianceReport report = report(values, fullyMasked, source);
        finishProgress(values);
        return report;
    }

    /**
     * Starts the progress of this evaluation: the evaluator's {@link EvaluationProgress} is told
     * about {@code source}, with at most {@code total} examples, as chunks are {@link #add added}.
     */
    void startProgress(String source, int total) {
        progress = new ProgressReporter(evaluator.progress(), source, total).start();
    }

    /** Adds one chunk's values and tells the progress. */
    void add(ReportAccumulator values, ChunkSamples chunk) {
        values.add(chunk);
        if (progress != null) {
            progress.add(chunk.size());
        }
    }

    /** The last progress call: every example of {@code values} is measured. */
    void finishProgress(ReportAccumulator values) {
        if (progress != null) {
            progress.finish(values.examples());
        }
    }

    ReportAccumulator accumulator() {
        // unlabelled data: the keys that need labels are left out, as with withoutLabelMetrics()
        return new ReportAccumulator(plan, evaluator.seed(), evaluator.labelMetrics() && plan.labelled);
    }

    InvarianceReport report(ReportAccumulator values, int fullyMasked, String source) {
        if (values.examples() == 0) {
            throw new IllegalArgumentException("Every example of " + source + " is fully masked (" + fullyMasked
                    + " examples); nothing to evaluate");
        }
        Map<String, String> settings = evaluator.settings(plan, values.examples(), chunking());
        if (fullyMasked > 0) {
            settings.put("excludedFullyMasked", String.valueOf(fullyMasked));
        }
        return values.report(settings);
    }

    private MemoryBudget.Chunking chunking() {
        if (chunking == null) {
            chunking = MemoryBudget.chunking(probe, plan, first, evaluator.maxBatch(), evaluator.maxBatchBytes(),
                    evaluator.sizingMemo());
        }
        return chunking;
    }
}
