package org.dl4jinvariance.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue of command-line values the examples jar refuses (issue 13: wrong answers must be
 * impossible, and errors must come before training, not after). Each test runs the CLI in-process
 * through {@link Main#run} and checks what a user sees: exit code 2, on standard error one line
 * naming the option, the value and what was expected plus one line pointing to --help, no stack
 * trace, nothing on standard output (no model built), and no output folder written.
 *
 * <p>Experiments get small sizes (--epochs 1 --train-size 64 --eval-size 8) and an --out in a
 * temporary folder, so that should a check regress, the test fails in seconds instead of training
 * the default models for minutes.
 */
class CliBadInputTest {

    /** A stack trace line ("\tat org.x.Y.method(Y.java:12)") or a chained cause. */
    private static final Pattern STACK_TRACE = Pattern.compile("(?m)^\\s+at \\S+\\(|^Caused by: |Exception in thread");

    @TempDir
    Path tmp;

    // ---- 1. --out -------------------------------------------------------------------------------

    @Test
    void outUnderARegularFileIsRefusedBeforeAnyModelIsBuilt() throws Exception {
        Path file = Files.writeString(tmp.resolve("some-file.txt"), "keep me");
        Path out = file.resolve("sub");
        CliRun r = CliRun.of("--epochs", "1", "--train-size", "64", "--eval-size", "8", "--out", out.toString());
        assertUsageError(r, "--out " + out, file + " is a file, not a folder", "expected a folder");
        assertEquals("keep me", Files.readString(file), "the file in the way is left as it was");
    }

    @Test
    void outThatIsARegularFileIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("results.csv"), "keep me");
        CliRun r = CliRun.of("search", "--epochs", "1", "--train-size", "64", "--eval-size", "8", "--out", file.toString());
        assertUsageError(r, "--out " + file, "it is a file, not a folder");
        assertEquals("keep me", Files.readString(file));
    }

    // ---- 2. --data-dir --------------------------------------------------------------------------

    @Test
    void dataDirIsRefusedByEveryExperimentThatDoesNotReadIt() {
        // Only pretrained reads a folder; the others used to accept --data-dir and ignore it.
        for (String experiment : List.of("augmentation-vs-equivariance", "ood-transfer", "self-supervised", "search")) {
            CliRun r = CliRun.of(experiment, "--data-dir", "/nonexistent", "--epochs", "1", "--train-size", "64",
                    "--eval-size", "8", "--out", out().toString());
            assertUsageError(r, "Unknown option '--data-dir' for " + experiment, "only pretrained takes it");
        }
        // Options without a subcommand go to the default experiment, which refuses it the same way.
        assertUsageError(CliRun.of("--data-dir", "/nonexistent", "--epochs", "1", "--train-size", "64", "--eval-size", "8",
                        "--out", out().toString()),
                "Unknown option '--data-dir' for augmentation-vs-equivariance");
    }

    @Test
    void missingDataDirIsNamedBeforePretraining() {
        CliRun r = CliRun.of("pretrained", "--data-dir", "/nonexistent", "--epochs", "1", "--train-size", "64",
                "--eval-size", "8", "--out", out().toString());
        assertUsageError(r, "--data-dir /nonexistent: no such folder",
                "expected a folder holding the Fashion-MNIST training set", "fashion-mnist-train-images-idx3-ubyte");
    }

    @Test
    void dataDirWithoutTheFashionMnistFilesIsNamed() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        CliRun r = CliRun.of("pretrained", "--data-dir", empty.toString(), "--epochs", "1", "--train-size", "64",
                "--eval-size", "8", "--out", out().toString());
        assertUsageError(r, "--data-dir " + empty, "fashion-mnist-train");
    }

    @Test
    void dataDirWithImagesThatAreNot28By28IsRefused() throws Exception {
        // A valid IDX pair of 3 images of 32×32: the CNNs take 28×28, so training would fail late.
        Path dir = Files.createDirectory(tmp.resolve("cifar-sized"));
        try (DataOutputStream images = new DataOutputStream(
                Files.newOutputStream(dir.resolve("fashion-mnist-train-images-idx3-ubyte")));
             DataOutputStream labels = new DataOutputStream(
                     Files.newOutputStream(dir.resolve("fashion-mnist-train-labels-idx1-ubyte")))) {
            images.writeInt(0x803);
            images.writeInt(3);
            images.writeInt(32);
            images.writeInt(32);
            images.write(new byte[3 * 32 * 32]);
            labels.writeInt(0x801);
            labels.writeInt(3);
            labels.write(new byte[] {0, 1, 2});
        }
        CliRun r = CliRun.of("pretrained", "--data-dir", dir.toString(), "--epochs", "1", "--train-size", "64",
                "--eval-size", "8", "--out", out().toString());
        assertUsageError(r, "--data-dir " + dir, "its images are 32x32; expected 28x28");
    }

    // ---- 3. sizes against the embedded data -----------------------------------------------------

    @Test
    void trainSizeThatOverflowsIsRefusedWithTheAvailableCount() {
        // 2147483647 + 1000 wraps to a negative int: the old sum check let it through.
        CliRun r = CliRun.of("--train-size", "2147483647", "--epochs", "1", "--out", out().toString());
        assertUsageError(r, "--train-size 2147483647", "expected 1 to 9,000", "10,000 embedded MNIST digits",
                "1,000 held out by --eval-size");
    }

    @Test
    void trainSizePlusEvalSizeBeyondTheDigitsIsRefused() {
        CliRun r = CliRun.of("self-supervised", "--train-size", "9500", "--eval-size", "1000", "--epochs", "1",
                "--out", out().toString());
        assertUsageError(r, "--train-size 9500", "expected 1 to 9,000");
    }

    @Test
    void evalSizeBeyondTheDigitsIsRefused() {
        CliRun r = CliRun.of("ood-transfer", "--eval-size", "10000", "--epochs", "1", "--train-size", "64",
                "--out", out().toString());
        assertUsageError(r, "--eval-size 10000", "expected at most 9,999", "10,000 embedded MNIST digits");
    }

    @Test
    void pretrainSizeBeyondTheFashionImagesIsRefused() {
        CliRun r = CliRun.of("pretrained", "--pretrain-size", "20000", "--epochs", "1", "--train-size", "64",
                "--eval-size", "8", "--out", out().toString());
        assertUsageError(r, "--pretrain-size 20000", "expected 1 to 9,992",
                "10,000 embedded Fashion-MNIST images minus the 8 held out");
    }

    // ---- 4. group orders ------------------------------------------------------------------------

    @Test
    void groupAboveTheBoundIsRefusedNamingTheBound() {
        // D2000000000 used to print "-294967296 elements" and exit 0; D99999999999 does not fit an int.
        for (String group : List.of("D2000000000", "C361", "D99999999999")) {
            assertUsageError(CliRun.of("orbit", "--group", group), "--group " + group,
                    "expected C<n> or D<n> with n from 1 to 360");
        }
    }

    @Test
    void groupAtTheBoundIsAccepted() {
        CliRun r = CliRun.of("orbit", "--group", "C360");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("under C360, 360 elements"), r.out().lines().findFirst().orElse(""));
    }

    @Test
    void searchGroupsAboveTheBoundAreRefused() {
        CliRun r = CliRun.of("search", "--groups", "plain,D1000", "--candidates", "1", "--epochs", "1", "--train-size", "64",
                "--eval-size", "8", "--out", out().toString());
        assertUsageError(r, "--groups plain,D1000", "'D1000' is not a group", "n from 1 to 360");
    }

    // ---- 5. --index -----------------------------------------------------------------------------

    @Test
    void orbitIndexOutsideTheDigitsNamesTheOptionAndTheRange() {
        for (String index : List.of("-1", "10000")) {
            assertUsageError(CliRun.of("orbit", "--index", index), "--index " + index,
                    "expected a digit number from 0 to 9999", "10,000 embedded MNIST digits");
        }
    }

    // ---- 6. ranges, names, parse errors ---------------------------------------------------------

    @Test
    void epochsBelowOneAreRefused() {
        for (String epochs : List.of("-1", "0")) {
            assertUsageError(CliRun.of("--epochs", epochs, "--train-size", "64", "--eval-size", "8", "--out", out().toString()),
                    "--epochs " + epochs, "expected a whole number of at least 1");
        }
    }

    @Test
    void evalSizeBelowTheGroupOrderIsRefused() {
        // Below |G| = 4 every normalized metric came out n/a while the run still "succeeded".
        for (String evalSize : List.of("-5", "0", "3")) {
            assertUsageError(CliRun.of("--eval-size", evalSize, "--epochs", "1", "--train-size", "64", "--out", out().toString()),
                    "--eval-size " + evalSize, "expected at least 4", "order of C4");
        }
    }

    @Test
    void evalSizeBelowTheOrderOfTheSearchTestGroupIsRefused() {
        CliRun r = CliRun.of("search", "--test-group", "D8", "--eval-size", "10", "--epochs", "1", "--train-size", "64",
                "--out", out().toString());
        assertUsageError(r, "--eval-size 10", "expected at least 16", "order of D8");
    }

    @Test
    void unknownOrbitGroupIsRefused() {
        assertUsageError(CliRun.of("orbit", "--group", "X9"), "--group X9", "expected C<n> or D<n>");
    }

    @Test
    void unknownGroupInSearchGroupsIsRefused() {
        CliRun r = CliRun.of("search", "--groups", "plain,Q4", "--candidates", "1", "--epochs", "1", "--train-size", "64",
                "--eval-size", "8", "--out", out().toString());
        assertUsageError(r, "--groups plain,Q4", "'Q4' is not a group", "expected plain, C<n> or D<n>");
    }

    @Test
    void unknownSearchTestGroupIsRefused() {
        CliRun r = CliRun.of("search", "--test-group", "plain", "--candidates", "1", "--epochs", "1", "--train-size", "64",
                "--eval-size", "8", "--out", out().toString());
        assertUsageError(r, "--test-group plain", "expected C<n> or D<n>");
    }

    @Test
    void valuesThatDoNotParseAreRefusedInTheUsersTerms() {
        // Any long is a valid seed; only text that is no whole number is refused.
        assertUsageError(CliRun.of("--seed", "abc", "--out", out().toString()), "'--seed'", "'abc' is not a whole number");
        assertUsageError(CliRun.of("--epochs", "99999999999", "--out", out().toString()), "'--epochs'",
                "'99999999999' is not a whole number from -2147483648 to 2147483647");
        assertUsageError(CliRun.of("search", "--kl-weight", "lots", "--out", out().toString()), "'--kl-weight'",
                "'lots' is not a number");
        assertUsageError(CliRun.of("search", "--widths", "8,x", "--out", out().toString()), "'--widths'", "'x' is not a whole number");
    }

    @Test
    void unknownSubcommandNamesTheSubcommands() {
        CliRun r = CliRun.of("bogus");
        assertUsageError(r, "Unknown subcommand 'bogus'", "expected one of: augmentation-vs-equivariance, pretrained, "
                + "ood-transfer, self-supervised, search, orbit");
        assertTrue(r.err().lines().toList().get(1).endsWith("dl4j-invariance-examples.jar --help"), r.err());
    }

    @Test
    void unknownOptionNamesTheOptionsOfItsSubcommand() {
        CliRun r = CliRun.of("orbit", "--bogus");
        assertUsageError(r, "Unknown option '--bogus' for orbit", "expected one of: --group, --index, --help, --version");
        assertTrue(r.err().lines().toList().get(1).endsWith("dl4j-invariance-examples.jar orbit --help"), r.err());
    }

    @Test
    void argumentWhereOnlyOptionsGoIsRefused() {
        assertUsageError(CliRun.of("orbit", "C4"), "Unexpected argument 'C4'", "orbit takes only options", "--group");
    }

    @Test
    void optionGivenTwiceIsRefused() {
        // picocli's rule, kept: the second value would silently win otherwise.
        assertUsageError(CliRun.of("orbit", "--index", "1", "--index", "2"), "--index", "should be specified only once");
    }

    // ---- 8. the experiments' own options --------------------------------------------------------

    @Test
    void probabilityOutsideTheUnitIntervalIsRefused() {
        for (String p : List.of("1.5", "-0.1", "NaN")) {
            CliRun r = CliRun.of("ood-transfer", "--probabilities", "0," + p, "--epochs", "1", "--train-size", "64",
                    "--eval-size", "8", "--out", out().toString());
            assertUsageError(r, "--probabilities 0," + p, "is not a probability; expected each in [0, 1]");
        }
    }

    @Test
    void probabilityGivenTwiceIsRefused() {
        // Both models would write p0.5/ and the second would overwrite the first.
        CliRun r = CliRun.of("ood-transfer", "--probabilities", "0.5,0,0.50", "--epochs", "1", "--train-size", "64",
                "--eval-size", "8", "--out", out().toString());
        assertUsageError(r, "--probabilities 0.5,0,0.5", "0.5 is given twice");
    }

    @Test
    void nonPositiveTemperatureIsRefused() {
        for (String t : List.of("0", "-0.5", "NaN", "Infinity")) {
            CliRun r = CliRun.of("self-supervised", "--temperature", t, "--epochs", "1", "--train-size", "64",
                    "--eval-size", "8", "--out", out().toString());
            assertUsageError(r, "--temperature ", "expected a finite number > 0", "NT-Xent temperature");
        }
    }

    @Test
    void probeAndPretrainEpochsBelowOneAreRefused() {
        assertUsageError(CliRun.of("self-supervised", "--probe-epochs", "0", "--epochs", "1", "--train-size", "64",
                "--eval-size", "8", "--out", out().toString()), "--probe-epochs 0", "at least 1");
        assertUsageError(CliRun.of("pretrained", "--pretrain-epochs", "0", "--epochs", "1", "--train-size", "64",
                "--eval-size", "8", "--out", out().toString()), "--pretrain-epochs 0", "at least 1");
    }

    @Test
    void searchNumbersOutOfRangeAreRefused() {
        List<List<String>> cases = List.of(
                List.of("--candidates", "0", "--candidates 0", "at least 1"),
                List.of("--widths", "8,0", "--widths 8,0", "whole numbers of at least 1"),
                List.of("--learning-rate", "0", "--learning-rate 0.0", "finite number > 0"),
                List.of("--kl-weight", "-1", "--kl-weight -1.0", "finite number >= 0"),
                List.of("--max-kl", "NaN", "--max-kl NaN", "finite number >= 0"));
        for (List<String> c : cases) {
            CliRun r = CliRun.of("search", c.get(0), c.get(1), "--epochs", "1", "--train-size", "64", "--eval-size", "8",
                    "--out", out().toString());
            assertUsageError(r, c.get(2), c.get(3));
        }
    }

    @Test
    void searchGroupListedTwiceIsRefused() {
        CliRun r = CliRun.of("search", "--groups", "plain,C4,c4", "--epochs", "1", "--train-size", "64", "--eval-size", "8",
                "--out", out().toString());
        assertUsageError(r, "--groups plain,C4,c4", "C4 is listed twice");
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** A fresh --out path under the temporary folder; tests check it is never created. */
    private Path out() {
        Path out = tmp.resolve("out-" + outs.size());
        outs.add(out);
        return out;
    }

    private final List<Path> outs = new ArrayList<>();

    /**
     * Exit code 2; standard error is the message line (containing every {@code fragment}) and
     * the --help line, with no stack trace; nothing on standard output; no --out folder made.
     */
    private void assertUsageError(CliRun r, String... fragments) {
        String context = "exit " + r.code() + "\nstderr:\n" + r.err() + "\nstdout:\n" + r.out();
        assertEquals(2, r.code(), context);
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), "one message line and one --help line: " + context);
        for (String fragment : fragments) {
            assertTrue(lines.get(0).contains(fragment), "'" + fragment + "' in: " + lines.get(0));
        }
        assertTrue(lines.get(1).startsWith("See: java -jar dl4j-invariance-examples.jar ")
                && lines.get(1).endsWith("--help"), lines.get(1));
        assertFalse(STACK_TRACE.matcher(r.err()).find(), "no stack trace: " + context);
        assertEquals("", r.out(), "nothing printed on standard output: no model was built");
        for (Path out : outs) {
            assertFalse(Files.exists(out), "nothing written: " + out);
        }
    }
}
