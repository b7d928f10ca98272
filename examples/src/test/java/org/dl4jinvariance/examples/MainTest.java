package org.dl4jinvariance.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class MainTest {

    @Test
    void optionsWithoutASubcommandGoToTheDefaultExperiment() {
        assertArrayEquals(new String[] {"augmentation-vs-equivariance", "--epochs", "1"},
                Main.withDefaultSubcommand("--epochs", "1"));
        assertArrayEquals(new String[] {"search", "--epochs", "1"}, Main.withDefaultSubcommand("search", "--epochs", "1"));
        assertArrayEquals(new String[] {"--help"}, Main.withDefaultSubcommand("--help"));
        assertArrayEquals(new String[] {"-V"}, Main.withDefaultSubcommand("-V"));
        assertArrayEquals(new String[] {"augmentation-vs-equivariance"}, Main.withDefaultSubcommand());
    }

    /**
     * simplelogger.properties: ND4J's and DL4J's INFO lines at start (backend, BLAS, build flags)
     * are hidden, their warnings are not, and our own progress lines stay.
     */
    @Test
    void nd4jAndDl4jInfoIsSilencedButOurProgressLinesAreNot() {
        assertFalse(LoggerFactory.getLogger("org.nd4j.linalg.factory.Nd4jBackend").isInfoEnabled());
        assertFalse(LoggerFactory.getLogger("org.deeplearning4j.nn.multilayer.MultiLayerNetwork").isInfoEnabled());
        assertTrue(LoggerFactory.getLogger("org.nd4j.linalg.factory.Nd4jBackend").isWarnEnabled());
        assertTrue(LoggerFactory.getLogger(ModelRun.class).isInfoEnabled());
        assertTrue(LoggerFactory.getLogger("org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner")
                .isInfoEnabled(), "Arbiter's per-candidate lines are a search's only progress");
    }

    /**
     * {@code --verbose}, on any subcommand, brings ND4J's and DL4J's INFO lines back for loggers
     * created afterwards (ND4J creates its loggers after the command line is parsed). Only parsed
     * here, so no ND4J logger is created while the property is set, and the properties are restored.
     */
    @Test
    void verboseOnAnySubcommandBringsBackNd4jAndDl4jInfo() {
        try {
            Main.commandLine().parseArgs("orbit", "--verbose");
            assertTrue(LoggerFactory.getLogger("org.nd4j.verbose.check" + System.nanoTime()).isInfoEnabled());
            assertTrue(LoggerFactory.getLogger("org.deeplearning4j.verbose.check" + System.nanoTime()).isInfoEnabled());
        } finally {
            System.clearProperty("org.slf4j.simpleLogger.log.org.nd4j");
            System.clearProperty("org.slf4j.simpleLogger.log.org.deeplearning4j");
        }
        assertFalse(LoggerFactory.getLogger("org.nd4j.quiet.check" + System.nanoTime()).isInfoEnabled());
    }
}
