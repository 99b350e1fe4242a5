package dev.lethe.unlearn.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.train.Recipe;
import dev.lethe.unlearn.Metrics;
import dev.lethe.unlearn.harness.ExperimentResult;
import dev.lethe.unlearn.harness.Harness;
import dev.lethe.unlearn.harness.MethodResult;
import dev.lethe.unlearn.harness.Role;
import dev.lethe.unlearn.harness.RunResult;
import dev.lethe.unlearn.harness.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class ReportTest {
    static final String EVIL = "<script>alert('x')</script> & \"friends\" | pipe";

    static MethodResult row(String name, Role role, double ua, double ra, double ta, double mia, double secs, Map<String, String> notes) {
        double[] perClass = new double[3];
        Arrays.fill(perClass, ra);
        return new MethodResult(name, role, new Metrics(ua, ra, ta, mia, secs), Double.NaN, perClass, notes, null);
    }

    /** Two seeds of one class-wise request with hand-picked numbers; gaps as the harness computes them. */
    static ExperimentResult result() {
        List<RunResult> runs = new ArrayList<>();
        for (long seed = 0; seed < 2; seed++) {
            double d = seed; // seed 1 shifts some numbers by one point
            MethodResult retrain = row(Harness.RETRAIN, Role.RETRAIN, 100, 90 + d, 88, 100, 40 + d, Map.of());
            List<MethodResult> rows = List.of(
                    row(Harness.ORIGINAL, Role.ORIGINAL, 5, 92, 89, 10, Double.NaN, Map.of()),
                    row("ga", Role.METHOD, 95, 80, 78, 90 + d, 0.2, Map.of("lr", "1e-4")),
                    retrain,
                    row(EVIL, Role.METHOD, 99, 89, 87, 99, 2, Map.of("why", EVIL)),
                    new MethodResult("broken", Role.METHOD, new Metrics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN), Double.NaN,
                            new double[] {Double.NaN, Double.NaN, Double.NaN}, Map.of(), "java.lang.IllegalStateException: <boom>"),
                    row(Harness.NOISE_FLOOR_NAME, Role.NOISE_FLOOR, 100, 89, 87.5, 100, 41, Map.of()));
            List<MethodResult> withGaps = rows.stream()
                    .map(m -> m.failed() ? m : new MethodResult(m.method(), m.role(), m.metrics(), m.metrics().avgGap(retrain.metrics()),
                            m.perClassTestAcc(), m.notes(), m.error()))
                    .toList();
            runs.add(new RunResult(seed, "class:1", 0, 1, 100, 200, 60, 1, 60, 3.5, withGaps));
        }
        return new ExperimentResult("mlp", new Recipe(2, 64, 0.05, Recipe.Schedule.COSINE, 0.9, 5e-4, 0), List.of(0L, 1L), 3, runs, 0, "cpu");
    }

    static ReportOptions options() {
        return new ReportOptions("Test <report>", "toy data & more", List.of("cat", "dog", "<bird>"), 2);
    }

    @Test
    void writesTheThreeFilesWithEveryRow(@TempDir Path dir) throws Exception {
        ReportWriter.Written w = ReportWriter.write(dir.resolve("out"), result(), options());
        for (Path p : List.of(w.markdown(), w.html(), w.json())) assertTrue(Files.size(p) > 0, p.toString());
        String md = Files.readString(w.markdown());
        String html = Files.readString(w.html());
        for (String method : List.of("ga", "broken", Harness.RETRAIN, Harness.ORIGINAL, Harness.NOISE_FLOOR_NAME)) {
            assertTrue(md.contains("| " + method + " |"), method);
            assertTrue(html.contains(">" + method + "</td>"), method);
        }
        assertEquals(2, new ObjectMapper().readTree(Files.readString(w.json())).get("runs").size());
        try (var files = Files.list(dir.resolve("out"))) {
            assertEquals(3, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void markdownRanksMethodsByGapUnderTheReferences() {
        String md = MarkdownReport.render(result(), options());
        // ga's gap: seed 0 (5 + 10 + 10 + 10)/4, seed 1 (5 + 11 + 10 + 9)/4, both 8.75; the evil row's ≈ 1
        List<String> rows = md.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| rank")).toList();
        assertEquals(6, rows.size(), md);
        assertTrue(rows.get(0).startsWith("| ref | retrain |"), rows.get(0));
        assertTrue(rows.get(1).startsWith("| ref | " + Harness.NOISE_FLOOR_NAME + " |"));
        assertTrue(rows.get(2).startsWith("| ref | original |"));
        assertTrue(rows.get(3).startsWith("| 1 | <script>"), rows.get(3));
        assertTrue(rows.get(3).contains("\\| pipe"), "a pipe in a name cannot split the row: " + rows.get(3));
        assertTrue(rows.get(4).startsWith("| 2 | ga |"));
        assertTrue(rows.get(4).contains("| 8.75 ± 0.00 |"), rows.get(4));
        assertTrue(rows.get(5).startsWith("| — | broken | — |"), rows.get(5));
        assertTrue(rows.get(0).contains("| 90.50 ± 0.71 |"), "RA mean ± sample std of 90 and 91");
        assertTrue(md.contains("- ga: lr = 1e-4"));
        assertTrue(md.contains("- broken, seed 1: java.lang.IllegalStateException: <boom>"));
        assertTrue(md.contains("cosine") && md.contains("weight decay 5.0E-4"), md.lines().limit(4).toList().toString());
    }

    @Test
    void htmlEscapesEveryStringFromTheResults() {
        String html = HtmlReport.render(result(), options());
        assertFalse(html.contains("<script>"), "a method name cannot inject markup");
        assertFalse(html.contains("<boom>"));
        assertFalse(html.contains("<bird>"));
        assertFalse(html.contains("<report>"));
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;friends&quot;"));
        assertTrue(html.contains("<title>Test &lt;report&gt;</title>"));
        assertTrue(html.contains("toy data &amp; more"));
        assertTrue(html.contains("<th>&lt;bird&gt;</th>"));
    }

    @Test
    void everyPlotIsWellFormedSvg() throws Exception {
        String html = HtmlReport.render(result(), options());
        Matcher m = Pattern.compile("<svg.*?</svg>", Pattern.DOTALL).matcher(html);
        int n = 0;
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        while (m.find()) {
            Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.UTF_8)));
            assertEquals("svg", d.getDocumentElement().getLocalName());
            assertFalse(d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "title").item(0).getTextContent().isBlank(), "every plot is titled");
            assertEquals("http://www.w3.org/2000/svg", d.getDocumentElement().getNamespaceURI());
            n++;
        }
        assertEquals(4, n, "trade-off, gaps, per-class and time");
        assertFalse(html.contains("<?xml"), "no XML declaration inside the page");
    }

    @Test
    void chartsOfEdgeCasesStillRender() {
        // a log-scale time axis (times spanning over 100×) and a grid without any usable row
        ExperimentResult r = result();
        assertTrue(HtmlReport.render(r, options()).contains("<title>Unlearning time vs retrain (log scale)</title>"), "0.2 s against 41 s");
        assertTrue(Charts.times(List.of()).startsWith("<svg"));
    }

    @Test
    void formatting() {
        assertEquals("1.50 ± 0.71", Fmt.stat(Stat.of(1, 2)));
        assertEquals("1.00", Fmt.stat(Stat.of(1)));
        assertEquals("—", Fmt.stat(Stat.of(Double.NaN)));
        assertEquals("12.3", Fmt.seconds(Stat.of(12.34)));
        assertEquals("0.12", Fmt.seconds(Stat.of(0.123)));
        assertEquals("12.3", Fmt.significant3(12.3456));
        assertEquals("0.235", Fmt.significant3(0.23456));
        assertEquals("100", Fmt.significant3(100));
        assertEquals("0.0123", Fmt.significant3(0.012345));
        assertEquals("0", Fmt.significant3(0));
        assertEquals("—", Fmt.significant3(Double.NaN));
        assertEquals("-4.11", Charts.round2("-4.109375"));
        assertEquals("3", Charts.round2("3.0001"));
        assertEquals("0", Charts.round2("-0.001"));
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", Html.escape("<a href=\"x\">&'"));
        assertEquals("", Html.escape(null));
    }
}
