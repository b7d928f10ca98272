package org.dl4jinvariance.metric.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Every task runs exactly once however many threads share the work, and a failure reaches the waiter. */
class SharedTasksTest {

    @Test
    void threeThreadsRunEveryTaskExactlyOnce() {
        int n = 10_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(n);
        SharedTasks tasks = new SharedTasks(n, t -> runs.incrementAndGet(t));
        CompletableFuture<Void> a = CompletableFuture.runAsync(tasks::runAvailable);
        CompletableFuture<Void> b = CompletableFuture.runAsync(tasks::runAvailable);
        tasks.runAndAwait();
        for (int t = 0; t < n; t++) {
            assertEquals(1, runs.get(t), "task " + t);
        }
        a.join();
        b.join();
        tasks.runAvailable();   // nothing left: no task runs twice
        for (int t = 0; t < n; t++) {
            assertEquals(1, runs.get(t), "task " + t);
        }
    }

    @Test
    void aFailingTaskIsRethrownToTheWaiterAfterTheOthersRan() {
        IllegalArgumentException boom = new IllegalArgumentException("task 3");
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        SharedTasks tasks = new SharedTasks(8, t -> {
            runs.incrementAndGet(t);
            if (t == 3) {
                throw boom;
            }
        });
        assertSame(boom, assertThrows(IllegalArgumentException.class, tasks::runAndAwait));
        for (int t = 0; t < 8; t++) {
            assertEquals(1, runs.get(t), "task " + t);
        }
    }

    @Test
    void noTasksIsDoneAtOnce() {
        SharedTasks tasks = new SharedTasks(0, t -> {
            throw new AssertionError("no task exists");
        });
        assertTimeoutPreemptively(Duration.ofSeconds(5), tasks::runAndAwait);
    }
}
