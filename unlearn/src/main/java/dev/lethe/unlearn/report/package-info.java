/**
 * Readable reports of an {@link dev.lethe.unlearn.harness.ExperimentResult}: a Markdown table
 * ({@link dev.lethe.unlearn.report.MarkdownReport}) and a self-contained HTML page with SVG
 * plots ({@link dev.lethe.unlearn.report.HtmlReport}); {@link dev.lethe.unlearn.report.ReportWriter}
 * writes both and the JSON into a directory, atomically.
 */
package dev.lethe.unlearn.report;
