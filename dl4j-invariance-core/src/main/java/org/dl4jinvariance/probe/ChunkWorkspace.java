package org.dl4jinvariance.probe;

import java.util.List;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The per-thread ND4J workspace one chunk's own arrays live in while the evaluator measures it:
 * the concatenated and shuffled examples, the stacked orbit (|G| times the chunk's inputs) and
 * its masks. Nothing in it outlives the chunk: the per-example values the evaluator keeps are
 * Java arrays. A probe pass runs inside it like DL4J's {@code output()} inside a caller's
 * workspace (the input stays attached; a network without inference workspaces forwards outside
 * it, {@link ModelProbe#forward}).
 *
 * <p>Why: these arrays are the size of the chunk's inputs times |G| and were fresh native memory
 * on every chunk; on a machine where first touching memory is slow (a VM returning freed pages
 * to its host) that cost as much as a tenth of the forward passes. Like DL4J's own layer
 * workspaces, it keeps its memory for the thread's lifetime, sized by the first chunk it holds
 * (a larger one later makes it grow); ND4J's
 * {@code Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread()} frees it.
 */
public final class ChunkWorkspace {

    /** The workspace's id. */
    public static final String ID = "DL4J_INVARIANCE_CHUNK";

    private ChunkWorkspace() {
    }

    /** Opens this thread's chunk workspace; arrays made until it is closed live in it. */
    public static MemoryWorkspace enter() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(ProbeWorkspaces.firstLoop(0.02), ID);
    }

    /**
     * Frees this thread's chunk workspace unless it is open: after a failed chunk (typically an
     * {@code OutOfMemoryError}), so that the thread does not keep memory grown towards the size
     * that failed.
     */
    public static void release() {
        ProbeWorkspaces.release(List.of(ID));
    }
}
