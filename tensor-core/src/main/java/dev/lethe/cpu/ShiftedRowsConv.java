package dev.lethe.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;


/**
 * The forward of a one-channel 3×3 convolution at stride 1 (the cnn's first layer), and the
 * weight gradient of any 3×3 convolution at stride 1, without im2col columns and a GEMM: from
 * the image zero-padded into a per-thread buffer, output row r and pixels q … q + L of every
 * output channel o are
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
 *
 * <p>The weight gradient of one image, {@link #weightGradientImage}, is the same taps the other
 * way round, vectorised across output channels instead of pixels, for each input channel c:
 * <pre>
 *   ∂W[c, t = 3i + j, o…] = Σ_p ∂y[p, o…]·xp[c; r + i, q + j]     (p = r·ow + q)
 * </pre>
 * from ∂y laid out channels-last, [oh·ow, O], so that one load gives L channels of a pixel and
 * each tap is one broadcast of the padded image and one fused multiply-add. The GEMM it
 * replaces (∂y_n·cols_nᵀ, 16 × 9 × 784 for the cnn) pads its 9 columns to a micro-tile of 32
 * and packs the transposed columns first.
 */
final class ShiftedRowsConv {
    private static final VectorSpecies<Float> F = Simd.F;
    /**
     * Whether {@link #weightGradientImage} takes two vectors of output channels per pass over
     * the pixels, so each broadcast of the image feeds two fused multiply-adds: 18 accumulators,
     * which need 512-bit code's 32 vector registers (AVX2 has 16). The cnn's conv2 ∂W (16 → 32
     * channels on 14×14) took 9.5–10.1 µs per image this way against 15.2–15.8 µs one vector at a
     * time, and its conv1 (one vector of 16 channels, through the same loop) 1.66–1.73 µs against
     * 1.85 µs (session 19, a probe alternating the two loops; the same bits). At 256 bits, where
     * this is off, conv2's took 25–28 µs with either loop.
     */
    private static final boolean PAIRS = F.length() >= 16;
    private ShiftedRowsConv() {}

    /**
     * Whether this path computes s's forward: one input channel, a 3×3 kernel, stride 1, vectors
     * on (the shape measured; other kernels stay on the GEMM).
     */
    static boolean applies(ConvKernel.Shape s) {
        return s.c() == 1 && weightGradientApplies(s);
    }

    /**
     * Whether {@link #weightGradientImage} computes s's ∂W: a 3×3 kernel at stride 1, any
     * number of input channels, vectors on.
     */
    static boolean weightGradientApplies(ConvKernel.Shape s) {
        return Simd.ENABLED && s.kh() == 3 && s.kw() == 3 && s.sh() == 1 && s.sw() == 1;
    }

    /**
     * Floats of s's padded image buffer: per channel H + 2ph rows of W + 2pw, plus a vector of
     * slack so that the last row's shifted loads stay inside.
     */
    static int paddedLength(ConvKernel.Shape s) {
        return s.c() * paddedPlane(s) + F.length();
    }

    /** Floats of one padded channel: H + 2ph rows of W + 2pw. */
    static int paddedPlane(ConvKernel.Shape s) {
        return (s.h() + 2 * s.ph()) * (s.w() + 2 * s.pw());
    }

    /**
     * y_n [O, oh·ow] at y[yOff] for the image at x[xOff]; w [O, 3·3] from wOff, bias [O] from
     * bOff or null; xp is {@link #paddedLength} floats whose border entries are 0.
     */
    static void forwardImage(ConvKernel.Shape s, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
            float[] y, int yOff, float[] xp) {
        int pw = s.w() + 2 * s.pw(), oh = s.oh(), ow = s.ow(), pix = oh * ow;
        pad(s, x, xOff, xp);
        for (int r = 0; r < oh; r++) {
            for (int q = 0; q < ow; q += F.length()) {
                threeByThree(xp, r * pw + q, pw, s.o(), w, wOff, bias, bOff, y, yOff + r * ow + q, pix, Math.min(F.length(), ow - q));
            }
        }
    }

    /**
     * Copies the image at x[xOff] (its C channels) into the inside of xp, whose border entries
     * stay 0. Rows of at most a vector go by one masked load and store each: the cnn's conv2
     * has 224 rows of 14 floats an image, and a call to System.arraycopy per row took 5 % of a
     * one-thread step (session 22, JFR).
     */
    static void pad(ConvKernel.Shape s, float[] x, int xOff, float[] xp) {
        int wd = s.w(), pw = wd + 2 * s.pw(), pp = paddedPlane(s);
        VectorMask<Float> row = Simd.ENABLED && wd <= F.length() ? F.indexInRange(0, wd) : null;
        for (int c = 0; c < s.c(); c++) {
            for (int r = 0; r < s.h(); r++) {
                int from = xOff + (c * s.h() + r) * wd, to = c * pp + (r + s.ph()) * pw + s.pw();
                if (row != null) FloatVector.fromArray(F, x, from, row).intoArray(xp, to, row);
                else System.arraycopy(x, from, xp, to, wd);
            }
        }
    }

