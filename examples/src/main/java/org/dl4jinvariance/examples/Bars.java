package org.dl4jinvariance.examples;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The CLI's progress bars on standard error: one style, and rare redraws without a terminal. */
final class Bars {

    /** Characters of a bar's line without a terminal. */
    static final int LOG_WIDTH = 160;

    private Bars() {
    }

    /** A bar for {@code task} up to {@code max} steps of {@code unit} (e.g. " images"; null for none). */
    static ProgressBar open(String task, long max, String unit) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII);
        if (unit != null) {
            builder.setUnit(unit, 1);
        }
        if (System.console() != null) {
            return builder.setUpdateIntervalMillis(500).continuousUpdate().build();
        }
        // Without a terminal (CI, redirected output) a log reads best as whole lines: each redraw is
        // its own line (no \r joining them into one), and redraws are rare. Through System.err as it
        // is when the line is written (the library's default writes to the file descriptor), so a
        // caller that redirects standard error, as the CLI tests do, gets the lines; wide enough for
        // a task name like "measure <model> · <data set> · epoch e" and its counts.
        return builder.setUpdateIntervalMillis(60_000)
                .setConsumer(new DelegatingProgressBarConsumer(line -> System.err.println(line), LOG_WIDTH)).build();
    }
}
