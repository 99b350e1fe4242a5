package dev.lethe.unlearn.report;

import dev.lethe.unlearn.harness.AggregateRow;
import dev.lethe.unlearn.harness.ExperimentResult;
import dev.lethe.unlearn.harness.Role;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

import static dev.lethe.unlearn.report.Html.escape;

/**
 * The report as one self-contained HTML page (inline CSS and SVG, nothing fetched): the
 * setting, what each metric means, and per request the ranked table, the methods' notes,
 * failures, four plots (UA vs RA, average gap, per-class test accuracy before and after,
 * time against Retrain) and the per-class table. Every string from the results is escaped.
 */
public final class HtmlReport {
    private HtmlReport() {}

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1180px;padding:0 1em;color:#222}
            h1{margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ccc;padding-bottom:.2em}
            .meta{color:#444}table{border-collapse:collapse;margin:1em 0;font-variant-numeric:tabular-nums}
            th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}th{background:#f3f3f3}
            td.name,th.name{text-align:left}tr.ref td{background:#fafafa;font-style:italic}
            .swatch{display:inline-block;width:.8em;height:.8em;margin-right:.4em;vertical-align:baseline;border-radius:2px}
            .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:1em}
            .charts figure{margin:0}.charts svg{width:100%;height:auto}
            dl.metrics dt{font-weight:bold;margin-top:.4em}dl.metrics dd{margin-left:1.5em}
            .fail{color:#a00}details{margin:1em 0}summary{cursor:pointer}
            """;

    public static String render(ExperimentResult r, ReportOptions o) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(escape(o.title()))
                .append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        sb.append("<h1>").append(escape(o.title())).append("</h1>\n<p class=\"meta\">Model <code>").append(escape(r.model()))
                .append("</code>; recipe: ").append(escape(ReportText.setup(r))).append("; seeds ").append(escape(ReportText.seeds(r)));
        if (!o.data().isEmpty()) sb.append("; data: ").append(escape(o.data()));
        sb.append(".");
        if (r.seeds().size() > 1) sb.append(" Values are mean ± sample standard deviation over ").append(r.seeds().size()).append(" seeds.");
        sb.append("</p>\n");
        sb.append("<h2>What the numbers mean</h2>\n<dl class=\"metrics\">\n");
        for (String[] m : ReportText.METRICS) sb.append("<dt>").append(escape(m[0])).append("</dt><dd>").append(escape(m[1])).append("</dd>\n");
        sb.append("</dl>\n");
        List<String> methodOrder = r.aggregate().stream().filter(a -> a.role() == Role.METHOD).map(AggregateRow::method).distinct().toList();
        for (Section s : Section.of(r)) section(sb, s, o, methodOrder);
        sb.append("<p class=\"meta\">Written by Lethe. Plots: XChart.</p>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void section(StringBuilder sb, Section s, ReportOptions o, List<String> methodOrder) {
        List<AggregateRow> rows = s.rows();
        List<Color> colors = Charts.colors(rows, methodOrder);
        sb.append("<section>\n<h2>").append(escape(s.label())).append("</h2>\n<p class=\"meta\">").append(escape(ReportText.sizes(s.runs())))
                .append(".</p>\n");
        sb.append("<table>\n<tr><th>rank</th><th class=\"name\">method</th><th>UA</th><th>RA</th><th>TA</th><th>MIA-efficacy</th><th>seconds</th><th>avg gap</th></tr>\n");
        for (int i = 0; i < s.ranked().size(); i++) {
            RankedRows.Ranked k = s.ranked().get(i);
            AggregateRow a = k.row();
            sb.append("<tr").append(k.rank() == 0 ? " class=\"ref\"" : "").append("><td>").append(k.label())
                    .append("</td><td class=\"name\">").append(swatch(colors.get(i))).append(escape(a.method())).append("</td>");
            for (String v : new String[] {Fmt.stat(a.ua()), Fmt.stat(a.ra()), Fmt.stat(a.ta()), Fmt.stat(a.miaEfficacy()), Fmt.seconds(a.seconds()),
                    Fmt.stat(a.avgGap())}) {
                sb.append("<td>").append(escape(v)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
        list(sb, "Notes", ReportText.notes(rows), "");
        list(sb, "Failures", ReportText.failures(s.runs()), " class=\"fail\"");
        sb.append("<div class=\"charts\">\n");
        figure(sb, Charts.tradeoff(rows, colors));
        figure(sb, Charts.gaps(rows, colors));
        List<AggregateRow> chosen = new ArrayList<>();
        List<Color> chosenColors = new ArrayList<>();
        pickPerClass(s, o.perClassMethods(), colors, chosen, chosenColors);
        if (!chosen.isEmpty()) figure(sb, Charts.perClass(chosen, chosenColors, o.classNames()));
        figure(sb, Charts.times(rows));
        sb.append("</div>\n");
        perClassTable(sb, rows, o.classNames());
        sb.append("</section>\n");
    }

    /** The original, Retrain and the {@code n} best-ranked methods that did not fail everywhere. */
    private static void pickPerClass(Section s, int n, List<Color> colors, List<AggregateRow> rows, List<Color> rowColors) {
        int methods = 0;
        for (int i = 0; i < s.ranked().size(); i++) {
            AggregateRow a = s.ranked().get(i).row();
            boolean take = a.role() == Role.ORIGINAL || a.role() == Role.RETRAIN || (a.role() == Role.METHOD && a.ua().n() > 0 && methods++ < n);
            if (take) {
                rows.add(a);
                rowColors.add(colors.get(i));
            }
        }
    }

    private static void perClassTable(StringBuilder sb, List<AggregateRow> rows, List<String> classNames) {
        sb.append("<details><summary>Per-class test accuracy (%), every row</summary>\n<table>\n<tr><th class=\"name\">method</th>");
        for (String c : classNames) sb.append("<th>").append(escape(c)).append("</th>");
        sb.append("</tr>\n");
        for (AggregateRow a : rows) {
            sb.append("<tr><td class=\"name\">").append(escape(a.method())).append("</td>");
            double[] acc = a.perClassTestAcc();
            for (int k = 0; k < classNames.size(); k++) sb.append("<td>").append(escape(Fmt.num(k < acc.length ? acc[k] : Double.NaN, 1))).append("</td>");
            sb.append("</tr>\n");
        }
        sb.append("</table>\n</details>\n");
    }

    private static void list(StringBuilder sb, String title, List<String> lines, String attrs) {
        if (lines.isEmpty()) return;
        sb.append("<p").append(attrs).append("><b>").append(escape(title)).append("</b></p>\n<ul").append(attrs).append(">\n");
        for (String l : lines) sb.append("<li>").append(escape(l)).append("</li>\n");
        sb.append("</ul>\n");
    }

    private static void figure(StringBuilder sb, String svg) {
        sb.append("<figure>\n").append(svg).append("\n</figure>\n");
    }

    private static String swatch(Color c) {
        return String.format("<span class=\"swatch\" style=\"background:#%06x\"></span>", c.getRGB() & 0xFFFFFF);
    }
}
