package org.dl4jinvariance.examples;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The examples jar: one subcommand per experiment; with none, runs augmentation-vs-equivariance. */
@Command(name = "dl4j-invariance-examples", mixinStandardHelpOptions = true, version = "0.1.0-SNAPSHOT",
        description = "Measures how invariant DL4J models are to rotations and flips (Kvinge et al., NeurIPS 2022).",
        subcommands = {AugmentationVsEquivariance.class, Pretrained.class, OodTransfer.class, SelfSupervised.class,
                Search.class, OrbitDemo.class, Sequences.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns its exit code (tests call this instead of main). Options
     * given without a subcommand ({@code --epochs 1}) belong to the default experiment.
     */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(withDefaultSubcommand(args));
    }

    static String[] withDefaultSubcommand(String... args) {
        if (args.length == 0 || !args[0].startsWith("-") || TOP_LEVEL_OPTIONS.contains(args[0])) {
            return args;
        }
        String[] withDefault = new String[args.length + 1];
        withDefault[0] = AugmentationVsEquivariance.NAME;
        System.arraycopy(args, 0, withDefault, 1, args.length);
        return withDefault;
    }

    private static final java.util.Set<String> TOP_LEVEL_OPTIONS = java.util.Set.of("-h", "--help", "-V", "--version");

    /** With no subcommand: the default experiment with its default options. */
    @Override
    public Integer call() {
        return new CommandLine(new AugmentationVsEquivariance()).execute();
    }
}
