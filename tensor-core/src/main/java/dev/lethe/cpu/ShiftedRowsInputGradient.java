package dev.lethe.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * ∂x of a stride-1 convolution whose padded rows fit one vector (W + 2pw ≤ L: the cnn's conv2,
 * 14 + 2 = 16 lanes at 512 bits) from shifted rows, without the columns ∂cols = Wᵀ·∂y and
 * their fold. For input channel c, kernel row i and tap j, ∂y's output row r gives
 * <pre>
 *   D[c, i, j; r, m] = Σ_o W[o, c, i, j]·∂y[o, r, m]             (o in increasing order)
 *   ∂xp[c; r + i, m + j] += D[c, i, j; r, m]                     (taps (i, j) in increasing order)
 * </pre>
 * where ∂xp is ∂x zero-padded (pixel (y, x) at (y + ph, x + pw)) and its border is dropped at
 * the end. D is {@link ConvKernel}'s ∂cols row (c, i, j), one GEMM sum over o from 0 (O is at
 * most one k-block, {@link Gemm#KC}), and the fold ({@link Im2Col#foldPlane}) adds the rows
 * to ∂x in the same (i, j) order, so the bits are the same ({@code
 * ShiftedRowsInputGradientTest}). D's lanes m ≥ ow, which belong to no output pixel, are set
 * to +0.0 before they are added (whatever ∂y holds there, and with infinite weights too),
 * and adding +0.0 leaves a sum that started at +0.0 as it is.
 *
 * <p>Each output row is one vector: ∂y comes laid out [O, oh, L] ({@link #gradientLength}),
 * lanes past ow unread in effect. Work goes in tiles of {@value #ROWS} output rows by {@value #TAPS}
 * taps of one kernel row: per output channel, seven row loads and three broadcasts feed 21
 * fused multiply-adds, the accumulators in registers for the whole sum. Each row's three D
 * then go into ∂xp's row r + i by one load, three adds of D shifted by j lanes ({@code
 * unslice}, zeros shifted in) and one store: a tile writes distinct rows of ∂xp, and kernel
 * row i's tiles all run before row i + 1's, so each pixel gets its taps in (i, j) order.
 *
 * <p>The GEMM it replaces has k = O = 32 for the cnn, so each micro-tile's sums were short
 * next to their stores, and the 113 KB of ∂cols an image then went through the fold. The
 * cnn's conv2 ∂x on 128 images, one thread: 2.7–3.0 ms (GEMM and fold) → 1.8 ms (session 22,
 * a probe alternating the two); its training step 12–15 % shorter with this and {@link
 * ShiftedRowsForward}.
 */
final class ShiftedRowsInputGradient {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    /** Output rows per tile. */
    static final int ROWS = 7;
    /** Taps of one kernel row per tile. */
    static final int TAPS = 3;

    private ShiftedRowsInputGradient() {}

    /**
     * Whether this path computes s's ∂x: stride 1, a padded row W + 2pw within one vector, O
     * within one k-block, 512-bit vectors (21 accumulators, 7 rows and a broadcast take 29 of
     * the 32 vector registers).
     */
    static boolean applies(ConvKernel.Shape s) {
        return Simd.ENABLED && L >= 16 && s.sh() == 1 && s.sw() == 1 && s.w() + 2 * s.pw() <= L && s.o() <= Gemm.KC;
    }

    /** Floats of one image's ∂y laid out for {@link #image}: [O, oh, L]. */
    static int gradientLength(ConvKernel.Shape s) {
        return s.o() * s.oh() * L;
    }

    /** Where output pixel p = r·ow + m of plane q sits in that layout. */
    static int gradientIndex(ConvKernel.Shape s, int q, int p) {
        return (q * s.oh() + p / s.ow()) * L + p % s.ow();
    }

    /** Floats of one padded channel of ∂x, H + 2ph rows of L: {@link #image}'s scratch. */
    static int scratchLength(ConvKernel.Shape s) {
        return (s.h() + 2 * s.ph()) * L;
    }

    /** Each thread's ∂y_n in the layout, and its padded channel of ∂x. */
    private static final ThreadFloats GRADIENT = new ThreadFloats(), SCRATCH = new ThreadFloats();

    /** This thread's buffer for one image's ∂y in the layout, {@link #gradientLength} floats, any contents. */
    static float[] gradientBuffer(ConvKernel.Shape s) {
        return GRADIENT.atLeast(gradientLength(s));
    }

    /**
     * dst (the layout, lanes past ow untouched) ← ∂y_n at g[gOff], [O, oh·ow] or, {@code
     * channelsLast}, [oh·ow, O].
     */
    static void layOut(ConvKernel.Shape s, float[] g, int gOff, boolean channelsLast, float[] dst) {
        int o = s.o(), oh = s.oh(), ow = s.ow(), pix = oh * ow;
        for (int q = 0; q < o; q++) {
            for (int r = 0; r < oh; r++) {
                int to = (q * oh + r) * L;
                if (!channelsLast) {
                    System.arraycopy(g, gOff + q * pix + r * ow, dst, to, ow);
                } else {
                    for (int m = 0, from = gOff + r * ow * o + q; m < ow; m++, from += o) dst[to + m] = g[from];
                }
            }
        }
    }

    /**
     * Where each output pixel p = r·ow + m of a plane sits in the layout, plane 0: r·L + m (plane
     * q's at q·oh·L more).
     */
    static int[] pixelMap(ConvKernel.Shape s) {
        int[] map = new int[s.pixels()];
        for (int p = 0; p < map.length; p++) map[p] = gradientIndex(s, 0, p);
        return map;
    }

    /** W [O, C·kh·kw] from wOff packed [c][i][group of TAPS taps][o][TAPS], 0 for taps past kw. */
    static float[] pack(ConvKernel.Shape s, float[] w, int wOff) {
        int o = s.o(), kh = s.kh(), kw = s.kw(), groups = groups(s), k = s.rows();
        float[] packed = new float[s.c() * kh * groups * o * TAPS];
        for (int q = 0; q < o; q++) {
            for (int c = 0; c < s.c(); c++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        int at = (((c * kh + i) * groups + j / TAPS) * o + q) * TAPS + j % TAPS;
                        packed[at] = w[wOff + q * k + (c * kh + i) * kw + j];
                    }
                }
            }
        }
        return packed;
    }

    private static int groups(ConvKernel.Shape s) {
        return (s.kw() + TAPS - 1) / TAPS;
    }

    /**
     * ∂x_n [C, H, W] at dx[dxOff] ← the image's ∂x for ∂y_n laid out [O, oh, L] at dy[0] and W
     * packed by {@link #pack}; the values are stored, not added.
     */
    static void image(ConvKernel.Shape s, float[] packed, float[] dy, float[] dx, int dxOff) {
        int h = s.h(), w = s.w(), len = scratchLength(s);
        float[] scratch = SCRATCH.atLeast(len);
        for (int c = 0; c < s.c(); c++) {
            Arrays.fill(scratch, 0, len, 0f);
            for (int i = 0; i < s.kh(); i++) {
                for (int g = 0; g < groups(s); g++) {
                    for (int r = 0; r < s.oh(); r += ROWS) tile(s, packed, dy, scratch, c, i, g, r);
                }
            }
            for (int y = 0; y < h; y++) System.arraycopy(scratch, (y + s.ph()) * L + s.pw(), dx, dxOff + (c * h + y) * w, w);
        }
    }

    /**
     * Output rows r0 … r0 + 6 (the last row repeated past oh, computed and not added) by taps
     * 3g … 3g + 2 of kernel row i, input channel c: their D summed over o, then added into
     * the scratch's rows r + i, shifted by j.
     */
    private static void tile(ConvKernel.Shape s, float[] packed, float[] dy, float[] dxp, int c, int i, int g, int r0) {
        int o = s.o(), oh = s.oh(), last = oh - 1, plane = oh * L;
        int y0 = Math.min(r0, last) * L, y1 = Math.min(r0 + 1, last) * L, y2 = Math.min(r0 + 2, last) * L;
        int y3 = Math.min(r0 + 3, last) * L, y4 = Math.min(r0 + 4, last) * L, y5 = Math.min(r0 + 5, last) * L;
        int y6 = Math.min(r0 + 6, last) * L;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0;
        FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0, c4 = a0, c5 = a0, c6 = a0;
        int wi = ((c * s.kh() + i) * groups(s) + g) * o * TAPS;
        for (int q = 0, d = 0; q < o; q++, d += plane, wi += TAPS) {
            FloatVector wa = FloatVector.broadcast(F, packed[wi]), wb = FloatVector.broadcast(F, packed[wi + 1]);
            FloatVector wc = FloatVector.broadcast(F, packed[wi + 2]);
            FloatVector x = FloatVector.fromArray(F, dy, d + y0);
            a0 = wa.fma(x, a0); b0 = wb.fma(x, b0); c0 = wc.fma(x, c0);
            x = FloatVector.fromArray(F, dy, d + y1);
            a1 = wa.fma(x, a1); b1 = wb.fma(x, b1); c1 = wc.fma(x, c1);
            x = FloatVector.fromArray(F, dy, d + y2);
            a2 = wa.fma(x, a2); b2 = wb.fma(x, b2); c2 = wc.fma(x, c2);
            x = FloatVector.fromArray(F, dy, d + y3);
            a3 = wa.fma(x, a3); b3 = wb.fma(x, b3); c3 = wc.fma(x, c3);
            x = FloatVector.fromArray(F, dy, d + y4);
            a4 = wa.fma(x, a4); b4 = wb.fma(x, b4); c4 = wc.fma(x, c4);
            x = FloatVector.fromArray(F, dy, d + y5);
            a5 = wa.fma(x, a5); b5 = wb.fma(x, b5); c5 = wc.fma(x, c5);
            x = FloatVector.fromArray(F, dy, d + y6);
            a6 = wa.fma(x, a6); b6 = wb.fma(x, b6); c6 = wc.fma(x, c6);
        }
        // Written out, not passed to a helper: a vector crossing a call C2 does not inline is boxed.
        int j = g * TAPS, taps = Math.min(TAPS, s.kw() - j);
        FloatVector zero = FloatVector.zero(F);
        VectorMask<Float> inside = F.indexInRange(0, s.ow());
        for (int q = 0; q < ROWS && r0 + q < oh; q++) {
            FloatVector da = zero.blend(q == 0 ? a0 : q == 1 ? a1 : q == 2 ? a2 : q == 3 ? a3 : q == 4 ? a4 : q == 5 ? a5 : a6, inside);
            FloatVector db = zero.blend(q == 0 ? b0 : q == 1 ? b1 : q == 2 ? b2 : q == 3 ? b3 : q == 4 ? b4 : q == 5 ? b5 : b6, inside);
            FloatVector dc = zero.blend(q == 0 ? c0 : q == 1 ? c1 : q == 2 ? c2 : q == 3 ? c3 : q == 4 ? c4 : q == 5 ? c5 : c6, inside);
            int at = (r0 + q + i) * L;
            FloatVector sum = FloatVector.fromArray(F, dxp, at).add(da.unslice(j));
            if (taps > 1) sum = sum.add(db.unslice(j + 1));
            if (taps > 2) sum = sum.add(dc.unslice(j + 2));
            sum.intoArray(dxp, at);
        }
    }
}
