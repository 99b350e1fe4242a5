package dev.lethe.cpu;

import dev.lethe.tensor.Shapes;

import java.util.Arrays;

/**
 * float32 conv2d forward and backward for x [N, C, H, W], w [O, C, kh, kw], y [N, O, oh, ow],
 * all contiguous, as per-image GEMMs over im2col columns that never leave a thread's cache.
 *
 * <p>For image n, cols_n [C·kh·kw, oh·ow] are its windows ({@link Im2Col#unfoldPlane}); then
 * <ul>
 * <li>forward: y_n = b·1ᵀ + W·cols_n, with W = w as [O, C·kh·kw] (y_n is filled with the bias,
 *     and the GEMM adds into it);
 * <li>∂x_n = fold(Wᵀ·∂y_n) (col2im, {@link Im2Col#foldPlane});
 * <li>∂W = Σ_n ∂y_n·cols_nᵀ, or the same sums as ∂y_n·patches_n ({@link Im2Row}) where that
 *     is faster ({@link #byPatches}).
 * </ul>
 * The columns live in a per-thread buffer, one image at a time, instead of a [N, C·kh·kw,
 * oh·ow] tensor: they are recomputed in the backward (a copy, cheap next to the GEMMs) so
 * nothing of that size is allocated, paged in or kept alive between the passes.
 *
 * <p>At stride 1 a column is a shifted row of the zero-padded image, and where the vectors
 * allow, the same sums are taken from the padded image without columns, with the same bits:
 * the forward by {@link ShiftedRowsConv} (one input channel, 3×3) or {@link
 * ShiftedRowsForward}, ∂x by {@link ShiftedRowsInputGradient}, a 3×3 kernel's ∂W by {@link
 * ShiftedRowsConv#weightGradientImage}. {@link ForwardPlan} and {@link InputGradientPlan} hold
 * the choice for one call.
 *
 * <p>Determinism: images are independent for y and ∂x, so any thread may take any image.
 * ∂W is a reduction over images: images are cut into fixed groups of {@value #GROUP} (whatever
 * the thread count); each group's partial sum is accumulated image by image in order, and
 * the partials are then added in group order. {@link Gemm} itself gives the same bits on any
 * thread, and here it always runs on the thread that owns the image. So y, ∂x and ∂W are
 * bitwise the same for every thread count.
 */
public final class ConvKernel {
    /** Images per ∂W partial sum: fixes the reduction order, so it must not follow the thread count. */
    static final int GROUP = 8;
    /** About this many multiply-adds per parallel chunk of the forward and ∂x. */
    private static final long GRAIN = 1L << 20;

    /** Per-thread scratch: columns (with the geometry their zero padding was laid out for) and ∂columns. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private ConvKernel() {}

    /**
     * The sizes of one convolution.
     *
     * @param n  images
     * @param c  input channels
     * @param h  input height
     * @param w  input width
     * @param o  output channels
     * @param kh kernel height
     * @param kw kernel width
     * @param sh vertical stride
     * @param sw horizontal stride
     * @param ph vertical zero padding
     * @param pw horizontal zero padding
     */
    public record Shape(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw) {
        public int oh() {
            return Shapes.windows(h, kh, sh, ph);
        }

        public int ow() {
            return Shapes.windows(w, kw, sw, pw);
        }

        /** Rows of one image's columns: C·kh·kw (the GEMMs' inner dimension for y). */
        int rows() {
            return c * kh * kw;
        }

        /** Output pixels per plane: oh·ow. */
        int pixels() {
            return oh() * ow();
        }

        /** Images per chunk of the forward and ∂x: enough work to be worth a fork. */
        int imageGrain() {
            long work = Math.max(1L, (long) o * rows() * pixels());
            return (int) Math.max(1, Math.min(n, GRAIN / work));
        }
    }

    /**
     * y [N, O, oh·ow] ← conv(x, w) + bias. x from {@code xOff}, w [O, C·kh·kw] from
     * {@code wOff}, bias [O] from {@code bOff} or null for none.
     */
    public static void forward(Shape s, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff, float[] y) {
        int o = s.o(), pix = s.pixels(), image = s.c() * s.h() * s.w();
        ForwardPlan plan = planForward(s, w, wOff);
        Parallel.forChunks(s.n(), s.imageGrain(), (first, end) -> {
            for (int n = first; n < end; n++) forwardImage(s, x, xOff + n * image, w, wOff, plan, bias, bOff, y, n * o * pix);
        });
    }

