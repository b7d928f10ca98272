package org.dl4jinvariance.metric;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A layer's pending reduction running on the common pool, whose {@code get()} first helps with
 * the work not yet started ({@link OrbitReducer.Reduction#help()}) and then waits: the probe
 * thread, which waits for it before DL4J releases the activations' memory, works on the second
 * core instead of leaving it idle (the common pool has one worker on a 2-core machine).
 */
final class PendingReduction implements Future<Object> {

    private final Future<?> running;
    private final Runnable help;

    private PendingReduction(Future<?> running, Runnable help) {
        this.running = running;
        this.help = help;
    }

    /** Submits {@code r}'s pending work to the common pool. */
    static Future<?> start(OrbitReducer.Reduction r) {
        return new PendingReduction(ForkJoinPool.commonPool().submit(r.pending()), r.help());
    }

    /** Waits for {@code pending}, rethrowing its failure unchecked. */
    static void await(Future<?> pending) {
        try {
            pending.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException("Activation reduction failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for an activation reduction", e);
        }
    }

    @Override
    public Object get() throws InterruptedException, ExecutionException {
        if (!running.isDone()) {
            help.run();
        }
        return running.get();
    }

    @Override
    public Object get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!running.isDone()) {
            help.run();
        }
        return running.get(timeout, unit);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return running.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean isCancelled() {
        return running.isCancelled();
    }

    @Override
    public boolean isDone() {
        return running.isDone();
    }
}
