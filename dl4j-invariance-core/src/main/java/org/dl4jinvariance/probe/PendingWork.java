package org.dl4jinvariance.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Work still reading activations of one workspace; awaited before that workspace is closed. */
final class PendingWork {

    private final List<Future<?>> futures = new ArrayList<>();

    void add(Future<?> f) {
        if (f != null) {
            futures.add(f);
        }
    }

    /** Waits for all of it; the first failure is rethrown (after waiting for the rest). */
    void await() {
        RuntimeException failure = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (failure == null) {
                    failure = cause instanceof RuntimeException r ? r : new IllegalStateException("Activation visitor failed", cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = new IllegalStateException("Interrupted while waiting for an activation visitor", e);
                }
            }
        }
        futures.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** Waits for all of it, ignoring failures (used while unwinding after another exception). */
    void awaitQuietly() {
        try {
            await();
        } catch (RuntimeException ignored) {
            // the exception already propagating is the one to report
        }
    }
}
