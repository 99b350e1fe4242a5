package dev.lethe.reference;

/**
 * The float64 reference matrix multiply: the plain triple loop that every fast GEMM is
 * tested against. It is deliberately unoptimised so that its result is obvious: each
 * element is one running sum over {@code p = 0 .. k-1} in order.
 */
public final class ReferenceGemm {
    private ReferenceGemm() {}

    /**
     * {@code C = op(A)·op(B)} ({@code accumulate} false) or {@code C += op(A)·op(B)}
     * ({@code accumulate} true), row-major, float64, with the same layout conventions as
     * {@link dev.lethe.cpu.Gemm#sgemm}: {@code op(A)[i][p]} is {@code a[aOff + i·lda + p]},
     * or {@code a[aOff + p·lda + i]} when {@code transA}; {@code op(B)[p][j]} is
     * {@code b[bOff + p·ldb + j]}, or {@code b[bOff + j·ldb + p]} when {@code transB};
     * {@code C[i][j] = c[cOff + i·ldc + j]}.
     *
     * <p>Each element is computed as {@code s = 0; for p in 0..k-1: s += op(A)[i][p]·op(B)[p][j]}
     * and then stored into C, or added to it when accumulating.
     *
     * @throws IllegalArgumentException if a size is negative or a leading dimension is
     *         smaller than its row length
     */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k,
            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
            double[] c, int cOff, int ldc, boolean accumulate) {
        if (m < 0 || n < 0 || k < 0)
            throw new IllegalArgumentException("dgemm: negative size m " + m + ", n " + n + ", k " + k);
        if (lda < (transA ? m : k))
            throw new IllegalArgumentException("dgemm: lda " + lda + " < " + (transA ? "m " + m : "k " + k)
                    + " for A" + (transA ? " transposed" : " not transposed"));
        if (ldb < (transB ? k : n))
            throw new IllegalArgumentException("dgemm: ldb " + ldb + " < " + (transB ? "k " + k : "n " + n)
                    + " for B" + (transB ? " transposed" : " not transposed"));
        if (ldc < n) throw new IllegalArgumentException("dgemm: ldc " + ldc + " < n " + n + " for C");
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += x * y;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + s : s;
            }
        }
    }
}
