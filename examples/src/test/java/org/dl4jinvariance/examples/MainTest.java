package org.dl4jinvariance.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void optionsWithoutASubcommandGoToTheDefaultExperiment() {
        assertArrayEquals(new String[] {"augmentation-vs-equivariance", "--epochs", "1"},
                Main.withDefaultSubcommand("--epochs", "1"));
        assertArrayEquals(new String[] {"search", "--epochs", "1"}, Main.withDefaultSubcommand("search", "--epochs", "1"));
        assertArrayEquals(new String[] {"--help"}, Main.withDefaultSubcommand("--help"));
        assertArrayEquals(new String[] {"-V"}, Main.withDefaultSubcommand("-V"));
        assertArrayEquals(new String[0], Main.withDefaultSubcommand());
    }
}
