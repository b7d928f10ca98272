package org.dl4jinvariance.examples;

import java.nio.file.Path;

/**
 * Where one run of a command writes its files, and what sits around that folder: every command
 * that writes a summary page (the experiments through {@link ExperimentOptions}, and
 * {@code evaluate}) gets one from {@link #create}, so their pages link the same way.
 *
 * <ul>
 *   <li>By default a run writes a new dated sub-folder of the output folder,
 *       {@code <out>/2026-11-29T12-30-05/} ({@link RunFolders#newRun}); earlier runs stay untouched
 *       and {@code <out>/index.html} compares every run ({@link RunComparison}, rewritten by
 *       {@link #finish()}). The run's pages link up to it.</li>
 *   <li>With {@code --overwrite} the run writes in the output folder itself after its previous
 *       results are deleted ({@link RunFolders#clear}); there is no comparison page above it.</li>
 * </ul>
 *
 * @param dir             the folder the run writes in
 * @param comparisonAbove true when {@code dir}'s parent holds the comparison page of every run
 */
record RunFolder(Path dir, boolean comparisonAbove) {

    /** The comparison page, relative to the run's own folder. */
    static final String COMPARISON_HREF = "../index.html";

    /**
     * The run folder under {@code base}: {@code base} is created and checked to be writable
     * ({@link CliChecks#writableOutputDir}), then a dated sub-folder is made, or, with
     * {@code overwrite}, {@code base} is cleared.
     *
     * @throws UsageException for a {@code base} that is a file, cannot be written, or (with
     *                        {@code overwrite}) holds files that are not results of this program
     */
    static RunFolder create(Path base, boolean overwrite) {
        CliChecks.writableOutputDir(base);
        return overwrite ? new RunFolder(RunFolders.clear(base), false) : new RunFolder(RunFolders.newRun(base), true);
    }

    /** The output folder's name, as the "every run" link shows it. */
    String baseName() {
        Path parent = dir.toAbsolutePath().normalize().getParent();
        return parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
    }

    /**
     * After the run has written its files: rewrites the comparison page over every run folder
     * beside this one. Nothing without a comparison page above.
     */
    void finish() {
        if (comparisonAbove) {
            RunComparison.write(dir.getParent());
        }
    }
}
