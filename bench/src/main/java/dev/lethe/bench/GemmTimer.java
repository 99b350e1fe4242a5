package dev.lethe.bench;

import dev.lethe.cpu.Gemm;
import dev.lethe.cpu.Parallel;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times {@link Gemm#sgemm} on request, for {@code bench/compare/compare.py}, which alternates
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

    /** One workload's operands, allocated once. */
    private record Problem(int m, int k, int n, boolean transA, boolean transB, float[] a, float[] b, float[] c) {
        static Problem parse(String shape, String variant) {
            String[] d = shape.split("x");
            if (d.length != 3 || variant.length() != 2)
                throw new IllegalArgumentException("shape '" + shape + " " + variant + "': expected MxKxN and NN, NT, TN or TT");
            int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
            SplittableRandom r = new SplittableRandom(7);
            float[] a = new float[m * k], b = new float[k * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble(-1, 1);
            return new Problem(m, k, n, variant.charAt(0) == 'T', variant.charAt(1) == 'T', a, b, new float[m * n]);
        }

        void run() {
            Gemm.sgemm(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, false);
        }

        /** The median seconds of one product over at least five, run for about {@code seconds}. */
        double medianSeconds(double seconds) {
            long[] t = new long[64];
            int count = 0;
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            while (count < 5 || System.nanoTime() < deadline) {
                long s = System.nanoTime();
                run();
                if (count == t.length) t = Arrays.copyOf(t, 2 * count);
                t[count++] = System.nanoTime() - s;
            }
            Arrays.sort(t, 0, count);
            return t[count / 2] / 1e9;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, Problem> problems = new HashMap<>();
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.err.println("GemmTimer: " + Parallel.threads() + " thread(s)");
        for (String line; (line = in.readLine()) != null && !line.isBlank(); ) {
            String[] w = line.trim().split("\\s+");
            if (w.length != 3) throw new IllegalArgumentException("request '" + line + "': expected 'MxKxN VARIANT SECONDS'");
            String key = w[0] + " " + w[1];
            Problem p = problems.get(key);
            if (p == null) {
                problems.put(key, p = Problem.parse(w[0], w[1]));
                p.medianSeconds(2.0);
            }
            System.out.println(p.medianSeconds(Double.parseDouble(w[2])));
            System.out.flush();
        }
    }
}
