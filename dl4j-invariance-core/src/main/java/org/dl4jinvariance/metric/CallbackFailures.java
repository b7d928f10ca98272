package org.dl4jinvariance.metric;

/**
 * The one rule for a failing callback — a training listener's evaluation or reporter, a progress
 * bar, a search's progress output: it is contained (logged, recorded or dropped) so that training,
 * an evaluation or a search goes on, except for what {@link #passesThrough} says.
 */
public final class CallbackFailures {

    private CallbackFailures() {
    }

    /**
     * True for the throwables a callback's caller lets through instead of containing:
     * {@code ThreadDeath} (Thread.stop: the thread was asked to stop, and swallowing the request
     * would keep a stopped thread working), and the {@code VirtualMachineError}s that say the JVM
     * is broken rather than out of a resource. {@code StackOverflowError} and
     * {@code OutOfMemoryError} are contained, because the stack and the heap the failed callback
     * used are free again once its frames are gone; {@code InternalError} is contained, because
     * the JDK's own library code throws it (font manager, reflection) on a misconfigured machine
     * while the JVM is fine. If the JVM really is broken, the caller meets that itself.
     */
    @SuppressWarnings("removal") // ThreadDeath: still thrown by Thread.stop on the JVMs this library runs on.
    public static boolean passesThrough(Throwable t) {
        if (t instanceof ThreadDeath) {
            return true;
        }
        return t instanceof VirtualMachineError && !(t instanceof StackOverflowError
                || t instanceof OutOfMemoryError || t instanceof InternalError);
    }
}
