package dev.lethe.cli;

import dev.lethe.unlearn.harness.Experiment;
import dev.lethe.unlearn.harness.ExperimentResult;
import dev.lethe.unlearn.harness.Harness;
import dev.lethe.unlearn.harness.HarnessListener;
import dev.lethe.unlearn.harness.ResultsJson;
import dev.lethe.unlearn.report.MarkdownReport;
import dev.lethe.unlearn.report.ReportOptions;
import dev.lethe.unlearn.report.ReportWriter;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@code lethe unlearn}, {@code lethe demo} and {@code lethe merge} share: run a grid with progress on
 * standard error, print the Markdown tables on standard output, write the JSON and the report.
 */
final class ExperimentRunner {
    private ExperimentRunner() {}

    /**
     * @param name   the command, for log lines
     * @param report the report folder (null: none)
     * @param json   the JSON file (null: none besides the report's own results.json)
     */
    static ExperimentResult run(String name, Experiment e, ReportOptions options, Path report, Path json, boolean quiet, PrintWriter out)
            throws IOException {
        long t0 = System.nanoTime();
        ExperimentResult r;
        if (quiet) {
            r = Harness.run(e, HarnessListener.SILENT);
        } else {
            try (HarnessProgress progress = new HarnessProgress(name, System.err, System.console() != null && System.console().isTerminal())) {
                r = Harness.run(e, progress);
            }
        }
        publish(name, r, options, report, json, out);
        System.err.printf(Locale.ROOT, "lethe %s: done in %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
        return r;
    }

    /** Prints the Markdown tables of {@code r} on {@code out} and writes the JSON and the report (each null: not written). */
    static void publish(String name, ExperimentResult r, ReportOptions options, Path report, Path json, PrintWriter out) throws IOException {
        out.println(MarkdownReport.render(r, options));
        out.flush();
        if (json != null) {
            ResultsJson.write(json, r);
            System.err.println("lethe " + name + ": results written to " + json);
        }
        if (report != null) {
            ReportWriter.Written w = ReportWriter.write(report, r, options);
            System.err.println("lethe " + name + ": report written to " + w.html() + " (and " + w.markdown().getFileName() + ", " + w.json().getFileName() + ")");
        }
    }
}
