package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.probe.ChunkWorkspace;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A chunk's own arrays (joined, shuffled, its orbit) live in the thread's {@link ChunkWorkspace}:
 * it is reused from one evaluation to the next with the same report (also after ND4J's
 * destroyAllWorkspacesForCurrentThread freed it), it is closed when an
 * evaluation returns, an evaluation run inside a caller's open workspace reports the same and
 * leaves that workspace current, a network without inference workspaces reports the same, and a
 * failed chunk frees it.
 */
class ChunkWorkspaceTest {

    private static final int N = 40;

    private static InvarianceEvaluator.Builder c4() {
        // chunks of 16 examples: three chunks, the last smaller, so the workspace is reused and grown
        return InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4())).maxExamples(N).maxBatch(64);
    }

    private static InvarianceReport evaluate(MultiLayerNetwork net) {
        return c4().build().evaluate(net, Datasets.mnist().iterator(12, 0, N));
    }

    @Test
    void repeatedEvaluationsReuseTheWorkspaceAndReportTheSame() {
        MultiLayerNetwork net = TestNetworks.smallCnn(5, DataType.FLOAT);
        InvarianceReport first = evaluate(net);
        assertTrue(Nd4j.getWorkspaceManager().checkIfWorkspaceExists(ChunkWorkspace.ID), "kept for the next evaluation");
        assertFalse(Nd4j.getWorkspaceManager().anyWorkspaceActiveForCurrentThread(), "no workspace left open");
        assertEquals(first, evaluate(net));
        assertEquals(first, evaluate(net));
        // ND4J's call frees it with DL4J's own (docs/performance.md); the next evaluation makes it again
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        assertFalse(Nd4j.getWorkspaceManager().checkIfWorkspaceExists(ChunkWorkspace.ID));
        assertEquals(first, evaluate(net));
    }

    @Test
    void anEvaluationInsideACallersWorkspaceReportsTheSameAndLeavesItCurrent() {
        MultiLayerNetwork net = TestNetworks.smallCnn(6, DataType.FLOAT);
        InvarianceReport outside = evaluate(net);
        WorkspaceConfiguration conf = WorkspaceConfiguration.builder().initialSize(1 << 20).build();
        try (MemoryWorkspace caller = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "CALLER_WS")) {
            assertEquals(outside, evaluate(net));
            assertSame(caller, Nd4j.getMemoryManager().getCurrentWorkspace());
        }
    }

    @Test
    void aNetworkWithoutInferenceWorkspacesReportsTheSame() {
        MultiLayerNetwork net = TestNetworks.smallCnn(7, DataType.FLOAT);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
        conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        MultiLayerNetwork plain = new MultiLayerNetwork(conf);
        plain.init(net.params().dup(), false);
        assertEquals(evaluate(net), evaluate(plain));
    }

    @Test
    void aFailedChunkFreesTheWorkspace() {
        MultiLayerNetwork net = TestNetworks.smallCnn(8, DataType.FLOAT);
        evaluate(net);
        OrbitMetric failing = new ThrowingMetric("failing", false, new IllegalStateException("this metric fails"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> c4().metrics(failing).build().evaluate(net, Datasets.mnist().iterator(12, 0, N)));
        assertEquals("this metric fails", e.getMessage());
        assertFalse(Nd4j.getWorkspaceManager().checkIfWorkspaceExists(ChunkWorkspace.ID), "freed after the failure");
        assertEquals(evaluate(net), evaluate(net), "and made again by the next evaluation");
    }
}
