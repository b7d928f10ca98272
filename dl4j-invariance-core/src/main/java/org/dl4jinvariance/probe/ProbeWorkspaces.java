package org.dl4jinvariance.probe;

import java.util.Collection;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The workspace names and configurations of DL4J's inference passes (the same ids, so a probe
 * reuses the memory {@code output()} has already sized, and vice versa).
 */
final class ProbeWorkspaces {

    static final String WORKING_MEM = "WS_LAYER_WORKING_MEM";
    static final String ACT_1 = "WS_LAYER_ACT_1";
    static final String ACT_2 = "WS_LAYER_ACT_2";
    static final String RNN_LOOP = "WS_RNN_LOOP_WORKING_MEM";

    private ProbeWorkspaces() {
    }

    /** DL4J's layer working-memory / activation workspace configuration, learning over {@code cycles}. */
    static WorkspaceConfiguration learning(int cycles) {
        return WorkspaceConfiguration.builder()
                .initialSize(0)
                .overallocationLimit(0.02)
                .policyLearning(LearningPolicy.OVER_TIME)
                .cyclesBeforeInitialization(cycles)
                .policyReset(ResetPolicy.BLOCK_LEFT)
                .policySpill(SpillPolicy.REALLOCATE)
                .policyAllocation(AllocationPolicy.OVERALLOCATE)
                .build();
    }

    /** DL4J's RNN-loop working-memory configuration. */
    static WorkspaceConfiguration rnnLoop() {
        return firstLoop(0.05);
    }

    /**
     * A workspace sized by its first cycle (spills in a later, larger cycle make it grow),
     * over-allocating by {@code overallocation}.
     */
    static WorkspaceConfiguration firstLoop(double overallocation) {
        return WorkspaceConfiguration.builder()
                .initialSize(0).overallocationLimit(overallocation).policyReset(ResetPolicy.BLOCK_LEFT)
                .policyAllocation(AllocationPolicy.OVERALLOCATE).policySpill(SpillPolicy.REALLOCATE)
                .policyLearning(LearningPolicy.FIRST_LOOP).build();
    }

    /**
     * Destroys this thread's workspaces with these ids, freeing their memory (DL4J makes new ones
     * on the next pass); workspaces still open are left alone. Called after a failed pass: a pass
     * that died of {@code OutOfMemoryError} has typically grown them towards the size that failed,
     * and workspaces keep their memory for the thread's lifetime, so the next evaluation on the
     * thread would start without it.
     */
    static void release(Collection<String> ids) {
        MemoryWorkspaceManager manager = Nd4j.getWorkspaceManager();
        for (String id : ids) {
            if (manager.checkIfWorkspaceExists(id)) {
                MemoryWorkspace ws = manager.getWorkspaceForCurrentThread(id);
                if (!ws.isScopeActive()) {
                    manager.destroyWorkspace(ws);
                }
            }
        }
    }
}
