package org.dl4jinvariance.metric;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The per-thread ND4J workspace one chunk's own arrays live in while it is evaluated: the
 * concatenated and shuffled examples, the stacked orbit (|G| times the chunk's inputs) and its
 * masks. Nothing in it outlives {@link ChunkedEvaluation#samples}: the per-example values it
 * returns are Java arrays.
 *
 * <p>Why: these arrays are the size of the chunk's inputs times |G| and were fresh native memory
 * on every chunk; on a machine where first touching memory is slow (a VM returning freed pages
 * to its host) that cost as much as a tenth of the forward passes. Like DL4J's own layer
 * workspaces, it keeps its memory for the thread's lifetime, sized by the largest chunk seen
 * (the first chunk is measured, a larger one later makes it grow).
 */
final class ChunkWorkspace {

    static final String ID = "DL4J_INVARIANCE_CHUNK";

    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.02)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .build();

    private ChunkWorkspace() {
    }

    /** Opens this thread's chunk workspace; arrays made until it is closed live in it. */
    static MemoryWorkspace enter() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, ID);
    }

    /**
     * Frees this thread's chunk workspace unless it is open: after a failed chunk (typically an
     * {@code OutOfMemoryError}), so that the thread does not keep memory grown towards the size
     * that failed.
     */
    static void release() {
        MemoryWorkspaceManager manager = Nd4j.getWorkspaceManager();
        if (manager.checkIfWorkspaceExists(ID)) {
            MemoryWorkspace ws = manager.getWorkspaceForCurrentThread(ID);
            if (!ws.isScopeActive()) {
                manager.destroyWorkspace(ws);
            }
        }
    }
}
