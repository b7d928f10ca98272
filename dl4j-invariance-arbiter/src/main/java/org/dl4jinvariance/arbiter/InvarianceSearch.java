package org.dl4jinvariance.arbiter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.arbiter.ComputationGraphSpace;
import org.deeplearning4j.arbiter.MultiLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultSaver;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.task.ComputationGraphTaskCreator;
import org.deeplearning4j.arbiter.task.MultiLayerNetworkTaskCreator;
import org.deeplearning4j.arbiter.task.TaskListener;
import org.deeplearning4j.nn.api.Model;
import org.dl4jinvariance.listeners.InvarianceListener;
import org.dl4jinvariance.listeners.report.EpochReport;
import org.dl4jinvariance.metric.CallbackFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Arbiter search in one call, recording for every candidate what it was, its score with
 * the figures behind it, its invariance curves, or why it failed. It runs Arbiter's own
 * {@code LocalOptimizationRunner} with its DL4J task creator (one candidate at a time), adds a
 * task listener that records each candidate and, if given, an {@link InvarianceTaskListener},
 * and stops after {@code candidates} candidates ({@link CandidatesFinishedCondition}: a candidate
 * whose configuration cannot be built counts as a failed candidate, and the search goes on).
 *
 * <pre>{@code
 * SearchResult result = InvarianceSearch.builder()
 *         .space(multiLayerSpace)                                          // or a ComputationGraphSpace
 *         .dataSource(EmbeddedDataSource.class, EmbeddedDataSource.properties("mnist", 2000, 500, 64))
 *         .scoreFunction(InvarianceScoreFunction.builder()...build())
 *         .perCandidate(InvarianceTaskListener.of(recipe, dir))            // optional
 *         .candidates(6).seed(42)
 *         .build().run();
 * result.ranked().forEach(c -> System.out.println(c.id() + " " + c.score()));
 * }</pre>
 */
public final class InvarianceSearch {

    private static final Logger log = LoggerFactory.getLogger(InvarianceSearch.class);

    private final ParameterSpace<?> space;
    private final boolean graph;
    private final Class<? extends DataSource> dataSource;
    private final Properties dataSourceProperties;
    private final ScoreFunction scoreFunction;
    private final CandidateGenerator generator;
    private final InvarianceTaskListener perCandidate;
    private final int candidates;
    private final long seed;
    private final Long maxMinutes;
    private final ResultSaver resultSaver;
    private final SearchProgress progress;