    /**
     * How {@link #forwardImage} computes each image of one call, the weights prepared once: by
     * {@link ShiftedRowsConv} (one input channel, 3×3: both fields null, it reads w itself), by
     * {@link ShiftedRowsForward} ({@code tiles}), or by columns and a GEMM with W packed
     * ({@code packed}). The same bits every way.
     */
    record ForwardPlan(Gemm.PackedA packed, ShiftedRowsForward.Plan tiles) {
        /** The columns-and-GEMM way, whatever the shape: what the other ways are checked against. */
        static ForwardPlan columns(Shape s, float[] w, int wOff) {
            return new ForwardPlan(Gemm.pack(false, s.o(), s.rows(), w, wOff, s.rows()), null);
        }
    }

    /** The fastest way this JVM has for s, W [O, C·kh·kw] from wOff. */
    static ForwardPlan planForward(Shape s, float[] w, int wOff) {
        if (ShiftedRowsConv.applies(s)) return new ForwardPlan(null, null);
        if (ShiftedRowsForward.applies(s)) return new ForwardPlan(null, ShiftedRowsForward.plan(s, w, wOff));
        return ForwardPlan.columns(s, w, wOff);
    }

    /**
     * One image of {@link #forward} on the calling thread: y_n [O, oh·ow] at y[yOff] from the
     * image at x[xOff], the way {@code plan} says ({@link #planForward}).
     */
    static void forwardImage(Shape s, float[] x, int xOff, float[] w, int wOff, ForwardPlan plan, float[] bias, int bOff,
            float[] y, int yOff) {
        if (plan.tiles() != null) {
            ShiftedRowsForward.image(s, plan.tiles(), x, xOff, bias, bOff, y, yOff, paddedImage(s));
            return;
        }
        if (plan.packed() == null) {
            ShiftedRowsConv.forwardImage(s, x, xOff, w, wOff, bias, bOff, y, yOff, paddedImage(s));
            return;
        }
        int o = s.o(), pix = s.pixels();
        float[] cols = SCRATCH.get().cols(s);
        unfoldImage(s, x, xOff, cols);
        if (bias != null) {
            for (int q = 0; q < o; q++) Arrays.fill(y, yOff + q * pix, yOff + (q + 1) * pix, bias[bOff + q]);
        }
        Gemm.sgemm(plan.packed(), false, pix, cols, 0, pix, y, yOff, pix, bias != null);
    }

    /**
     * ∂x [N, C, H, W] (zeroed by the caller) += fold(Wᵀ·∂y_n) for each image; g = ∂y [N, O,
     * oh·ow] from {@code gOff}.
     */
    public static void backwardInput(Shape s, float[] g, int gOff, float[] w, int wOff, float[] dx) {
        int imageGradient = s.o() * s.pixels();
        InputGradientPlan plan = planInputGradient(s, w, wOff);
        Parallel.forChunks(s.n(), s.imageGrain(), (first, end) -> {
            for (int n = first; n < end; n++) backwardInputImage(s, g, gOff + n * imageGradient, false, plan, dx, n);
        });
    }

    /**
     * How {@link #backwardInputImage} computes each image of one call, W prepared once: by
     * {@link ShiftedRowsInputGradient} with W packed for it ({@code shifted}), or by ∂cols =
     * Wᵀ·∂y_n and their fold with Wᵀ packed ({@code transposed}). The same bits either way.
     */
    record InputGradientPlan(Gemm.PackedA transposed, float[] shifted) {
        /** The GEMM-and-fold way, whatever the shape: what the other way is checked against. */
        static InputGradientPlan columns(Shape s, float[] w, int wOff) {
            return new InputGradientPlan(Gemm.pack(true, s.rows(), s.o(), w, wOff, s.rows()), null);
        }
    }

    /** The fastest way this JVM has for s, w [O, C·kh·kw] from wOff. */
    static InputGradientPlan planInputGradient(Shape s, float[] w, int wOff) {
        if (ShiftedRowsInputGradient.applies(s)) return new InputGradientPlan(null, ShiftedRowsInputGradient.pack(s, w, wOff));
        return InputGradientPlan.columns(s, w, wOff);
    }

