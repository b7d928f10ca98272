package org.dl4jinvariance.ui;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.Version;
import io.vertx.core.impl.launcher.commands.VersionCommand;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The Vert.x pin of this module's pom is in effect. DL4J M2.1's UI asks for Vert.x 3.9.0, which
 * with a Netty of 4.1.61 or later answers no request at all ("NullPointerException: cause" in
 * Netty's pipeline; deeplearning4j/deeplearning4j#9428, #10055). Checked by hand: Vert.x 3.9.0
 * jars with Netty 4.1.74 leave {@code GET /invariance} unanswered with that NPE; 3.9.13 answers 200.
 */
class VertxVersionTest {

    static int[] numbers(String version) {
        return Arrays.stream(version.split("[.-]")).limit(3).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void vertxOnTheClasspathIsTheFixedOneForItsNetty() {
        String vertx = VersionCommand.getVersion();
        Version netty = Version.identify().get("netty-codec-http");
        assertNotNull(netty, "netty-codec-http on the classpath");
        int[] v = numbers(vertx);
        assertTrue(Arrays.compare(v, new int[] {3, 9, 13}) >= 0,
                "Vert.x " + vertx + " with Netty " + netty.artifactVersion() + ": expected Vert.x 3.9.13 or later, "
                        + "as pinned in dl4j-invariance-ui's pom");
    }
}