    private InvarianceSearch(Builder b) {
        this.progress = b.progress;
        this.space = b.space;
        this.graph = b.graph;
        this.dataSource = b.dataSource;
        this.dataSourceProperties = b.dataSourceProperties;
        this.scoreFunction = b.scoreFunction;
        this.generator = b.generator != null ? b.generator : new RandomSearchGenerator(b.space, null);
        this.perCandidate = b.perCandidate;
        this.candidates = b.candidates;
        this.seed = b.seed;
        this.maxMinutes = b.maxMinutes;
        this.resultSaver = b.resultSaver;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Runs the search to the end (blocking) and returns every candidate, ranked. */
    public SearchResult run() {
        Recorder recorder = new Recorder(scoreFunction, perCandidate, progress, candidates);
        TaskCreator tasks = graph ? new ComputationGraphTaskCreator(null, recorder)
                : new MultiLayerNetworkTaskCreator(null, recorder);
        List<TerminationCondition> stop = new ArrayList<>();
        stop.add(new CandidatesFinishedCondition(candidates));
        if (maxMinutes != null) {
            stop.add(new MaxTimeCondition(maxMinutes, TimeUnit.MINUTES));
        }
        OptimizationConfiguration.Builder cb = new OptimizationConfiguration.Builder()
                .candidateGenerator(new LimitedGenerator(generator, candidates))
                .dataSource(dataSource, dataSourceProperties)
                .scoreFunction(scoreFunction)
                .terminationConditions(stop)
                .rngSeed(seed);
        if (resultSaver != null) {
            cb.modelSaver(resultSaver);
        }
        LocalOptimizationRunner runner = new LocalOptimizationRunner(1, cb.build(), tasks);
        log.info("Arbiter search: up to {} candidates, score {}", candidates, scoreFunction);
        runner.execute();

        List<CandidateResult> results = new ArrayList<>();
        List<CandidateInfo> statuses = new ArrayList<>(runner.getCandidateStatus());
        statuses.sort(Comparator.comparingInt(CandidateInfo::getIndex));
        for (CandidateInfo info : statuses) {
            results.add(result(info, recorder.records.get(info.getIndex())));
        }
        SearchResult result = new SearchResult(results, scoreFunction.minimize(), scoreFunction.toString(), runner);
        log.info("Arbiter search finished: {} completed, {} failed; best: {}", result.completed(), result.failed(),
                result.best() == null ? "none" : result.best().id() + " (score " + result.best().score() + ")");
        return result;
    }

    private CandidateResult result(CandidateInfo info, Record record) {
        int index = info.getIndex();
        boolean completed = info.getCandidateStatus() == CandidateStatus.Complete;
        List<EpochReport> history = List.of();
        InvarianceListener listener = perCandidate == null ? null : perCandidate.listener(index);
        if (listener != null) {
            history = listener.history();
        }
        return new CandidateResult(index, InvarianceTaskListener.candidateId(index),
                completed ? CandidateResult.Status.COMPLETED : CandidateResult.Status.FAILED,
                completed ? info.getScore() : null, record == null ? null : record.breakdown,
                record == null ? null : record.group, record == null ? null : record.architecture,
                record == null ? 0 : record.parameters, record == null ? 0 : record.seconds,
                completed ? null : failure(info), history);
    }

    /** The first line of the stack trace, with the exception's simple class name. */
    static String failure(CandidateInfo info) {
        String trace = info.getExceptionStackTrace();
        if (trace == null || trace.isBlank()) {
            return "failed (" + info.getCandidateStatus() + ", no exception recorded)";
        }
        String first = trace.lines().findFirst().orElse(trace).trim();
        int colon = first.indexOf(':');
        String type = colon < 0 ? first : first.substring(0, colon);
        int dot = type.lastIndexOf('.');
        return dot < 0 || type.contains(" ") ? first : type.substring(dot + 1) + (colon < 0 ? "" : first.substring(colon));
    }

    /** What the recorder learns about one candidate while Arbiter trains it. */
    private static final class Record {
        volatile String architecture;
        volatile String group;
        volatile long parameters;
        volatile long startNanos;
        volatile double seconds;
        volatile ScoreBreakdown before;
        volatile ScoreBreakdown breakdown;
        volatile int position;
    }

    /**
     * Arbiter's task hook: records the candidate's network, time and score breakdown, and hands
     * the model to the per-candidate InvarianceListener hook. Arbiter scores a candidate and calls
     * postProcess on the same thread, so the score function's last breakdown on that thread is
     * this candidate's (unless scoring did not happen, which {@code before} detects).
     */
    private static final class Recorder implements TaskListener {
        private static final long serialVersionUID = 1L;
        private final transient ScoreFunction scoreFunction;
        private final transient InvarianceTaskListener perCandidate;
        private final transient Map<Integer, Record> records = new ConcurrentHashMap<>();
        private final transient int candidates;
        /** Null once it threw: progress output must never stop a search. */
        private transient volatile SearchProgress progress;
        private final transient java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();

        Recorder(ScoreFunction scoreFunction, InvarianceTaskListener perCandidate, SearchProgress progress, int candidates) {
            this.scoreFunction = scoreFunction;
            this.perCandidate = perCandidate;
            this.progress = progress;
            this.candidates = candidates;
        }

        /**
         * Tells the progress callback, dropping it (with a warning) when it throws; what
         * {@link CallbackFailures#passesThrough} names is rethrown.
         */
        private void tell(java.util.function.Consumer<SearchProgress> call) {
            SearchProgress p = progress;
            if (p == null) {
                return;
            }
            try {
                call.accept(p);
            } catch (RuntimeException | Error e) {
                if (CallbackFailures.passesThrough(e)) {
                    throw e;
                }
                progress = null;
                log.warn("The search progress callback {} failed and is dropped; the search goes on. Cause: {}", p,
                        e.toString(), e);
            }
        }

        @Override
        public <T extends Model> T preProcess(T model, Candidate candidate) {
            Record r = new Record();
            Object value = candidate.getValue();
            r.architecture = Architectures.describe(value);
            r.group = Architectures.group(value);
            r.parameters = model.numParams();
            r.before = scoreFunction instanceof InvarianceScoreFunction f ? f.lastBreakdown() : null;
            r.startNanos = System.nanoTime();
            r.position = started.incrementAndGet();
            records.put(candidate.getIndex(), r);
            tell(p -> p.candidateStarted(candidate.getIndex(), r.position, candidates, r.architecture, model));
            return perCandidate == null ? model : perCandidate.preProcess(model, candidate);
        }

        @Override
        public void postProcess(Model model, Candidate candidate) {
            Record r = records.get(candidate.getIndex());
            if (r == null) {
                return;
            }
            r.seconds = (System.nanoTime() - r.startNanos) / 1e9;
            if (scoreFunction instanceof InvarianceScoreFunction f) {
                ScoreBreakdown b = f.lastBreakdown();
                r.breakdown = b != r.before ? b : null;
            }
            if (perCandidate != null) {
                perCandidate.postProcess(model, candidate);
            }
            tell(p -> p.candidateFinished(candidate.getIndex(), r.position, candidates, r.seconds));
        }
    }

    /** Hands out at most {@code max} candidates of another generator. */
    private static final class LimitedGenerator implements CandidateGenerator {
        private final CandidateGenerator delegate;
        private final int max;
        private int handedOut;

        LimitedGenerator(CandidateGenerator delegate, int max) {
            this.delegate = delegate;
            this.max = max;
        }

        @Override
        public synchronized boolean hasMoreCandidates() {
            return handedOut < max && delegate.hasMoreCandidates();
        }

        @Override
        public synchronized Candidate getCandidate() {
            handedOut++;
            return delegate.getCandidate();
        }

        @Override
        public void reportResults(OptimizationResult result) {
            delegate.reportResults(result);
        }

        @Override
        public ParameterSpace<?> getParameterSpace() {
            return delegate.getParameterSpace();
        }

        @Override
        public void setRngSeed(long rngSeed) {
            delegate.setRngSeed(rngSeed);
        }

        @Override
        public Class<?> getCandidateType() {
            return delegate.getCandidateType();
        }
    }

    /** Builder; the space, the data source and the score function are required. */
    public static final class Builder {
        private ParameterSpace<?> space;
        private boolean graph;
        private Class<? extends DataSource> dataSource;
        private Properties dataSourceProperties;
        private ScoreFunction scoreFunction;
        private CandidateGenerator generator;
        private InvarianceTaskListener perCandidate;
        private int candidates = 10;
        private long seed = 12345;
        private Long maxMinutes;
        private ResultSaver resultSaver;
        private SearchProgress progress;

        private Builder() {
        }

        /**
         * Told when each candidate starts and ends (optional; default none), e.g. to print
         * "candidate i of N" and add a per-epoch progress bar to its network.
         *
         * @throws IllegalArgumentException for null
         */
        public Builder progress(SearchProgress progress) {
            if (progress == null) {
                throw new IllegalArgumentException("progress needs a SearchProgress, got null");
            }
            this.progress = progress;
            return this;
        }

        public Builder space(MultiLayerSpace space) {
            this.space = space;
            this.graph = false;
            return this;
        }

        public Builder space(ComputationGraphSpace space) {
            this.space = space;
            this.graph = true;
            return this;
        }

        /** Arbiter's data source: training data and the test data accuracy and loss are measured on. */
        public Builder dataSource(Class<? extends DataSource> dataSource, Properties properties) {
            this.dataSource = dataSource;
            this.dataSourceProperties = properties;
            return this;
        }

        /** Any Arbiter score function; with an {@link InvarianceScoreFunction} the results carry its breakdown. */
        public Builder scoreFunction(ScoreFunction scoreFunction) {
            this.scoreFunction = scoreFunction;
            return this;
        }

        /** The candidate generator (default: Arbiter's random search over the space, seeded with {@link #seed}). */
        public Builder generator(CandidateGenerator generator) {
            this.generator = generator;
            return this;
        }

        /** An InvarianceListener on every candidate (optional). */
        public Builder perCandidate(InvarianceTaskListener perCandidate) {
            this.perCandidate = perCandidate;
            return this;
        }

        /** How many candidates to try, failures included (default 10). */
        public Builder candidates(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("candidates must be >= 1, got " + n);
            }
            this.candidates = n;
            return this;
        }

        /** Seed of the candidate generator (default 12345). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Stop starting new candidates after this many minutes (optional). */
        public Builder maxMinutes(long minutes) {
            if (minutes < 1) {
                throw new IllegalArgumentException("maxMinutes must be >= 1, got " + minutes);
            }
            this.maxMinutes = minutes;
            return this;
        }

        /** Where Arbiter saves each candidate's model (optional; e.g. its FileModelSaver or InMemoryResultSaver). */
        public Builder resultSaver(ResultSaver saver) {
            this.resultSaver = saver;
            return this;
        }

        /** @throws IllegalArgumentException naming what is missing */
        public InvarianceSearch build() {
            if (space == null) {
                throw new IllegalArgumentException("InvarianceSearch needs a space(MultiLayerSpace or ComputationGraphSpace), got none");
            }
            if (dataSource == null) {
                throw new IllegalArgumentException("InvarianceSearch needs a dataSource(class, properties), got none");
            }
            if (scoreFunction == null) {
                throw new IllegalArgumentException("InvarianceSearch needs a scoreFunction(...), got none");
            }
            if (generator != null && generator.getParameterSpace() != space) {
                throw new IllegalArgumentException("The generator searches " + generator.getParameterSpace()
                        + ", not the space given to space(...)");
            }
            return new InvarianceSearch(this);
        }
    }
}
