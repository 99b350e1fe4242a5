package dev.lethe.check;

import dev.lethe.backend.Backends;
import dev.lethe.cpu.Simd;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The auditors' view ({@code ./lethe ops}): every op in {@link OpTable} with its formula and
 * derivative, checked on the spot. Each sample gets a float64 {@link GradCheck} and a
 * {@link Float32Check} of the SIMD float32 path against the float64 reference; the table
 * shows the worst errors per op and PASS or FAIL. Exit code 0 when every op passes, 1 when
 * one fails, 2 on bad arguments.
 *
 * <p>Options: {@code --json} prints the same data as JSON; {@code --op NAME} checks one op.
 */
public final class AuditorsView {
    /** The terminal width the table is laid out for. */
    static final int WIDTH = 120;

    private static final String USAGE = "usage: ./lethe ops [--json] [--op NAME]";

    /** One op's audit: the worst errors over its samples and what failed (empty when it passed). */
    record OpReport(OpInfo info, int samples, double gradAbs, double gradRel, double f32Abs, List<String> failures) {
        boolean passed() {
            return failures.isEmpty();
        }
    }

    private AuditorsView() {}

    public static void main(String[] args) {
        // The formulas are Unicode; the platform's stdout encoding may be ASCII (POSIX locale).
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the view over {@link OpTable#all()}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(OpTable.all(), args, out, err);
    }

    /** Runs the view over {@code table}; returns the exit code. */
    static int run(List<OpInfo> table, String[] args, PrintStream out, PrintStream err) {
        boolean json = false;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--op" -> {
                    if (i + 1 == args.length) {
                        err.println("ops: --op needs an op name\n" + USAGE);
                        return 2;
                    }
                    only = args[++i];
                }
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    err.println("ops: unknown option '" + args[i] + "'\n" + USAGE);
                    return 2;
                }
            }
        }
        List<OpInfo> ops = table;
        if (only != null) {
            String name = only;
            ops = table.stream().filter(o -> o.name().equals(name)).toList();
            if (ops.isEmpty()) {
                err.println("ops: no op named '" + name + "'; the op table has: "
                        + table.stream().map(OpInfo::name).collect(Collectors.joining(", ")));
                return 2;
            }
        }
        List<OpReport> reports = new ArrayList<>();
        for (OpInfo op : ops) reports.add(audit(op));
        if (json) printJson(reports, out);
        else printTable(reports, out);
        return reports.stream().allMatch(OpReport::passed) ? 0 : 1;
    }

    /** Gradchecks every sample of {@code op} and compares float32 with float64 on it. */
    static OpReport audit(OpInfo op) {
        double gradAbs = Double.NaN, gradRel = Double.NaN, f32Abs = Double.NaN;
        List<String> failures = new ArrayList<>();
        for (OpInfo.Sample s : op.samples()) {
            try {
                GradCheck.Result g = GradCheck.check(s.fn(), s.inputs(), s.differentiable(),
                        GradCheck.EPS, GradCheck.ATOL, GradCheck.RTOL);
                gradAbs = worse(gradAbs, g.worstAbs());
                gradRel = worse(gradRel, g.worstRel());
                if (!g.passed()) failures.add(s.description() + ": gradcheck " + g.firstFailure());
            } catch (RuntimeException e) {
                failures.add(s.description() + ": gradcheck threw " + e);
            }
            try {
                Float32Check.Result f = Float32Check.check(s);
                f32Abs = worse(f32Abs, f.maxAbsError());
                if (!f.passed()) failures.add(s.description() + ": float32 " + f.firstFailure());
            } catch (RuntimeException e) {
                failures.add(s.description() + ": float32 threw " + e);
            }
        }
        if (op.samples().isEmpty()) failures.add("no samples");
        return new OpReport(op, op.samples().size(), gradAbs, gradRel, f32Abs, failures);
    }

    /** The larger of two errors, NaN meaning "none yet"; a NaN error itself is reported as +∞. */
    private static double worse(double sofar, double e) {
        if (Double.isNaN(e)) e = Double.POSITIVE_INFINITY;
        return Double.isNaN(sofar) ? e : Math.max(sofar, e);
    }

    private static String header() {
        return "backend: " + Backends.cpu().name() + System.lineSeparator()
                + "vector width: " + Simd.describe() + " | Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")";
    }

    private static String footer(List<OpReport> reports) {
        long failed = reports.stream().filter(r -> !r.passed()).count();
        int samples = reports.stream().mapToInt(OpReport::samples).sum();
        return reports.size() + (reports.size() == 1 ? " op, " : " ops, ") + samples + " samples: " + (reports.size() - failed) + " passed, " + failed + " failed";
    }

    // ---------------------------------------------------------------- table

    static void printTable(List<OpReport> reports, PrintStream out) {
        int opW = 2;
        for (OpReport r : reports) opW = Math.max(opW, width(r.info().name()));
        opW = Math.min(opW, 16);
        // op, formula, derivative, n, three errors, result; two spaces between columns.
        int fixed = opW + 3 + 3 * 8 + 4 + 7 * 2;
        int textW = Math.max(16, (WIDTH - 1 - fixed) / 2);
        String row = "%-" + opW + "s  %-" + textW + "s  %-" + textW + "s  %3s  %8s  %8s  %8s  %s";

        out.println(String.format(Locale.ROOT, "Lethe auditors' view: float64 gradcheck (ε %.0e, atol %.0e, rtol %.0e)"
                + " and float32 vs float64 on every sample", GradCheck.EPS, GradCheck.ATOL, GradCheck.RTOL));
        out.println(header());
        out.println();
        out.println(String.format(Locale.ROOT, row, "op", "formula", "derivative", "n", "grad abs", "grad rel", "f32 abs", "result"));
        out.println("-".repeat(fixed + 2 * textW));
        for (OpReport r : reports) {
            List<String> name = wrap(r.info().name(), opW);
            List<String> formula = wrap(r.info().formula(), textW), derivative = wrap(r.info().derivative(), textW);
            int lines = Math.max(name.size(), Math.max(formula.size(), derivative.size()));
            for (int i = 0; i < lines; i++) {
                boolean first = i == 0;
                out.println(String.format(Locale.ROOT, row, line(name, i), line(formula, i), line(derivative, i),
                        first ? r.samples() : "", first ? num(r.gradAbs()) : "", first ? num(r.gradRel()) : "",
                        first ? num(r.f32Abs()) : "", first ? (r.passed() ? "PASS" : "FAIL") : "").stripTrailing());
            }
        }
        out.println("-".repeat(fixed + 2 * textW));
        for (OpReport r : reports) {
            for (String f : r.failures()) out.println("FAIL " + r.info().name() + " " + f);
        }
        out.println(footer(reports));
    }

    private static String line(List<String> lines, int i) {
        return i < lines.size() ? lines.get(i) : "";
    }

    private static String num(double d) {
        return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.1e", d);
    }

    /** Columns a string takes, counting code points (the formulas' symbols are one column each). */
    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }

    /** Breaks {@code text} into lines of at most {@code w} columns at spaces, splitting over-long words. */
    static List<String> wrap(String text, int w) {
        List<String> lines = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String word : text.split(" ")) {
            while (width(word) > w) {
                if (!cur.isEmpty()) {
                    lines.add(cur.toString());
                    cur.setLength(0);
                }
                int cut = word.offsetByCodePoints(0, w);
                lines.add(word.substring(0, cut));
                word = word.substring(cut);
            }
            if (!cur.isEmpty() && width(cur.toString()) + 1 + width(word) > w) {
                lines.add(cur.toString());
                cur.setLength(0);
            }
            if (!cur.isEmpty()) cur.append(' ');
            cur.append(word);
        }
        if (!cur.isEmpty() || lines.isEmpty()) lines.add(cur.toString());
        return lines;
    }

    // ---------------------------------------------------------------- JSON

    static void printJson(List<OpReport> reports, PrintStream out) {
        long failed = reports.stream().filter(r -> !r.passed()).count();
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"backend\": ").append(str(Backends.cpu().name()))
                .append(",\n  \"simd\": ").append(str(Simd.describe()))
                .append(",\n  \"java\": ").append(str(Runtime.version().toString()))
                .append(",\n  \"ops\": [");
        for (int i = 0; i < reports.size(); i++) {
            OpReport r = reports.get(i);
            b.append(i == 0 ? "\n" : ",\n")
                    .append("    {\"name\": ").append(str(r.info().name()))
                    .append(", \"formula\": ").append(str(r.info().formula()))
                    .append(", \"derivative\": ").append(str(r.info().derivative()))
                    .append(", \"samples\": ").append(r.samples())
                    .append(", \"gradcheckMaxAbs\": ").append(jsonNum(r.gradAbs()))
                    .append(", \"gradcheckMaxRel\": ").append(jsonNum(r.gradRel()))
                    .append(", \"float32MaxAbs\": ").append(jsonNum(r.f32Abs()))
                    .append(", \"passed\": ").append(r.passed())
                    .append(", \"failures\": [")
                    .append(r.failures().stream().map(AuditorsView::str).collect(Collectors.joining(", ")))
                    .append("]}");
        }
        b.append("\n  ],\n  \"total\": {\"ops\": ").append(reports.size())
                .append(", \"samples\": ").append(reports.stream().mapToInt(OpReport::samples).sum())
                .append(", \"passed\": ").append(reports.size() - failed)
                .append(", \"failed\": ").append(failed).append("}\n}");
        out.println(b);
    }

    /** A JSON number; JSON has no NaN or infinity, so those become null. */
    private static String jsonNum(double d) {
        return Double.isFinite(d) ? Double.toString(d) : "null";
    }

    /** A JSON string literal. */
    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
