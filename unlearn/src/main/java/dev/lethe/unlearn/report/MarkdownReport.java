package dev.lethe.unlearn.report;

import dev.lethe.unlearn.harness.AggregateRow;
import dev.lethe.unlearn.harness.ExperimentResult;

import java.util.List;

/**
 * The report as Markdown: per request a table (method, UA, RA, TA, MIA-efficacy, seconds,
 * avg gap; mean ± std over seeds when there are several), the references on top and the
 * methods ranked by average gap, then the methods' notes and any failures.
 */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(ExperimentResult r, ReportOptions o) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(o.title()).append("\n\n");
        sb.append("Model `").append(r.model()).append("`, recipe: ").append(ReportText.setup(r)).append("; seeds ").append(ReportText.seeds(r));
        if (!o.data().isEmpty()) sb.append("; data: ").append(o.data());
        sb.append(".\n");
        if (r.seeds().size() > 1) sb.append("Values are mean ± sample standard deviation over ").append(r.seeds().size()).append(" seeds.\n");
        for (Section s : Section.of(r)) {
            sb.append("\n## ").append(s.label()).append("\n\n").append(ReportText.sizes(s.runs())).append(".\n\n");
            sb.append("| rank | method | UA | RA | TA | MIA-efficacy | seconds | avg gap |\n");
            sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
            for (RankedRows.Ranked k : s.ranked()) {
                AggregateRow a = k.row();
                sb.append("| ").append(k.label()).append(" | ").append(cell(a.method()))
                        .append(" | ").append(Fmt.stat(a.ua())).append(" | ").append(Fmt.stat(a.ra())).append(" | ").append(Fmt.stat(a.ta()))
                        .append(" | ").append(Fmt.stat(a.miaEfficacy())).append(" | ").append(Fmt.seconds(a.seconds()))
                        .append(" | ").append(Fmt.stat(a.avgGap())).append(" |\n");
            }
            list(sb, "Notes", ReportText.notes(s.rows()));
            list(sb, "Failures", ReportText.failures(s.runs()));
        }
        sb.append("\n## Metrics\n\n");
        for (String[] m : ReportText.METRICS) sb.append("- **").append(m[0]).append("**: ").append(m[1]).append('\n');
        return sb.toString();
    }

    private static void list(StringBuilder sb, String title, List<String> lines) {
        if (lines.isEmpty()) return;
        sb.append('\n').append(title).append(":\n\n");
        for (String l : lines) sb.append("- ").append(l.replace("\n", " ")).append('\n');
    }

    /** A table cell: pipes escaped, line breaks flattened. */
    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
