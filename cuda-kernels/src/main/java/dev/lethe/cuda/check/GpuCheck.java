package dev.lethe.cuda.check;

import dev.lethe.cuda.CudaBackend;
import dev.lethe.cuda.CudaProbe;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The GPU check for a host with a JRE and a GPU but no build tools (see gpu-check.sh):
 * <pre>java -cp benchmarks.jar dev.lethe.cuda.check.GpuCheck [--checks-only | --perf-only] [--only N,N...] [--perf=gemm,bandwidth,masks,costs,mlp]</pre>
 * prints what the probe found and which GEMM runs, runs every {@link GpuChecks} check (GPU
 * against CPU; with {@code --only}, those of the given numbers, as printed, so a check that
 * broke the CUDA context can be rerun alone in a fresh process), then runs the measurements
 * of {@link GpuPerformance} (all sections, or those {@code --perf=} names).
 * Exit status: 0 all checks passed, 1 a check failed, 2 no GPU or bad arguments.
 */
public final class GpuCheck {
    private GpuCheck() {}

    public static void main(String[] args) throws Exception {
        List<String> argList = List.of(args);
        boolean checks = !argList.contains("--perf-only"), perf = !argList.contains("--checks-only");
        Set<Integer> numbers = checkNumbers(argList);
        List<String> sections = GpuPerformance.SECTIONS;
        for (String arg : argList) if (arg.startsWith("--perf=")) sections = List.of(arg.substring(7).split(","));
        if (!GpuPerformance.SECTIONS.containsAll(sections)) usage("--perf= takes sections among " + GpuPerformance.SECTIONS + ", got " + sections);
        CudaProbe.Answer a = CudaProbe.answer();
        if (!a.available()) {
            System.out.println("no CUDA device: " + a.reason() + "; nothing to check on this machine.");
            System.exit(2);
        }
        CudaBackend be = CudaBackend.of(0);
        System.out.println("device: " + a.device() + " (" + a.deviceCount() + " visible)");
        System.out.println("GEMM:   " + be.gemmImplementation());
        int failed = 0;
        if (checks) failed = runChecks(numbers);
        if (perf) GpuPerformance.run(be, sections);
        System.out.println(failed == 0 ? "ALL CHECKS PASSED" : failed + " CHECK(S) FAILED");
        System.exit(failed == 0 ? 0 : 1);
    }

    /** The check numbers {@code --only} names (empty: every check); a missing, malformed or out-of-range number stops with status 2. */
    private static Set<Integer> checkNumbers(List<String> args) {
        Set<Integer> numbers = new TreeSet<>();
        int only = args.indexOf("--only");
        if (only < 0) return numbers;
        if (only + 1 >= args.size()) usage("--only needs check numbers, e.g. --only 3,14");
        int count = GpuChecks.all().size();
        for (String n : args.get(only + 1).split(",")) {
            try {
                numbers.add(Integer.parseInt(n.trim()));
            } catch (NumberFormatException e) {
                usage("--only takes check numbers 1.." + count + ", got '" + n + "'");
            }
        }
        for (int n : numbers) if (n < 1 || n > count) usage("--only takes check numbers 1.." + count + ", got " + n);
        return numbers;
    }

    private static void usage(String problem) {
        System.out.println("GpuCheck: " + problem);
        System.exit(2);
    }

    /** Runs the checks of the given numbers (1-based, as printed), or all where none is given. */
    private static int runChecks(Set<Integer> numbers) {
        int failed = 0;
        List<Check> all = GpuChecks.all();
        for (int i = 1; i <= all.size(); i++) {
            if (!numbers.isEmpty() && !numbers.contains(i)) continue;
            Check c = all.get(i - 1);
            long t0 = System.nanoTime();
            Throwable thrown = null;
            try {
                c.body().run();
            } catch (Throwable t) {
                thrown = t;
                failed++;
            }
            System.out.printf(Locale.ROOT, "%-6s #%-2d %7.0f ms  %s%n", thrown == null ? "PASS" : "FAIL", i, (System.nanoTime() - t0) / 1e6, c.name());
            if (thrown != null) {
                System.out.println("         " + thrown);
                printWhere(thrown);
            }
        }
        return failed;
    }

    /** The first frames of where a check or measurement failed, and of its cause, for a log read after the run. */
    static void printWhere(Throwable t) {
        for (Throwable e = t; e != null; e = e.getCause()) {
            if (e != t) System.out.println("         caused by " + e);
            StackTraceElement[] st = e.getStackTrace();
            for (int i = 0; i < Math.min(6, st.length); i++) System.out.println("           at " + st[i]);
        }
    }
}
