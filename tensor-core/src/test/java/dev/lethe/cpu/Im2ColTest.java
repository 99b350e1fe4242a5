package dev.lethe.cpu;

import dev.lethe.backend.Backend;
import dev.lethe.backend.Backends;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.lethe.cpu.KernelDifferentialTest.wide;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The float32 unfold (im2col) and fold (col2im) of {@link CpuBackend} against the float64
 * reference on the same values. unfold only moves values, so it must be exact; fold adds each
 * pixel's contributions in the reference's order, and integer-valued inputs keep those sums
 * exact too, so any dropped, doubled or misplaced entry shows.
 */
@Tag("kernels")
class Im2ColTest {
    private static final Backend CPU = Backends.cpu();
    private static final Backend REF = Backends.reference();
    static final int[] HW = {1, 3, 7, 17, 28};
    static final int[][] KERNELS = {{1, 1}, {3, 3}, {2, 3}};

    @Test
    void unfoldAndFoldMatchTheReferenceOnOddShapes() {
        int cases = ConvShapes.forEach(HW, KERNELS, 2, 4000, 7, (seed, n, c, h, w, kh, kw, s, p) ->
                check(KernelDifferentialTest.smallInts(seed, n, c, h, w), kh, kw, s, s, p, p));
        assertTrue(cases > 200, "only " + cases + " shapes were checked");
    }

    @Test
    void mixedStridesAndPaddings() {
        check(KernelDifferentialTest.smallInts(3, 2, 3, 17, 7), 3, 2, 2, 1, 0, 2);
        check(KernelDifferentialTest.smallInts(4, 2, 3, 7, 17), 2, 3, 1, 2, 2, 1);
    }

    @Test
    void nonContiguousInputs() {
        // A permuted image and a transposed, narrowed column matrix.
        Tensor x = KernelDifferentialTest.smallInts(5, 3, 7, 17, 16).permute(0, 3, 1, 2);
        check(x, 3, 3, 1, 1, 1, 1);
        Tensor cols = KernelDifferentialTest.smallInts(6, 2, 8 * 7, 3 * 3 * 2).transpose(1, 2).narrow(2, 3, 7 * 7);
        int[] shape = {2, 2, 7, 7};
        assertEquals(REF.fold(wide(cols), shape, 3, 3, 1, 1, 1, 1).toDoubleArray().length, 2 * 2 * 7 * 7);
        assertArrayEquals(REF.fold(wide(cols), shape, 3, 3, 1, 1, 1, 1).toDoubleArray(),
                CPU.fold(cols, shape, 3, 3, 1, 1, 1, 1).toDoubleArray());
    }

    @Test
    void largeInputRunsInParallelChunksWithTheSameBits() {
        Tensor x = Tensor.randn(8, DType.FLOAT32, 8, 16, 28, 28);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Tensor cols1 = CPU.unfold(x, 3, 3, 1, 1, 1, 1);
            float[] fold1 = CPU.fold(cols1, x.shape(), 3, 3, 1, 1, 1, 1).toFloatArray();
            Parallel.setThreads(3);
            Tensor cols3 = CPU.unfold(x, 3, 3, 1, 1, 1, 1);
            assertArrayEquals(cols1.toFloatArray(), cols3.toFloatArray());
            assertArrayEquals(fold1, CPU.fold(cols3, x.shape(), 3, 3, 1, 1, 1, 1).toFloatArray());
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void scratchFoldGivesThePerLineFoldsBitsOnRandomFloats() {
        // foldPlane (columns as scratch: same-size windows at stride 1 go as blocks) against
        // fold (the caller's columns: a run per line), on random floats, where the order of
        // each pixel's additions decides its bits.
        java.util.Random rnd = new java.util.Random(5);
        int[][] geometries = {{3, 1}, {5, 2}, {1, 0}, {3, 0}, {2, 1}};
        for (int[] g : geometries)
            for (int h : new int[] {1, 3, 7, 14, 28})
                for (int w : new int[] {1, 2, 7, 14, 17}) {
                    int k = g[0], p = g[1], c = 3;
                    int oh = h + 2 * p - k + 1, ow = w + 2 * p - k + 1;
                    if (oh < 1 || ow < 1) continue;
                    int per = k * k * oh * ow;
                    float[] cols = new float[c * per];
                    for (int i = 0; i < cols.length; i++) cols[i] = (float) rnd.nextGaussian();
                    float[] want = new float[c * h * w], got = new float[c * h * w];
                    Im2Col.fold(cols, 0, c, h, w, k, k, 1, 1, p, p, want);
                    float[] scratch = cols.clone();
                    for (int plane = 0; plane < c; plane++) Im2Col.foldPlane(scratch, plane * per, oh * ow, h, w, k, k, 1, 1, p, p, got, plane * h * w);
                    String what = h + "×" + w + " k " + k + " p " + p;
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), what + " pixel " + i);
                    }
                }
    }

    /** unfold of x and fold of its columns, float32 CPU vs float64 reference, exactly. */
    private static void check(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        String what = java.util.Arrays.toString(x.shape()) + " k " + kh + "×" + kw + " s " + sh + "×" + sw + " p " + ph + "×" + pw;
        Tensor want = REF.unfold(wide(x), kh, kw, sh, sw, ph, pw);
        Tensor got = CPU.unfold(x, kh, kw, sh, sw, ph, pw);
        assertEquals(DType.FLOAT32, got.dtype(), what);
        assertArrayEquals(want.shape(), got.shape(), what);
        assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), "unfold " + what);
        assertArrayEquals(REF.fold(want, x.shape(), kh, kw, sh, sw, ph, pw).toDoubleArray(),
                CPU.fold(got, x.shape(), kh, kw, sh, sw, ph, pw).toDoubleArray(), "fold " + what);
    }
}
