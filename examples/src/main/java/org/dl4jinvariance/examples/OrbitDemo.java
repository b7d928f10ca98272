package org.dl4jinvariance.examples;

import java.io.PrintStream;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.data.IdxDataset;
import org.dl4jinvariance.group.PlanarGroup;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the orbit of one embedded MNIST digit under a group as ASCII art. */
@Command(name = "orbit", mixinStandardHelpOptions = true,
        description = "Print one MNIST digit transformed by every element of a group (C4 or D4, ...).")
public final class OrbitDemo implements Runnable {

    private static final String SHADES = " .:-=+*#%@";

    @Option(names = "--group", defaultValue = "D4", description = "C<n> or D<n>, n from 1 to "
            + CliChecks.MAX_GROUP_N + " (default: ${DEFAULT-VALUE}).")
    String group = "D4";

    @Option(names = "--index", defaultValue = "0", description = "Which of the 10,000 digits, 0 to 9999 "
            + "(default: ${DEFAULT-VALUE}).")
    int index;

    PrintStream out = System.out;

    /**
     * Prints the orbit.
     *
     * @throws UsageException before printing anything, for a group outside C1..C360 / D1..D360
     *     or an --index outside the embedded digits
     */
    @Override
    public void run() {
        PlanarGroup g = CliChecks.group("--group", group);
        IdxDataset mnist = Datasets.mnist();
        if (index < 0 || index >= mnist.size()) {
            throw new UsageException("--index " + index + ": expected a digit number from 0 to "
                    + (mnist.size() - 1) + " (the " + CliChecks.count(mnist.size()) + " embedded MNIST digits)");
        }
        INDArray digit = mnist.slice(index, 1).getFeatures();
        GroupAction action = ImageActions.rotation(g);
        out.printf("MNIST digit #%d (label %d) under %s, %d elements:%n", index, mnist.label(index), g.name(), g.order());
        int perRow = 4;
        for (int start = 0; start < g.order(); start += perRow) {
            int end = Math.min(g.order(), start + perRow);
            StringBuilder header = new StringBuilder();
            for (int e = start; e < end; e++) {
                header.append(String.format("%-30s", g.elementName(e)));
            }
            out.println(header.toString().stripTrailing());
            INDArray[] images = new INDArray[end - start];
            for (int e = start; e < end; e++) {
                images[e - start] = action.apply(e, digit);
            }
            for (int row = 0; row < 28; row++) {
                StringBuilder line = new StringBuilder();
                for (INDArray image : images) {
                    for (int col = 0; col < 28; col++) {
                        double v = image.getDouble(0, 0, row, col);
                        line.append(SHADES.charAt((int) Math.min(SHADES.length() - 1, v * SHADES.length())));
                    }
                    line.append("  ");
                }
                out.println(line.toString().stripTrailing());
            }
            out.println();
        }
    }
}