    /**
     * One image of {@link #backwardInput} on the calling thread: ∂x_n at dx[n·C·H·W], zeroed by
     * the caller, += fold(Wᵀ·∂y_n) (the shifted rows store the same values), ∂y_n at g[gOff],
     * [O, oh·ow] or, {@code channelsLast}, [oh·ow, O], the way {@code plan} says ({@link
     * #planInputGradient}).
     */
    static void backwardInputImage(Shape s, float[] g, int gOff, boolean channelsLast, InputGradientPlan plan, float[] dx, int n) {
        int rows = s.rows(), pix = s.pixels(), plane = s.h() * s.w(), kk = s.kh() * s.kw();
        if (plan.shifted() != null) {
            float[] laid = ShiftedRowsInputGradient.gradientBuffer(s);
            ShiftedRowsInputGradient.layOut(s, g, gOff, channelsLast, laid);
            ShiftedRowsInputGradient.image(s, plan.shifted(), laid, dx, n * s.c() * plane);
            return;
        }
        float[] dcols = SCRATCH.get().dcols(rows * pix);
        Gemm.sgemm(plan.transposed(), channelsLast, pix, g, gOff, channelsLast ? s.o() : pix, dcols, 0, pix, false);
        for (int c = 0; c < s.c(); c++) {
            Im2Col.foldPlane(dcols, c * kk * pix, pix, s.h(), s.w(), s.kh(), s.kw(), s.sh(), s.sw(), s.ph(), s.pw(),
                    dx, (n * s.c() + c) * plane);
        }
    }

    /**
     * ∂W [O, C·kh·kw] ← Σ_n ∂y_n·cols_nᵀ, summed in groups of {@value #GROUP} images and the
     * groups in order (see the class comment); g = ∂y from {@code gOff}, x from {@code xOff}.
     */
    public static void backwardWeight(Shape s, float[] g, int gOff, float[] x, int xOff, float[] dw) {
        backwardWeight(s, g, gOff, x, xOff, dw, byPatches(s));
    }

    /**
     * Whether ∂W takes {@link Im2Row}'s patches rather than columns: when a kernel row's window
     * (kw·C floats, one copy) fills a vector. Measured on 128 images, one thread: the cnn's
     * conv2 (C = 16) 5.7–6.3 → 4.7–5.0 ms; its conv1 (C = 1, copies of 3 floats, and a 9-column
     * product whose B is packed either way) 1.9–2.2 → 3.9–4.3 ms, slower.
     */
    static boolean byPatches(Shape s) {
        return s.c() * s.kw() >= Simd.lanes();
    }

    /**
     * {@link #backwardWeight}, each image's product taken either as ∂y_n·cols_nᵀ (B transposed)
     * or, {@code byPatches}, as ∂y_n·patches_n ({@link Im2Row}: B row-major, read in place), whose
     * column (i·kw + j)·C + c is W's column c·kh·kw + i·kw + j; the same bits either way.
     */
    static void backwardWeight(Shape s, float[] g, int gOff, float[] x, int xOff, float[] dw, boolean byPatches) {
        int o = s.o(), rows = s.rows(), pix = s.pixels(), image = s.c() * s.h() * s.w();
        int groups = Parallel.chunkCount(s.n(), GROUP), size = o * rows;
        if (groups == 0) return; // no images: ∂W stays 0
        float[] partials = new float[groups * size];
        Parallel.forChunks(groups, 1, (first, end) -> {
            for (int t = first; t < end; t++) {
                for (int n = t * GROUP; n < Math.min(s.n(), (t + 1) * GROUP); n++) {
                    weightGradientImage(s, g, gOff + n * o * pix, x, xOff + n * image, byPatches, partials, t * size, n > t * GROUP);
                }
            }
        });
        sumGroups(s, partials, groups, byPatches ? PartialLayout.PATCHES : PartialLayout.COLUMNS, dw);
    }

    /**
     * One image's term of {@link #backwardWeight} on the calling thread: ∂y_n·cols_nᵀ (or,
     * {@code byPatches}, ∂y_n·patches_n) added into the partial at {@code partial[at]} (stored,
     * unless {@code accumulate}); ∂y_n [O, oh·ow] at g[gOff], the image at x[xOff].
     */
    static void weightGradientImage(Shape s, float[] g, int gOff, float[] x, int xOff, boolean byPatches, float[] partial,
            int at, boolean accumulate) {
        int o = s.o(), rows = s.rows(), pix = s.pixels();
        Scratch scratch = SCRATCH.get();
        if (byPatches) {
            float[] patches = scratch.patches(s);
            Im2Row.unfold(s, x, xOff, scratch.channelsLast(s.c() * s.h() * s.w()), patches);
            Gemm.sgemm(false, false, o, rows, pix, g, gOff, pix, patches, 0, rows, partial, at, rows, accumulate);
        } else {
            float[] cols = scratch.cols(s);
            unfoldImage(s, x, xOff, cols);
            Gemm.sgemm(false, true, o, rows, pix, g, gOff, pix, cols, 0, pix, partial, at, rows, accumulate);
        }
    }

    /** How a group's ∂W partial (O·C·kh·kw floats) is laid out. */
    enum PartialLayout {
        /** As ∂W, [O, C·kh·kw]: the product with columns. */
        COLUMNS,
        /** [O, kh·kw·C]: the product with {@link Im2Row}'s patches. */
        PATCHES,
        /** [C·kh·kw, O]: output channels innermost ({@link ShiftedRowsConv#weightGradientImage}). */
        CHANNELS_LAST;

