package dev.lethe.bench;

import dev.lethe.cpu.Parallel;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Times {@link dev.lethe.cpu.Gemm#sgemm} on request, for {@code bench/compare/compare.py}, which alternates
 * it round by round with numpy on the same shape so that both sides of every ratio run under
 * the same load (on a shared machine the speed of either can halve for seconds at a time,
 * which a "Lethe now, numpy later" comparison turns into a ratio off by as much).
 *
 * <p>Protocol, one line each way: the request {@code "MxKxN VARIANT SECONDS"} (for example
 * {@code 1024x1024x1024 NN 0.5}); the answer is the median time of one product in seconds,
 * over as many products as fit in SECONDS (at least five). The first request for a shape
 * first runs it for two seconds, so the JIT has compiled the kernels before anything counts.
 * Threads: {@code -Dlethe.threads}. An empty line or end of input stops it.
 */
public final class GemmTimer {
    private GemmTimer() {}

    /** The median seconds of one product of {@code w} over at least five, run for about {@code seconds}. */
    private static double medianSeconds(GemmWorkload w, double seconds) {
        long[] t = new long[64];
        int count = 0;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (count < 5 || System.nanoTime() < deadline) {
            long s = System.nanoTime();
            w.run();
            if (count == t.length) t = Arrays.copyOf(t, 2 * count);
            t[count++] = System.nanoTime() - s;
        }
        Arrays.sort(t, 0, count);
        return t[count / 2] / 1e9;
    }

    public static void main(String[] args) throws Exception {
        Map<String, GemmWorkload> workloads = new HashMap<>();
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.err.println("GemmTimer: " + Parallel.threads() + " thread(s)");
        for (String line; (line = in.readLine()) != null && !line.isBlank(); ) {
            String[] w = line.trim().split("\\s+");
            if (w.length != 3) throw new IllegalArgumentException("request '" + line + "': expected 'MxKxN VARIANT SECONDS'");
            GemmWorkload p = workloads.computeIfAbsent(w[0] + " " + w[1], shape -> {
                GemmWorkload fresh = GemmWorkload.parse(shape);
                medianSeconds(fresh, 2.0);
                return fresh;
            });
            System.out.println(medianSeconds(p, Double.parseDouble(w[2])));
            System.out.flush();
        }
    }
}
