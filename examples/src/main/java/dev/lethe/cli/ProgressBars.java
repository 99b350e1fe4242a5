package dev.lethe.cli;

import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The one progress-bar style of the command line: ASCII, on standard error. */
final class ProgressBars {
    private ProgressBars() {}

    /** A bar named {@code task} counting {@code max} {@code unit}s (max −1: unknown). */
    static ProgressBar create(String task, long max, String unit) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new InteractiveConsoleProgressBarConsumer(System.err)).setUnit(unit, 1).build();
    }
}
