package dev.lethe.unlearn.report;

import dev.lethe.io.AtomicWrite;
import dev.lethe.unlearn.harness.ExperimentResult;
import dev.lethe.unlearn.harness.ResultsJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a report directory: {@value #MARKDOWN}, {@value #HTML} and {@value #JSON}, each
 * atomically (a reader never sees half a file; a failure leaves the previous file).
 */
public final class ReportWriter {
    public static final String MARKDOWN = "report.md", HTML = "report.html", JSON = "results.json";

    private ReportWriter() {}

    /** The files written. */
    public record Written(Path markdown, Path html, Path json) {}

    /**
     * Renders and writes the three files into {@code dir}, creating it if needed.
     *
     * @throws IOException if the directory cannot be created or a file cannot be written
     */
    public static Written write(Path dir, ExperimentResult r, ReportOptions o) throws IOException {
        Files.createDirectories(dir);
        Written w = new Written(dir.resolve(MARKDOWN), dir.resolve(HTML), dir.resolve(JSON));
        String md = MarkdownReport.render(r, o), html = HtmlReport.render(r, o);
        ResultsJson.write(w.json(), r);
        AtomicWrite.write(w.markdown(), md.getBytes(StandardCharsets.UTF_8));
        AtomicWrite.write(w.html(), html.getBytes(StandardCharsets.UTF_8));
        return w;
    }
}
