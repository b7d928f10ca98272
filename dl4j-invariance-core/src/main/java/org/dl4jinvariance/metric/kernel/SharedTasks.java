package org.dl4jinvariance.metric.kernel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Tasks 0..n−1 that any number of threads work through together: each thread claims the next
 * unclaimed task until none is left, so every task runs exactly once.
 *
 * <p>Why not a parallel stream: the reductions run as one task on the common pool, which has a
 * single worker on a 2-core machine; a probe thread that must wait for them (before DL4J
 * releases the activations' memory) would block in {@code Future.get()} and leave the second
 * core idle. Through {@link #runAvailable()} it works on the same tasks instead.
 */
public final class SharedTasks {

    private final int count;
    private final IntConsumer task;
    private final AtomicInteger next = new AtomicInteger();
    private final CountDownLatch done;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    public SharedTasks(int count, IntConsumer task) {
        this.count = count;
        this.task = task;
        this.done = new CountDownLatch(count);
    }

    /** Runs unclaimed tasks on the calling thread until none is left; others may still be running. */
    public void runAvailable() {
        for (int t = next.getAndIncrement(); t < count; t = next.getAndIncrement()) {
            try {
                task.accept(t);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                done.countDown();
            }
        }
    }

    /**
     * Runs unclaimed tasks, then waits until every task has finished (whichever thread ran it).
     *
     * @throws RuntimeException the first task's failure (an {@link Error} as is; a checked
     *                          exception wrapped in {@link IllegalStateException})
     */
    public void runAndAwait() {
        runAvailable();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + done.getCount() + " of " + count
                    + " reduction tasks", e);
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        if (f != null) {
            throw new IllegalStateException("A reduction task failed", f);
        }
    }
}
