package dev.lethe.cli;

import dev.lethe.unlearn.harness.HarnessListener;
import dev.lethe.unlearn.harness.Phase;
import me.tongfei.progressbar.ProgressBar;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows a grid's progress on standard error. On a terminal: one bar over its phases, whose
 * message names the current phase (and its optimiser step). Otherwise (a log file, CI): one
 * line per finished phase with its time, since a redrawn bar would only clutter the log.
 */
final class HarnessProgress implements HarnessListener, AutoCloseable {
    private final String task;
    private final PrintStream log;
    private ProgressBar bar;
    private Phase phase;
    private long phaseSteps;

    private final boolean terminal;

    HarnessProgress(String task, PrintStream log, boolean terminal) {
        this.task = task;
        this.log = log;
        this.terminal = terminal;
    }

    @Override
    public void planned(int phases) {
        if (terminal) bar = ProgressBars.create(task, phases, " phases");
    }

    @Override
    public void phaseStarted(Phase p, long totalSteps) {
        phase = p;
        phaseSteps = totalSteps;
        if (bar == null) return;
        bar.stepTo(p.index());
        bar.setExtraMessage(p.describe());
    }

    @Override
    public void step(long done) {
        if (bar == null || done % 10 != 0) return; // redrawing per step would cost more than a small step
        bar.setExtraMessage(phase.describe() + " · step " + done + (phaseSteps > 0 ? "/" + phaseSteps : ""));
    }

    @Override
    public void phaseFinished(Phase p, double seconds) {
        if (bar != null) bar.stepTo(p.index() + 1);
        else log.printf(Locale.ROOT, "%s [%d/%d]: %.1f s%n", p.describe(), p.index() + 1, p.total(), seconds);
    }

    @Override
    public void methodFailed(Phase p, RuntimeException error) {
        log.printf(Locale.ROOT, "%s%s FAILED: %s%n", bar == null ? "" : "\n", p.describe(), error);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
