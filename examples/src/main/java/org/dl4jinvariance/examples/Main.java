package org.dl4jinvariance.examples;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The examples jar: one subcommand per experiment; with none, runs augmentation-vs-equivariance.
 *
 * <p>Exit codes: 0 done; 2 a usage error, found before anything is trained or written (an
 * unknown subcommand or option, a value that does not parse, is out of range, or names a folder
 * that cannot be used), printed as one line naming the option, the value and what was expected,
 * plus one line pointing to {@code --help}, without a stack trace; 1 a failure while running,
 * printed with its stack trace (that is a bug or an environment problem, not a usage error).
 */
@Command(name = "dl4j-invariance-examples", mixinStandardHelpOptions = true, version = "0.1.0-SNAPSHOT",
        description = "Measures how invariant DL4J models are to rotations and flips (Kvinge et al., NeurIPS 2022).",
        subcommands = {AugmentationVsEquivariance.class, Pretrained.class, OodTransfer.class, SelfSupervised.class,
                Search.class, OrbitDemo.class, Sequences.class, Evaluate.class})
public final class Main implements Callable<Integer> {

    /**
     * ND4J and DL4J log a dozen INFO lines at start (backend, BLAS, build flags) that say nothing
     * about the experiment; {@code simplelogger.properties} shows only their warnings. slf4j-simple
     * reads a logger's level from system properties before its file when the logger is created,
     * and ND4J's loggers are created after the command line is parsed, so setting them here works.
     */
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Show ND4J's and DL4J's INFO lines (backend, BLAS, threads, workspaces), hidden by default.")
    void verbose(boolean on) {
        if (on) {
            System.setProperty("org.slf4j.simpleLogger.log.org.nd4j", "info");
            System.setProperty("org.slf4j.simpleLogger.log.org.deeplearning4j", "info");
        }
    }

    /** How users run this class; the usage hint names it. */
    static final String JAR = "java -jar dl4j-invariance-examples.jar";

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns its exit code (tests call this instead of main). Options
     * given without a subcommand ({@code --epochs 1}) belong to the default experiment.
     */
    public static int run(String... args) {
        return commandLine().execute(withDefaultSubcommand(args));
    }

    /** The command line with the usage-error handling described on {@link Main}. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // picocli says "'abc' is not a long": say it in the user's terms, with the range for ints.
        cli.registerConverter(Integer.class, Main::wholeNumber).registerConverter(Integer.TYPE, Main::wholeNumber);
        cli.registerConverter(Long.class, Main::longNumber).registerConverter(Long.TYPE, Main::longNumber);
        cli.registerConverter(Double.class, Main::number).registerConverter(Double.TYPE, Main::number);
        cli.setParameterExceptionHandler((ex, args) -> usageError(ex.getCommandLine(), message(ex)));
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            // Experiments throw UsageException only from their checks before training; any other
            // exception is rethrown, and picocli prints it with its stack trace (exit code 1).
            if (ex instanceof UsageException) {
                return usageError(cmd, ex.getMessage());
            }
            throw ex;
        });
        return cli;
    }

    private static Integer wholeNumber(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a whole number from " + Integer.MIN_VALUE + " to "
                    + Integer.MAX_VALUE);
        }
    }

    private static Long longNumber(String text) {
        try {
            return Long.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a whole number");
        }
    }

    private static Double number(String text) {
        try {
            return Double.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a number (e.g. 0.5 or 1e-3)");
        }
    }

    static String[] withDefaultSubcommand(String... args) {
        if (args.length == 0) {
            return new String[] {AugmentationVsEquivariance.NAME};
        }
        if (!args[0].startsWith("-") || TOP_LEVEL_OPTIONS.contains(args[0])) {
            return args;
        }
        String[] withDefault = new String[args.length + 1];
        withDefault[0] = AugmentationVsEquivariance.NAME;
        System.arraycopy(args, 0, withDefault, 1, args.length);
        return withDefault;
    }

    private static final Set<String> TOP_LEVEL_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    /** With no subcommand: the default experiment with its default options. */
    @Override
    public Integer call() {
        return run(AugmentationVsEquivariance.NAME);
    }

    /** Prints {@code message} and a pointer to {@code --help} on standard error; returns exit code 2. */
    static int usageError(CommandLine cmd, String message) {
        PrintWriter err = cmd.getErr();
        err.println(message);
        err.println("See: " + JAR + " " + subcommandPath(cmd) + "--help");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * picocli's message, except for unmatched arguments, which it reports as "Unmatched argument
     * at index 0: 'x'" without saying what was expected: those name the accepted subcommands or
     * options instead, and an option that belongs to another experiment names that experiment.
     */
    static String message(ParameterException ex) {
        if (!(ex instanceof UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return ex.getMessage();
        }
        CommandLine cmd = ex.getCommandLine();
        CommandSpec spec = cmd.getCommandSpec();
        String arg = unmatched.getUnmatched().get(0);
        if (arg.startsWith("-")) {
            String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            List<String> owners = new ArrayList<>();
            CommandSpec root = spec.root();
            for (CommandLine sub : root.subcommands().values()) {
                if (sub.getCommandSpec() != spec && sub.getCommandSpec().findOption(option) != null
                        && !owners.contains(sub.getCommandName())) {
                    owners.add(sub.getCommandName());
                }
            }
            String what = spec.parent() == null ? "dl4j-invariance-examples" : spec.name();
            if (!owners.isEmpty()) {
                return "Unknown option '" + option + "' for " + what + ": only " + String.join(", ", owners)
                        + " takes it";
            }
            return "Unknown option '" + option + "' for " + what + "; expected one of: " + String.join(", ",
                    optionNames(spec));
        }
        if (!spec.subcommands().isEmpty()) {
            return "Unknown subcommand '" + arg + "'; expected one of: " + String.join(", ", spec.subcommands().keySet());
        }
        return "Unexpected argument '" + arg + "': " + spec.name() + " takes only options; expected one of: "
                + String.join(", ", optionNames(spec));
    }

    private static List<String> optionNames(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (!o.hidden()) {
                names.add(o.longestName());
            }
        }
        return names;
    }

    /** "orbit " for the orbit subcommand, "" for the top-level command. */
    private static String subcommandPath(CommandLine cmd) {
        StringBuilder path = new StringBuilder();
        for (CommandSpec s = cmd.getCommandSpec(); s.parent() != null; s = s.parent()) {
            path.insert(0, s.name() + " ");
        }
        return path.toString();
    }
}
