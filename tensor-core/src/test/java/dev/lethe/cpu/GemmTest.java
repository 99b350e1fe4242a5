package dev.lethe.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lethe.reference.ReferenceGemm;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Checks {@link Gemm#sgemm} against the float64 {@link ReferenceGemm} and checks that its
 * bits do not depend on the thread count. Nothing here assumes a vector width, so the same
 * tests are meant to be run under every {@code -Dlethe.simd} value.
 */
@Tag("kernels")
@ExtendWith(RestoresThreadCount.class)
class GemmTest {
    private static final int[] SMALL = {1, 3, 7, 15, 17, 33, 65};

    /** A strided problem: matrices embedded at an offset in larger arrays with padded rows. */
    private static final class Case {
        final boolean ta, tb, acc;
        final int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
        final float[] a, b, c0;

        Case(Random rnd, boolean ta, boolean tb, int m, int n, int k, boolean acc) {
            this.ta = ta;
            this.tb = tb;
            this.m = m;
            this.n = n;
            this.k = k;
            this.acc = acc;
            int aRows = ta ? k : m, aCols = ta ? m : k;
            int bRows = tb ? n : k, bCols = tb ? k : n;
            aOff = rnd.nextInt(5);
            lda = aCols + rnd.nextInt(4);
            bOff = rnd.nextInt(5);
            ldb = bCols + rnd.nextInt(4);
            cOff = rnd.nextInt(5);
            ldc = n + rnd.nextInt(4);
            a = random(rnd, aOff + aRows * lda + 3);
            b = random(rnd, bOff + bRows * ldb + 3);
            c0 = random(rnd, cOff + m * ldc + 3);
        }

        float[] run() {
            float[] c = c0.clone();
            Gemm.sgemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc);
            return c;
        }

        /** op(A)[i][p]. */
        float opA(int i, int p) {
            return ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        /** op(B)[p][j]. */
        float opB(int p, int j) {
            return tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        String describe() {
            return "transA=" + ta + " transB=" + tb + " m=" + m + " n=" + n + " k=" + k + " accumulate=" + acc
                    + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + " simd=" + Simd.describe();
        }

        /** Compares against the float64 reference with a bound on float32 rounding error. */
        void check(float[] c) {
            double[] cd = widen(c0);
            ReferenceGemm.dgemm(ta, tb, m, n, k, widen(a), aOff, lda, widen(b), bOff, ldb, cd, cOff, ldc, acc);
            boolean[] inside = new boolean[c.length];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int ci = cOff + i * ldc + j;
                    inside[ci] = true;
                    double scale = acc ? Math.abs(c0[ci]) : 0;
                    for (int p = 0; p < k; p++) scale += Math.abs((double) opA(i, p) * opB(p, j));
                    // Float32 fused multiply-add accumulation of k terms, plus the final add to
                    // C, errs by at most about (k + 2) units of 2^-24 relative to sum |terms|.
                    double tol = (k + 3) * 0x1p-24 * scale + 1e-6;
                    double err = Math.abs(c[ci] - cd[ci]);
                    if (!(err <= tol)) {
                        fail(describe() + ": C[" + i + "][" + j + "] = " + c[ci] + ", reference " + cd[ci]
                                + ", error " + err + " > " + tol);
                    }
                }
            }
            for (int x = 0; x < c.length; x++) {
                if (!inside[x] && Float.floatToRawIntBits(c[x]) != Float.floatToRawIntBits(c0[x])) {
                    fail(describe() + ": wrote outside C at array index " + x);
                }
            }
        }
    }

    private static float[] random(Random rnd, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }

    private static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    private static void checkAllLayouts(Random rnd, int m, int n, int k) {
        for (int t = 0; t < 8; t++) {
            Case cs = new Case(rnd, (t & 1) != 0, (t & 2) != 0, m, n, k, (t & 4) != 0);
            cs.check(cs.run());
        }
    }

    @Test
    void matchesReferenceOnOddSizes() {
        Random rnd = new Random(1);
        for (int m : SMALL) for (int n : SMALL) for (int k : SMALL) checkAllLayouts(rnd, m, n, k);
    }

    @Test
    void matchesReferenceOnLargerSizes() {
        Random rnd = new Random(2);
        checkAllLayouts(rnd, 129, 257, 100);
        checkAllLayouts(rnd, 100, 129, 257);   // k spans two k-blocks
        checkAllLayouts(rnd, 257, 31, 600);    // k spans three
        checkAllLayouts(rnd, 2, 300, 513);
    }

    @Test
    void matchesReferenceWhenOuterBlocksSplit() {
        // Wide and tall shapes cross the packed-buffer blocks over n and over m.
        Random rnd = new Random(3);
        checkAllLayouts(rnd, 5, 4500, 3);
        checkAllLayouts(rnd, 4500, 5, 3);
    }

    /**
     * The order the class comment documents, bit for bit: per k-block of {@link Gemm#KC}, a
     * partial sum from zero with one float32 fused multiply-add per step in increasing k,
     * then stored into C (the first block, not accumulating) or added to it. Shapes cover
     * both B paths with and without edge tiles, and both A paths: packed, and read in place
     * when C is narrow — on the 4×2 kernel (256- and 128-bit) at most one B sliver ({@link
     * Gemm#NR} columns) wide, exactly one sliver included; at 512-bit at most one vector (16
     * columns) wide, by the 8-row kernel, with rows left over for the packed path (m = 9, 37).
     */
    @Test
    void followsTheDocumentedSummationOrderExactly() {
        Random rnd = new Random(5);
        int[][] shapes = {{128, 10, 128}, {9, 16, 40}, {9, Gemm.NR, 40}, {37, 3, 300}, {4, 17, 5}, {33, 50, 257}, {16, 1, 513}};
        for (int[] sh : shapes) {
            for (int t = 0; t < 8; t++) {
                Case cs = new Case(rnd, (t & 1) != 0, (t & 2) != 0, sh[0], sh[1], sh[2], (t & 4) != 0);
                float[] c = cs.run();
                for (int i = 0; i < cs.m; i++) {
                    for (int j = 0; j < cs.n; j++) {
                        int ci = cs.cOff + i * cs.ldc + j;
                        float expected = cs.c0[ci];
                        for (int p0 = 0; p0 < cs.k; p0 += Gemm.KC) {
                            float s = 0f;
                            for (int p = p0; p < Math.min(cs.k, p0 + Gemm.KC); p++) s = Math.fma(cs.opA(i, p), cs.opB(p, j), s);
                            expected = p0 == 0 && !cs.acc ? s : expected + s;
                        }
                        if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(c[ci])) {
                            fail(cs.describe() + ": C[" + i + "][" + j + "] = " + c[ci] + ", the documented order gives " + expected);
                        }
                    }
                }
                cs.check(c);
            }
        }
    }

    /**
     * Row panels (300×257), column panels over two MC blocks and three k-blocks (130×520×600),
     * the mlp's first product (128×256×784), and on three threads an edge panel 16 columns wide
     * whose first 32 rows take the in-place-A kernel and whose last 5 are packed (37×80×777).
     */
    @Test
    void bitwiseIdenticalForAnyThreadCount() {
        Random rnd = new Random(4);
        int[][] shapes = {{300, 257, 190}, {130, 520, 600}, {128, 256, 784}, {37, 80, 777}};
        for (int[] s : shapes) {
            for (int t = 0; t < 8; t++) {
                Case cs = new Case(rnd, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], (t & 4) != 0);
                Parallel.setThreads(1);
                float[] one = cs.run();
                for (int threads : new int[] {2, 3}) {
                    Parallel.setThreads(threads);
                    float[] many = cs.run();
                    for (int x = 0; x < one.length; x++) {
                        if (Float.floatToRawIntBits(one[x]) != Float.floatToRawIntBits(many[x])) {
                            fail(cs.describe() + ": " + threads + " threads differ from 1 at array index " + x
                                    + ": " + many[x] + " vs " + one[x]);
                        }
                    }
                }
                cs.check(one);
            }
        }
    }

    /**
     * A C wider than tall whose op(A) is too large for each thread to pack whole
     * ({@link Gemm#OWN_A_MAX} floats) takes one column panel per thread, packing A in blocks:
     * the same bits as one thread, with A stored either way.
     */
    @Test
    void columnPanelsOverALargeAGiveTheSameBits() {
        Random rnd = new Random(12);
        int m = 1030, n = 1040, k = 1024;
        assertTrue((long) m * k > Gemm.OWN_A_MAX, "the shape must exceed OWN_A_MAX");
        for (boolean ta : new boolean[] {false, true}) {
            Case cs = new Case(rnd, ta, false, m, n, k, false);
            Parallel.setThreads(1);
            float[] one = cs.run();
            Parallel.setThreads(2);
            float[] two = cs.run();
            for (int x = 0; x < one.length; x++) {
                if (Float.floatToRawIntBits(one[x]) != Float.floatToRawIntBits(two[x])) {
                    fail(cs.describe() + ": 2 threads differ from 1 at array index " + x + ": " + two[x] + " vs " + one[x]);
                }
            }
        }
    }

    /**
     * A row-major A read in place (rows not a multiple of 1024 floats apart, C at most
     * {@link Gemm#IN_PLACE_A_MAX_COLUMNS} wide) gives the bits of the same A packed, which the
     * same values stored 1024 floats apart get: every tail of 1–11 rows after the twelve-row
     * slivers, a four-row tail, k over several blocks, partial B slivers, a transposed B and
     * accumulation, on 1 and 2 threads (where each thread's column units read A in place).
     */
    @Test
    void rowMajorAReadInPlaceGivesThePackedBits() {
        Random rnd = new Random(21);
        int[] ms = {1, 4, 5, 11, 12, 13, 16, 20, 23, 24, 35, 128};
        int[][] nk = {{1, 3}, {17, 300}, {32, 784}, {33, 257}, {256, 784}, {512, 40}};
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int m : ms) {
                for (int[] sh : nk) {
                    int n = sh[0], k = sh[1];
                    boolean tb = rnd.nextBoolean(), acc = rnd.nextBoolean();
                    int lda = k + 1 + rnd.nextInt(3), ldb = tb ? k : n;
                    float[] a = random(rnd, m * lda), b = random(rnd, n * k), c0 = random(rnd, m * n);
                    float[] packedLayout = new float[m * 1024 * ((k + 1023) / 1024)];
                    int ldp = packedLayout.length / m;
                    for (int i = 0; i < m; i++) System.arraycopy(a, i * lda, packedLayout, i * ldp, k);
                    float[] inPlace = c0.clone(), packed = c0.clone();
                    Gemm.sgemm(false, tb, m, n, k, a, 0, lda, b, 0, ldb, inPlace, 0, n, acc);
                    Gemm.sgemm(false, tb, m, n, k, packedLayout, 0, ldp, b, 0, ldb, packed, 0, n, acc);
                    for (int x = 0; x < packed.length; x++) {
                        if (Float.floatToRawIntBits(inPlace[x]) != Float.floatToRawIntBits(packed[x])) {
                            fail(m + "x" + n + "x" + k + (tb ? " NT" : " NN") + (acc ? " +=" : "") + " on " + threads
                                    + " threads: A in place differs from A packed at " + x + ": " + inPlace[x] + " vs " + packed[x]);
                        }
                    }
                }
            }
        }
    }

    /**
     * A transposed B (stored n × k, as a Linear layer's weight) gives the bits of the same B
     * stored k × n: on 512-bit vectors its full slivers are transposed in registers for k-blocks
     * of {@link Gemm#TRANSPOSE_MIN_STEPS} steps or more, the rest by the scalar loop; k with a
     * tail of steps under 16, short final blocks, edge slivers, A either way, on 1 and 2 threads.
     */
    @Test
    void transposedBGivesTheBitsOfTheSameBStoredRowMajor() {
        Random rnd = new Random(22);
        int[][] shapes = {{1, 32, 64}, {13, 33, 70}, {128, 256, 784}, {12, 64, 300}, {40, 100, 257}, {7, 512, 128}, {128, 10, 784}};
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int[] sh : shapes) {
                int m = sh[0], n = sh[1], k = sh[2];
                for (boolean ta : new boolean[] {false, true}) {
                    float[] a = random(rnd, m * k), stored = random(rnd, n * k), rowMajor = new float[k * n];
                    for (int j = 0; j < n; j++) for (int p = 0; p < k; p++) rowMajor[p * n + j] = stored[j * k + p];
                    float[] viaT = new float[m * n], viaN = new float[m * n];
                    int lda = ta ? m : k;
                    Gemm.sgemm(ta, true, m, n, k, a, 0, lda, stored, 0, k, viaT, 0, n, false);
                    Gemm.sgemm(ta, false, m, n, k, a, 0, lda, rowMajor, 0, n, viaN, 0, n, false);
                    for (int x = 0; x < viaN.length; x++) {
                        if (Float.floatToRawIntBits(viaT[x]) != Float.floatToRawIntBits(viaN[x])) {
                            fail(m + "x" + n + "x" + k + (ta ? " T" : " N") + " on " + threads + " threads: B transposed differs from B row-major at "
                                    + x + ": " + viaT[x] + " vs " + viaN[x]);
                        }
                    }
                }
            }
        }
    }

    /**
     * A packed once ({@link Gemm#pack}) gives sgemm's bits: odd sizes, several k-blocks and
     * row blocks, row and column panels on 1 and 3 threads, both layouts of A and B, and an A
     * whose array changes after packing (the packed copy keeps the old values).
     */
    @Test
    void packedAGivesTheSameBits() {
        Random rnd = new Random(8);
        int[][] shapes = {{1, 1, 1}, {7, 33, 3}, {17, 5, 300}, {13, 15, 7}, {250, 40, 600}, {32, 196, 144}, {144, 196, 32}, {37, 300, 257}};
        for (int threads : new int[] {1, 3}) {
            Parallel.setThreads(threads);
            for (int[] sh : shapes) {
                for (int t = 0; t < 8; t++) {
                    Case cs = new Case(rnd, (t & 1) != 0, (t & 2) != 0, sh[0], sh[1], sh[2], (t & 4) != 0);
                    float[] want = cs.run();
                    Gemm.PackedA packed = Gemm.pack(cs.ta, cs.m, cs.k, cs.a, cs.aOff, cs.lda);
                    float[] a = cs.a.clone();
                    java.util.Arrays.fill(cs.a, Float.NaN);
                    float[] got = cs.c0.clone();
                    Gemm.sgemm(packed, cs.tb, cs.n, cs.b, cs.bOff, cs.ldb, got, cs.cOff, cs.ldc, cs.acc);
                    System.arraycopy(a, 0, cs.a, 0, a.length);
                    for (int x = 0; x < want.length; x++) {
                        if (Float.floatToRawIntBits(want[x]) != Float.floatToRawIntBits(got[x])) {
                            fail(cs.describe() + ", packed A, " + threads + " threads: array index " + x + " is " + got[x]
                                    + ", sgemm gives " + want[x]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void zeroSizes() {
        float[] c = {5, 5, 5, 5, 5, 5};
        // k == 0: the product is zero, so C is cleared, or kept when accumulating.
        Gemm.sgemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, c, 1, 3, true);
        assertArrayEquals(new float[] {5, 5, 5, 5, 5, 5}, c);
        Gemm.sgemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, c, 1, 3, false);
        assertArrayEquals(new float[] {5, 0, 0, 5, 0, 0}, c);
        // m == 0 or n == 0: nothing to write.
        float[] d = {7, 7};
        Gemm.sgemm(false, false, 0, 2, 3, new float[0], 0, 3, new float[6], 0, 2, d, 0, 2, false);
        Gemm.sgemm(false, false, 2, 0, 3, new float[6], 0, 3, new float[0], 0, 0, d, 0, 0, false);
        assertArrayEquals(new float[] {7, 7}, d);
    }

    @Test
    void smallExactProduct() {
        // [1 2 3; 4 5 6] · [1 0; 0 1; 1 1] = [4 5; 10 11]; exact in float32.
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = {1, 0, 0, 1, 1, 1};
        float[] c = new float[4];
        Gemm.sgemm(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, c, 0, 2, false);
        assertArrayEquals(new float[] {4, 5, 10, 11}, c);
        Gemm.sgemm(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, c, 0, 2, true);
        assertArrayEquals(new float[] {8, 10, 20, 22}, c);
        double[] cd = new double[4];
        ReferenceGemm.dgemm(false, false, 2, 2, 3, new double[] {1, 2, 3, 4, 5, 6}, 0, 3,
                new double[] {1, 0, 0, 1, 1, 1}, 0, 2, cd, 0, 2, false);
        assertArrayEquals(new double[] {4, 5, 10, 11}, cd);
    }

    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void rejectsBadArguments() {
        float[] a = new float[15], b = new float[15], c = new float[15];
        assertEquals("sgemm: lda 3 < k 5 for A not transposed",
                error(() -> Gemm.sgemm(false, false, 3, 3, 5, a, 0, 3, b, 0, 3, c, 0, 3, false)));
        assertEquals("sgemm: lda 2 < m 3 for A transposed",
                error(() -> Gemm.sgemm(true, false, 3, 3, 5, a, 0, 2, b, 0, 3, c, 0, 3, false)));
        assertEquals("sgemm: ldb 2 < n 3 for B not transposed",
                error(() -> Gemm.sgemm(false, false, 3, 3, 5, a, 0, 5, b, 0, 2, c, 0, 3, false)));
        assertEquals("sgemm: ldb 4 < k 5 for B transposed",
                error(() -> Gemm.sgemm(false, true, 3, 3, 5, a, 0, 5, b, 0, 4, c, 0, 3, false)));
        assertEquals("sgemm: ldc 2 < n 3 for C",
                error(() -> Gemm.sgemm(false, false, 3, 3, 5, a, 0, 5, b, 0, 3, c, 0, 2, false)));
        assertEquals("sgemm: negative size m -1, n 3, k 5",
                error(() -> Gemm.sgemm(false, false, -1, 3, 5, a, 0, 5, b, 0, 3, c, 0, 3, false)));
        assertEquals("sgemm: B offset -2 is negative",
                error(() -> Gemm.sgemm(false, false, 3, 3, 5, a, 0, 5, b, -2, 3, c, 0, 3, false)));
        // 3 rows of 5 with lda 5 at offset 1 need 16 elements.
        assertEquals("sgemm: A not transposed (3×5, lda 5, offset 1) needs 16 elements but its array has 15",
                error(() -> Gemm.sgemm(false, false, 3, 3, 5, a, 1, 5, b, 0, 3, c, 0, 3, false)));
        assertEquals("sgemm: C (3×3, ldc 6, offset 0) needs 15 elements but its array has 14",
                error(() -> Gemm.sgemm(false, false, 3, 3, 5, a, 0, 5, b, 0, 3, new float[14], 0, 6, false)));
        String msg = error(() -> Gemm.sgemm(false, true, 3, 3, 5, a, 0, 5, new float[10], 0, 5, c, 0, 3, false));
        assertTrue(msg.contains("B transposed") && msg.contains("needs 15"), msg);
    }
}
