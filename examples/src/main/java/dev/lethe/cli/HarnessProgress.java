package dev.lethe.cli;

import dev.lethe.unlearn.harness.HarnessListener;
import dev.lethe.unlearn.harness.Phase;
import me.tongfei.progressbar.ProgressBar;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows a grid's progress on standard error: one bar over its phases, whose message names
 * the current phase (and its optimiser step), and one line per finished phase that took
 * longer than a second, so a log keeps the timings.
 */
final class HarnessProgress implements HarnessListener, AutoCloseable {
    private final String task;
    private final PrintStream log;
    private ProgressBar bar;
    private Phase phase;
    private long phaseSteps;

    HarnessProgress(String task, PrintStream log) {
        this.task = task;
        this.log = log;
    }

    @Override
    public void planned(int phases) {
        bar = ProgressBars.create(task, phases, " phases");
    }

    @Override
    public void phaseStarted(Phase p, long totalSteps) {
        phase = p;
        phaseSteps = totalSteps;
        bar.stepTo(p.index());
        bar.setExtraMessage(p.describe());
    }

    @Override
    public void step(long done) {
        if (done % 10 != 0) return; // redrawing per step would cost more than a small step
        bar.setExtraMessage(phase.describe() + " · step " + done + (phaseSteps > 0 ? "/" + phaseSteps : ""));
    }

    @Override
    public void phaseFinished(Phase p, double seconds) {
        bar.stepTo(p.index() + 1);
        if (seconds >= 1) log.printf(Locale.ROOT, "%n%s: %.1f s%n", p.describe(), seconds);
    }

    @Override
    public void methodFailed(Phase p, RuntimeException error) {
        log.printf(Locale.ROOT, "%n%s FAILED: %s%n", p.describe(), error);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
