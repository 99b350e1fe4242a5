package dev.lethe.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;


/**
 * The forward of a one-channel 3×3 convolution at stride 1 (the cnn's first layer) without
 * im2col columns and a GEMM: from the image zero-padded into a per-thread buffer, output row r
 * and pixels q … q + L of every output channel o are
 * <pre>
 *   y[o, r, q…] = (Σ_{t = 3i + j} w[o, t]·xp[r + i, q + j …]) + b[o]
 * </pre>
 * each tap one vector load of the padded row (shifted by j) and one fused multiply-add, the sum
 * started at 0 and taken in increasing t, then the bias added: the GEMM's products in the
 * GEMM's order (its k is C·kh·kw = 9, one k-block), on the same zero padding, so the bits are
 * the same ({@code ConvForwardPathsTest}).
 *
 * <p>Why: with one input channel the GEMM is O × oh·ow × 9 (16 × 784 × 9 for the cnn):
 * nine steps per micro-tile, the output channels padded from 16 to the kernel's 24 rows, and
 * the columns copied out first. Here the taps are read straight from the padded rows: the
 * cnn's conv1 forward on 128 images (JMH {@code ConvBench.conv1Forward}) 1.09–1.10 → 0.98–1.00
 * ms on one thread, 0.84–0.93 → 0.68–0.73 ms on two, its 6.4 MB output written either way.
 */
final class ShiftedRowsConv {
    private static final VectorSpecies<Float> F = Simd.F;
    private ShiftedRowsConv() {}

    /**
     * Whether this path computes s's forward: one input channel, a 3×3 kernel, stride 1, vectors
     * on (the shape measured; other kernels stay on the GEMM).
     */
    static boolean applies(ConvKernel.Shape s) {
        return Simd.ENABLED && s.c() == 1 && s.kh() == 3 && s.kw() == 3 && s.sh() == 1 && s.sw() == 1;
    }

    /**
     * Floats of s's padded image buffer: H + 2ph rows of W + 2pw, plus a vector of slack so that
     * the last row's shifted loads stay inside.
     */
    static int paddedLength(ConvKernel.Shape s) {
        return (s.h() + 2 * s.ph()) * (s.w() + 2 * s.pw()) + F.length();
    }

    /**
     * y_n [O, oh·ow] at y[yOff] for the image at x[xOff]; w [O, 3·3] from wOff, bias [O] from
     * bOff or null; xp is {@link #paddedLength} floats whose border entries are 0.
     */
    static void forwardImage(ConvKernel.Shape s, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
            float[] y, int yOff, float[] xp) {
        int h = s.h(), wd = s.w(), pw = wd + 2 * s.pw(), oh = s.oh(), ow = s.ow(), pix = oh * ow;
        for (int r = 0; r < h; r++) System.arraycopy(x, xOff + r * wd, xp, (r + s.ph()) * pw + s.pw(), wd);
        for (int r = 0; r < oh; r++) {
            for (int q = 0; q < ow; q += F.length()) {
                threeByThree(xp, r * pw + q, pw, s.o(), w, wOff, bias, bOff, y, yOff + r * ow + q, pix, F.indexInRange(q, ow));
            }
        }
    }

    /**
     * Pixels q … q + L of one output row for every channel: the nine shifted vectors are loaded
     * once (row {@code at} of xp and the two below it, shifted by 0, 1, 2) and each channel
     * takes its nine fused multiply-adds from them, t = 0 … 8; channel o goes to y[yo + o·pix].
     */
    private static void threeByThree(float[] xp, int at, int pw, int channels, float[] w, int wOff, float[] bias, int bOff,
            float[] y, int yo, int pix, VectorMask<Float> live) {
        FloatVector x0 = FloatVector.fromArray(F, xp, at), x1 = FloatVector.fromArray(F, xp, at + 1);
        FloatVector x2 = FloatVector.fromArray(F, xp, at + 2), x3 = FloatVector.fromArray(F, xp, at + pw);
        FloatVector x4 = FloatVector.fromArray(F, xp, at + pw + 1), x5 = FloatVector.fromArray(F, xp, at + pw + 2);
        FloatVector x6 = FloatVector.fromArray(F, xp, at + 2 * pw), x7 = FloatVector.fromArray(F, xp, at + 2 * pw + 1);
        FloatVector x8 = FloatVector.fromArray(F, xp, at + 2 * pw + 2);
        for (int o = 0, wo = wOff; o < channels; o++, wo += 9) {
            FloatVector acc = FloatVector.broadcast(F, w[wo]).fma(x0, FloatVector.zero(F));
            acc = FloatVector.broadcast(F, w[wo + 1]).fma(x1, acc);
            acc = FloatVector.broadcast(F, w[wo + 2]).fma(x2, acc);
            acc = FloatVector.broadcast(F, w[wo + 3]).fma(x3, acc);
            acc = FloatVector.broadcast(F, w[wo + 4]).fma(x4, acc);
            acc = FloatVector.broadcast(F, w[wo + 5]).fma(x5, acc);
            acc = FloatVector.broadcast(F, w[wo + 6]).fma(x6, acc);
            acc = FloatVector.broadcast(F, w[wo + 7]).fma(x7, acc);
            acc = FloatVector.broadcast(F, w[wo + 8]).fma(x8, acc);
            if (bias != null) acc = acc.add(bias[bOff + o]);
            acc.intoArray(y, yo + o * pix, live);
        }
    }
}