        /** Where ∂W's element (q, ch, k) sits in a partial of this layout (k the tap within the kernel). */
        int at(Shape s, int q, int ch, int k) {
            int c = s.c(), kk = s.kh() * s.kw();
            return switch (this) {
                case COLUMNS -> (q * c + ch) * kk + k;
                case PATCHES -> (q * kk + k) * c + ch;
                case CHANNELS_LAST -> (ch * kk + k) * s.o() + q;
            };
        }
    }

    /**
     * ∂W [O, C·kh·kw] ← the sum of {@code groups} partials (each O·C·kh·kw floats, laid out as
     * {@code layout} says), added in group order.
     */
    static void sumGroups(Shape s, float[] partials, int groups, PartialLayout layout, float[] dw) {
        int c = s.c(), kk = s.kh() * s.kw(), size = s.o() * s.rows();
        for (int q = 0; q < s.o(); q++) {
            for (int ch = 0; ch < c; ch++) {
                for (int k = 0; k < kk; k++) {
                    int from = layout.at(s, q, ch, k);
                    float sum = partials[from];
                    for (int t = 1; t < groups; t++) sum += partials[t * size + from];
                    dw[PartialLayout.COLUMNS.at(s, q, ch, k)] = sum;
                }
            }
        }
    }

    /** This thread's zero-padded image buffer for s ({@link ShiftedRowsConv#pad}). */
    static float[] paddedImage(Shape s) {
        return SCRATCH.get().padded(s);
    }

    /** cols [C·kh·kw, oh·ow] ← the windows of the image at x[off]; padding entries are already 0. */
    private static void unfoldImage(Shape s, float[] x, int off, float[] cols) {
        int kk = s.kh() * s.kw(), pix = s.pixels(), plane = s.h() * s.w();
        for (int c = 0; c < s.c(); c++) {
            Im2Col.unfoldPlane(x, off + c * plane, s.h(), s.w(), s.kh(), s.kw(), s.sh(), s.sw(), s.ph(), s.pw(),
                    cols, c * kk * pix, pix);
        }
    }

    /** One thread's buffers, grown on demand. */
    private static final class Scratch {
        private final Windows cols = new Windows(), patches = new Windows(), padded = new Windows();
        private float[] dcols = new float[0], channelsLast = new float[0];

        /** A columns buffer [C·kh·kw, oh·ow] for one image of s whose padding entries are 0. */
        float[] cols(Shape s) {
            return cols.laidOutFor(s, s.rows() * s.pixels());
        }

        /** The same for {@link Im2Row}'s patches [oh·ow, C·kh·kw]. */
        float[] patches(Shape s) {
            return patches.laidOutFor(s, s.rows() * s.pixels());
        }

        /** The same for {@link ShiftedRowsConv}'s zero-padded image ({@link ShiftedRowsConv#paddedLength}). */
        float[] padded(Shape s) {
            return padded.laidOutFor(s, ShiftedRowsConv.paddedLength(s));
        }

        /** Room for one image made channels-last. */
        float[] channelsLast(int len) {
            if (channelsLast.length < len) channelsLast = new float[len];
            return channelsLast;
        }

        float[] dcols(int len) {
            if (dcols.length < len) dcols = new float[len];
            return dcols;
        }
    }

    /**
     * A buffer of one image's windows (columns or patches), or of the image zero-padded, whose
     * padding entries are 0. Every image of one geometry writes exactly the same (inside)
     * entries, so the zeros stay valid until the buffer serves another geometry.
     */
    private static final class Windows {
        private float[] data = new float[0];
        /** The geometry whose padding pattern data holds, or null. */
        private Shape laidOut;

        /** At least {@code len} floats laid out for s: its first len are 0 wherever s's images write nothing. */
        float[] laidOutFor(Shape s, int len) {
            if (data.length < len) {
                data = new float[len];
            } else if (laidOut == null || !sameWindows(laidOut, s)) {
                Arrays.fill(data, 0, len, 0f);
            }
            laidOut = s;
            return data;
        }

        /** True when both geometries write the same window entries (the batch and O do not matter). */
        private static boolean sameWindows(Shape a, Shape b) {
            return a.c() == b.c() && a.h() == b.h() && a.w() == b.w() && a.kh() == b.kh() && a.kw() == b.kw()
                    && a.sh() == b.sh() && a.sw() == b.sw() && a.ph() == b.ph() && a.pw() == b.pw();
        }
    }
}