    /**
     * One image's ∂W, channels-last: partial[at + (ch·9 + t)·O + o] for input channel ch, tap
     * t = 3i + j and output channel o gets Σ_p dy[p·O + o]·xp[ch; r + i, q + j] (p = r·ow + q;
     * dy is ∂y_n channels-last, [oh·ow, O]; xp the image as {@link #pad} leaves it). The sum is
     * the GEMM's ({@code ConvKernel}'s ∂y_n·cols_nᵀ, or ∂y_n·patches_n): p in blocks of {@link
     * Gemm#KC}, each block's products summed from 0 in increasing p with fused multiply-adds,
     * then added to the partial, or stored into it for the first block when {@code accumulate}
     * is false. So the bits are the GEMM's. Where {@link #weightGradientApplies}.
     */
    static void weightGradientImage(ConvKernel.Shape s, float[] dy, float[] xp, float[] partial, int at, boolean accumulate) {
        // One method with the whole loop nest and no masks: the same loop with a masked load, in
        // a helper called per input channel, ran 25× slower in some JMH forks (C1 cannot compile
        // it, "out of virtual registers", and C2's version fell back to the boxed Vector API).
        int o = s.o(), ow = s.ow(), pix = s.pixels(), pw = s.w() + 2 * s.pw(), pp = paddedPlane(s), L = F.length();
        int vectors = o - o % L;
        for (int ch = 0; ch < s.c(); ch++) {
            int pa = at + ch * 9 * o;
            for (int c = 0, step; c < vectors; c += step) {
                // Two vectors of channels share each pixel's nine broadcasts where 18 accumulators
                // fit in registers (see PAIRS); u0 … u8 are the second vector's.
                boolean two = PAIRS && c + 2 * L <= vectors;
                step = two ? 2 * L : L;
                for (int p0 = 0; p0 < pix; p0 += Gemm.KC) {
                    int p1 = Math.min(pix, p0 + Gemm.KC), q = p0 % ow, x = ch * pp + (p0 / ow) * pw + q;
                    FloatVector t0 = FloatVector.zero(F), t1 = t0, t2 = t0, t3 = t0, t4 = t0, t5 = t0, t6 = t0, t7 = t0, t8 = t0;
                    FloatVector u0 = t0, u1 = t0, u2 = t0, u3 = t0, u4 = t0, u5 = t0, u6 = t0, u7 = t0, u8 = t0;
                    for (int p = p0; p < p1; p++) {
                        FloatVector b0 = FloatVector.broadcast(F, xp[x]), b1 = FloatVector.broadcast(F, xp[x + 1]);
                        FloatVector b2 = FloatVector.broadcast(F, xp[x + 2]), b3 = FloatVector.broadcast(F, xp[x + pw]);
                        FloatVector b4 = FloatVector.broadcast(F, xp[x + pw + 1]), b5 = FloatVector.broadcast(F, xp[x + pw + 2]);
                        FloatVector b6 = FloatVector.broadcast(F, xp[x + 2 * pw]), b7 = FloatVector.broadcast(F, xp[x + 2 * pw + 1]);
                        FloatVector b8 = FloatVector.broadcast(F, xp[x + 2 * pw + 2]);
                        FloatVector g = FloatVector.fromArray(F, dy, p * o + c);
                        t0 = g.fma(b0, t0); t1 = g.fma(b1, t1); t2 = g.fma(b2, t2); t3 = g.fma(b3, t3); t4 = g.fma(b4, t4);
                        t5 = g.fma(b5, t5); t6 = g.fma(b6, t6); t7 = g.fma(b7, t7); t8 = g.fma(b8, t8);
                        if (two) {
                            FloatVector h = FloatVector.fromArray(F, dy, p * o + c + L);
                            u0 = h.fma(b0, u0); u1 = h.fma(b1, u1); u2 = h.fma(b2, u2); u3 = h.fma(b3, u3); u4 = h.fma(b4, u4);
                            u5 = h.fma(b5, u5); u6 = h.fma(b6, u6); u7 = h.fma(b7, u7); u8 = h.fma(b8, u8);
                        }
                        // The next pixel: one to the right, or the start of the next output row.
                        if (++q == ow) {
                            q = 0;
                            x += pw - ow + 1;
                        } else {
                            x++;
                        }
                    }
                    // Written out here, not passed to a helper: a vector crossing a call C2 does not inline is boxed.
                    for (int v = 0; v < (two ? 2 : 1); v++) {
                        boolean first = v == 0;
                        FloatVector a0 = first ? t0 : u0, a1 = first ? t1 : u1, a2 = first ? t2 : u2;
                        FloatVector a3 = first ? t3 : u3, a4 = first ? t4 : u4, a5 = first ? t5 : u5;
                        FloatVector a6 = first ? t6 : u6, a7 = first ? t7 : u7, a8 = first ? t8 : u8;
                        int d = pa + c + v * L;
                        if (accumulate || p0 > 0) {
                            a0 = a0.add(FloatVector.fromArray(F, partial, d));
                            a1 = a1.add(FloatVector.fromArray(F, partial, d + o));
                            a2 = a2.add(FloatVector.fromArray(F, partial, d + 2 * o));
                            a3 = a3.add(FloatVector.fromArray(F, partial, d + 3 * o));
                            a4 = a4.add(FloatVector.fromArray(F, partial, d + 4 * o));
                            a5 = a5.add(FloatVector.fromArray(F, partial, d + 5 * o));
                            a6 = a6.add(FloatVector.fromArray(F, partial, d + 6 * o));
                            a7 = a7.add(FloatVector.fromArray(F, partial, d + 7 * o));
                            a8 = a8.add(FloatVector.fromArray(F, partial, d + 8 * o));
                        }
                        a0.intoArray(partial, d);
                        a1.intoArray(partial, d + o);
                        a2.intoArray(partial, d + 2 * o);
                        a3.intoArray(partial, d + 3 * o);
                        a4.intoArray(partial, d + 4 * o);
                        a5.intoArray(partial, d + 5 * o);
                        a6.intoArray(partial, d + 6 * o);
                        a7.intoArray(partial, d + 7 * o);
                        a8.intoArray(partial, d + 8 * o);
                    }
                }
            }
            for (int c = vectors; c < o; c++) weightGradientOne(s, dy, xp, ch * pp, c, partial, pa + c, accumulate);
        }
    }

