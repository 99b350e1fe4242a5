package dev.lethe.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward of a stride-1 convolution with several input channels (the cnn's conv2) from
 * shifted rows of the zero-padded image, without im2col columns: at stride 1 the column of
 * output pixel (r, q) for tap k = (c, i, j) is the padded image's pixel (c; r + i, q + j), so
 * L consecutive pixels of an output row read L consecutive floats of a padded row, shifted by
 * {@code taps[k]} = c·pp + i·pw + j (pw the padded width, pp the padded plane). Then
 * <pre>
 *   y[o, r, q…] = b[o] + Σ_k W[o, k]·xp[(r·pw + q) + taps[k] …]     (k in increasing order)
 * </pre>
 * each term one fused multiply-add of a broadcast weight and a shifted row, the sum started at
 * 0 and the bias added last: {@link ConvKernel}'s GEMM y_n = b + W·cols_n element by element
 * (its k = C·kh·kw is one k-block up to {@link Gemm#KC}; more are summed block by block, as
 * there), on the same zero padding, so the bits are the same ({@code ConvForwardPathsTest}).
 *
 * <p>Work goes in tiles of {@value #POSITIONS} output vectors (a vector: L pixels of one
 * output row, the row's last one masked) by {@value #CHANNELS} output channels: per tap, seven
 * shifted loads and three broadcasts feed 21 fused multiply-adds, whose accumulators stay in
 * registers for the whole sum (21 + 7 + 1 of the 32 vector registers 512-bit code has; so this
 * path is 512-bit only). The GEMM it replaces first copied the image's columns out (C·kh·kw ×
 * oh·ow floats, 113 KB a cnn image), then packed them again. The cnn's conv2 forward on 128
 * images, one thread: 2.1–2.7 ms (columns and GEMM) → 1.7–1.8 ms (session 22, a probe
 * alternating the two).
 *
 * <p>{@link ShiftedRowsInputGradient}'s tile has the same shape (seven loads and three
 * broadcasts a step) over other operands; each keeps its own copy of the loop because the 21
 * sums must stay in registers through its own epilogue, and a vector that crosses a call C2
 * does not inline is boxed.
 */
final class ShiftedRowsForward {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    /** Output vectors per tile. */
    static final int POSITIONS = 7;
    /** Output channels per tile. */
    static final int CHANNELS = 3;

    private ShiftedRowsForward() {}

    /**
     * Whether this path computes s's forward: stride 1 both ways, more than one input channel
     * (one channel and 3×3 is {@link ShiftedRowsConv}'s), 512-bit vectors.
     */
    static boolean applies(ConvKernel.Shape s) {
        return Simd.ENABLED && L >= 16 && s.sh() == 1 && s.sw() == 1 && s.c() > 1;
    }

    /**
     * What every image of one call shares: the output vectors (where each reads the padded
     * image, where it writes y_n, how many lanes it keeps), padded to whole tiles by repeating
     * the last vector ({@code vectors} are real: a repeat computes the last one again, and is not
     * stored); each tap's shift; W packed per group of {@value #CHANNELS} output channels,
     * [group][k][CHANNELS], 0 for channels past O.
     */
    record Plan(int vectors, int[] reads, int[] writes, int[] lanes, int[] taps, float[] weights) {}

    /** The plan for s with W [O, C·kh·kw] at w[wOff]. */
    static Plan plan(ConvKernel.Shape s, float[] w, int wOff) {
        int oh = s.oh(), ow = s.ow(), pw = s.w() + 2 * s.pw(), pp = ShiftedRowsConv.paddedPlane(s);
        int perRow = (ow + L - 1) / L, vectors = oh * perRow, padded = Gemm.roundUp(vectors, POSITIONS);
        int[] reads = new int[padded], writes = new int[padded], lanes = new int[padded];
        for (int v = 0; v < padded; v++) {
            int u = Math.min(v, vectors - 1), r = u / perRow, q = (u % perRow) * L;
            reads[v] = r * pw + q;
            writes[v] = r * ow + q;
            lanes[v] = Math.min(L, ow - q);
        }
        int k = s.rows(), kk = s.kh() * s.kw();
        int[] taps = new int[k];
        for (int c = 0; c < s.c(); c++) {
            for (int i = 0; i < s.kh(); i++) {
                for (int j = 0; j < s.kw(); j++) taps[c * kk + i * s.kw() + j] = c * pp + i * pw + j;
            }
        }
        float[] packed = new float[groups(s) * k * CHANNELS];
        for (int o = 0; o < s.o(); o++) {
            for (int t = 0; t < k; t++) packed[((o / CHANNELS) * k + t) * CHANNELS + o % CHANNELS] = w[wOff + o * k + t];
        }
        return new Plan(vectors, reads, writes, lanes, taps, packed);
    }

    /** Tiles of output channels: ⌈O / {@value #CHANNELS}⌉. */
    private static int groups(ConvKernel.Shape s) {
        return (s.o() + CHANNELS - 1) / CHANNELS;
    }

    /**
     * y_n [O, oh·ow] at y[yOff] for the image at x[xOff], bias [O] from bOff or null; xp is
     * {@link ShiftedRowsConv#paddedLength} floats whose border entries are 0.
     */
    static void image(ConvKernel.Shape s, Plan p, float[] x, int xOff, float[] bias, int bOff, float[] y, int yOff, float[] xp) {
        ShiftedRowsConv.pad(s, x, xOff, xp);
        int k = s.rows(), pix = s.pixels();
        for (int g = 0; g < groups(s); g++) {
            for (int v = 0; v < p.reads().length; v += POSITIONS) {
                for (int k0 = 0; k0 < k; k0 += Gemm.KC) {
                    tile(s, p, xp, v, g, k0, Math.min(k, k0 + Gemm.KC), bias, bOff, y, yOff, pix);
                }
            }
        }
    }

    /**
     * One tile's sums over taps [k0, k1): vectors v … v + 6 by channels 3g … 3g + 2. The first
     * k-block's sums go to y (with the bias added, when there is one), later blocks' are added
     * to what y holds, as the GEMM merges its k-blocks.
     */
    private static void tile(ConvKernel.Shape s, Plan p, float[] xp, int v, int g, int k0, int k1, float[] bias, int bOff,
            float[] y, int yOff, int pix) {
        int[] reads = p.reads(), taps = p.taps();
        float[] wp = p.weights();
        int r0 = reads[v], r1 = reads[v + 1], r2 = reads[v + 2], r3 = reads[v + 3], r4 = reads[v + 4], r5 = reads[v + 5];
        int r6 = reads[v + 6], k = s.rows();
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0;
        FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0, c4 = a0, c5 = a0, c6 = a0;
        for (int t = k0, wi = (g * k + k0) * CHANNELS; t < k1; t++, wi += CHANNELS) {
            int shift = taps[t];
            FloatVector wa = FloatVector.broadcast(F, wp[wi]), wb = FloatVector.broadcast(F, wp[wi + 1]);
            FloatVector wc = FloatVector.broadcast(F, wp[wi + 2]);
            FloatVector x = FloatVector.fromArray(F, xp, r0 + shift);
            a0 = wa.fma(x, a0); b0 = wb.fma(x, b0); c0 = wc.fma(x, c0);
            x = FloatVector.fromArray(F, xp, r1 + shift);
            a1 = wa.fma(x, a1); b1 = wb.fma(x, b1); c1 = wc.fma(x, c1);
            x = FloatVector.fromArray(F, xp, r2 + shift);
            a2 = wa.fma(x, a2); b2 = wb.fma(x, b2); c2 = wc.fma(x, c2);
            x = FloatVector.fromArray(F, xp, r3 + shift);
            a3 = wa.fma(x, a3); b3 = wb.fma(x, b3); c3 = wc.fma(x, c3);
            x = FloatVector.fromArray(F, xp, r4 + shift);
            a4 = wa.fma(x, a4); b4 = wb.fma(x, b4); c4 = wc.fma(x, c4);
            x = FloatVector.fromArray(F, xp, r5 + shift);
            a5 = wa.fma(x, a5); b5 = wb.fma(x, b5); c5 = wc.fma(x, c5);
            x = FloatVector.fromArray(F, xp, r6 + shift);
            a6 = wa.fma(x, a6); b6 = wb.fma(x, b6); c6 = wc.fma(x, c6);
        }
        // Written out, not passed to a helper: a vector crossing a call C2 does not inline is boxed.
        int[] writes = p.writes(), lanes = p.lanes();
        boolean first = k0 == 0;
        for (int u = 0; u < CHANNELS; u++) {
            int o = g * CHANNELS + u;
            if (o >= s.o()) break;
            FloatVector s0 = u == 0 ? a0 : u == 1 ? b0 : c0, s1 = u == 0 ? a1 : u == 1 ? b1 : c1;
            FloatVector s2 = u == 0 ? a2 : u == 1 ? b2 : c2, s3 = u == 0 ? a3 : u == 1 ? b3 : c3;
            FloatVector s4 = u == 0 ? a4 : u == 1 ? b4 : c4, s5 = u == 0 ? a5 : u == 1 ? b5 : c5;
            FloatVector s6 = u == 0 ? a6 : u == 1 ? b6 : c6;
            int base = yOff + o * pix;
            float b = bias == null ? 0f : bias[bOff + o];
            for (int q = 0; q < POSITIONS && v + q < p.vectors(); q++) {
                FloatVector sum = q == 0 ? s0 : q == 1 ? s1 : q == 2 ? s2 : q == 3 ? s3 : q == 4 ? s4 : q == 5 ? s5 : s6;
                int at = base + writes[v + q];
                VectorMask<Float> live = F.indexInRange(0, lanes[v + q]);
                if (!first) sum = sum.add(FloatVector.fromArray(F, y, at, live));
                else if (bias != null) sum = sum.add(b);
                sum.intoArray(y, at, live);
            }
        }
    }
}
