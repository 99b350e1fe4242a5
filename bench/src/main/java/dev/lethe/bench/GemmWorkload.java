package dev.lethe.bench;

import dev.lethe.cpu.Gemm;

import java.util.SplittableRandom;

/**
 * One product C[m×n] = op(A)[m×k]·op(B)[k×n] named like {@code "128x784x256 NT"} (MxKxN, then
 * N or T for A and for B), its operands drawn once from a fixed seed, uniform in [−1, 1), all
 * matrices dense row-major: what {@link TrainingShapeBench} and {@link GemmTimer} time.
 */
record GemmWorkload(int m, int k, int n, boolean transA, boolean transB, float[] a, float[] b, float[] c) {
    /**
     * @throws IllegalArgumentException if {@code shape} is not "MxKxN VARIANT" with VARIANT one
     *         of NN, NT, TN, TT
     */
    static GemmWorkload parse(String shape) {
        String[] w = shape.trim().split("[x ]+");
        if (w.length != 4 || !w[3].matches("[NT]{2}"))
            throw new IllegalArgumentException("shape '" + shape + "': expected MxKxN and NN, NT, TN or TT, as in '128x784x256 NT'");
        int m = Integer.parseInt(w[0]), k = Integer.parseInt(w[1]), n = Integer.parseInt(w[2]);
        SplittableRandom r = new SplittableRandom(7);
        float[] a = new float[m * k], b = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble(-1, 1);
        return new GemmWorkload(m, k, n, w[3].charAt(0) == 'T', w[3].charAt(1) == 'T', a, b, new float[m * n]);
    }

    /** One product into {@link #c}. */
    float[] run() {
        Gemm.sgemm(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, false);
        return c;
    }
}