    /**
     * Output channel c of {@link #weightGradientImage} for the input channel whose padded plane is
     * at xp[xc], scalar: the same fused multiply-adds in the same order as a vector lane.
     */
    private static void weightGradientOne(ConvKernel.Shape s, float[] dy, float[] xp, int xc, int c, float[] partial, int d,
            boolean accumulate) {
        int o = s.o(), ow = s.ow(), pix = s.pixels(), pw = s.w() + 2 * s.pw();
        int[] tap = {0, 1, 2, pw, pw + 1, pw + 2, 2 * pw, 2 * pw + 1, 2 * pw + 2};
        for (int p0 = 0; p0 < pix; p0 += Gemm.KC) {
            int p1 = Math.min(pix, p0 + Gemm.KC);
            for (int t = 0; t < 9; t++) {
                float sum = 0f;
                for (int p = p0, q = p0 % ow, x = xc + (p0 / ow) * pw + q; p < p1; p++) {
                    sum = Math.fma(dy[p * o + c], xp[x + tap[t]], sum);
                    if (++q == ow) {
                        q = 0;
                        x += pw - ow + 1;
                    } else {
                        x++;
                    }
                }
                int at = d + t * o;
                partial[at] = accumulate || p0 > 0 ? sum + partial[at] : sum;
            }
        }
    }

    /**
     * Pixels q … q + L of one output row for every channel: the nine shifted vectors are loaded
     * once (row {@code at} of xp and the two below it, shifted by 0, 1, 2) and each channel
     * takes its nine fused multiply-adds from them, t = 0 … 8; channel o goes to y[yo + o·pix],
     * its first {@code lanes} lanes. C2 does not inline this method (too big), so the store mask
     * is made here and not passed in: a mask crossing the call was boxed, and in some JITs the
     * masked store then fell off the intrinsic (session 22, a probe of the cnn's conv1 on 128
     * images, one thread: 1.34–1.90 ms against 0.35–0.62 ms with the mask made here).
     */
    private static void threeByThree(float[] xp, int at, int pw, int channels, float[] w, int wOff, float[] bias, int bOff,
            float[] y, int yo, int pix, int lanes) {
        VectorMask<Float> live = F.indexInRange(0, lanes);
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
