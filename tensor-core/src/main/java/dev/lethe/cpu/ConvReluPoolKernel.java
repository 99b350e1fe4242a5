package dev.lethe.cpu;

import dev.lethe.backend.ReduceOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * maxPool2d(relu(conv2d(x))) over float32 with non-overlapping k×k windows, image by image,
 * so that the convolution's output never leaves the thread's cache: each image's y_n [O, oh,
 * ow] goes into a per-thread buffer ({@link ConvKernel#forwardImage}) and is pooled from there
 * ({@link MaxPoolKernel#forwardAfterRelu}, planes n·O … (n+1)·O). The whole y [N, O, oh, ow]
 * of the unfused ops is never allocated: for the cnn's first layer that is 6.4 MB per step
 * the JVM zeroes, the convolution writes and the pool reads back.
 *
 * <p>The same values and argmax as {@link ConvKernel#forward} then {@link
 * MaxPoolKernel#forwardAfterRelu}: each image's product and each plane's pooling are the same
 * code on the same numbers. Argmax indices are flat into y [N, O, oh, ow], as there, so the
 * backward ({@link MaxPoolKernel#backwardAfterRelu}) is unchanged. Images are independent, so
 * any thread may take any image.
 *
 * <p>The backward skips ∂c = ∂y [N, O, oh, ow] as well: {@link #backward} and {@link
 * #backwardBias} take ∂x, ∂w and ∂b from the pool's incoming gradient, out and argmax, with
 * the bits the convolution's backward and the bias gradient's sum give on ∂c.
 */
public final class ConvReluPoolKernel {
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, Simd.F.vectorShape());
    /** Each thread's y_n, and ∂y_n for {@link #backward}. */
    private static final ThreadFloats IMAGE = new ThreadFloats(), GRADIENT = new ThreadFloats();
    /** Each thread's scatter indices, one plane's worth. */
    private static final ThreadLocal<int[]> INDEX = ThreadLocal.withInitial(() -> new int[0]);
    /**
     * Each thread's buffer for one channel's ∂c [N, oh·ow] ({@link #backwardBias}), 0 between
     * uses; kept only up to {@link ReduceKernels#GATHER_MAX} floats, as the reduction's own.
     */
    private static final ThreadFloats CHANNEL = new ThreadFloats();

    private ConvReluPoolKernel() {}

    /**
     * out [N, O, oh/k, ow/k] and argmax (same length) ← maxPool2d(relu(conv(x, w) + bias), k);
     * x from {@code xOff}, w [O, C·kh·kw] from {@code wOff}, bias [O] from {@code bOff} or null.
     */
    public static void forward(ConvKernel.Shape s, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff, int k,
            float[] out, int[] argmax) {
        int o = s.o(), oh = s.oh(), ow = s.ow(), pix = s.pixels(), image = s.c() * s.h() * s.w();
        int[] start = MaxPoolKernel.windowStarts(oh, ow, k, k);
        ConvKernel.ForwardPlan plan = ConvKernel.planForward(s, w, wOff);
        Parallel.forChunks(s.n(), s.imageGrain(), (first, end) -> {
            float[] y = IMAGE.atLeast(o * pix);
            for (int n = first; n < end; n++) {
                ConvKernel.forwardImage(s, x, xOff + n * image, w, wOff, plan, bias, bOff, y, 0);
                // y holds planes n·O … (n+1)·O: the offset −n·O·oh·ow keeps their indices global.
                MaxPoolKernel.forwardAfterRelu(y, -n * o * pix, n * o, (n + 1) * o, oh, ow, k, start, out, argmax);
            }
        });
    }

    /**
     * ∂x [N, C, H, W] (zeroed by the caller) and ∂w [O, C·kh·kw] of out = maxPool2d(relu(conv(x,
     * w) + b), k), either null when not wanted, for the incoming gradient g [N, O, oh/k, ow/k]
     * (from {@code gOff}) and out and argmax as {@link #forward} left them; x from {@code xOff},
     * w from {@code wOff}. The bits {@link ConvKernel#backwardInput} and {@link
     * ConvKernel#backwardWeight} give on ∂c = {@link MaxPoolKernel#backwardAfterRelu}'s, without
     * ∂c [N, O, oh, ow] (6.4 MB a step for the cnn's first layer, 3.2 MB for its second, zeroed
     * by the JVM and three quarters zeros): image by image, ∂c_n is scattered into a per-thread
     * buffer that is otherwise 0, and {@link ConvKernel}'s per-image terms take ∂x_n and ∂W's
     * term from it while it is in cache, the images in ConvKernel's groups (their ∂W partials
     * summed in group order, as there).
     *
     * <p>A 3×3 convolution at stride 1 (both of the cnn's) scatters ∂c_n channels-last instead,
     * [oh·ow, O]: {@link ShiftedRowsConv#weightGradientImage} takes ∂W's term from it and the
     * padded image, without columns or patches, and ∂x's product reads it as a transposed B;
     * where {@link ShiftedRowsInputGradient} takes ∂x (the cnn's conv2), ∂c_n is scattered a
     * second time, into that path's layout, one output row a vector.
     */
    public static void backward(ConvKernel.Shape s, int k, float[] g, int gOff, int[] argmax, float[] out,
            float[] x, int xOff, float[] w, int wOff, float[] dx, float[] dw) {
        if (dx == null && dw == null) return;
        int o = s.o(), pix = s.pixels(), per = (s.oh() / k) * (s.ow() / k), image = s.c() * s.h() * s.w(), size = o * s.rows();
        boolean shifted = dw != null && ShiftedRowsConv.weightGradientApplies(s), byPatches = ConvKernel.byPatches(s);
        // ∂W's partials follow ConvKernel's groups; ∂x alone may be cut finer.
        int unit = dw == null ? s.imageGrain() : ConvKernel.GROUP, chunks = Parallel.chunkCount(s.n(), unit);
        float[] partials = dw == null ? null : new float[chunks * size];
        ConvKernel.InputGradientPlan dxPlan = dx == null ? null : ConvKernel.planInputGradient(s, w, wOff);
        // ∂x by shifted rows takes ∂c_n in its own layout: scattered there too ({@code laid}).
        int[] rowMap = shifted && dxPlan != null && dxPlan.shifted() != null ? ShiftedRowsInputGradient.pixelMap(s) : null;
        int laidLength = rowMap == null ? 0 : ShiftedRowsInputGradient.gradientLength(s);
        Parallel.forChunks(chunks, 1, (first, end) -> {
            float[] dc = GRADIENT.atLeast(o * pix);
            int[] at = indices(per);
            float[] xp = shifted ? ConvKernel.paddedImage(s) : null;
            float[] laid = rowMap == null ? null : ShiftedRowsInputGradient.gradientBuffer(s);
            for (int t = first; t < end; t++) {
                for (int n = t * unit; n < Math.min(s.n(), (t + 1) * unit); n++) {
                    Arrays.fill(dc, 0, o * pix, 0f);
                    boolean accumulate = n > t * unit;
                    if (shifted) {
                        for (int q = 0; q < o; q++) scatter(n * o + q, per, pix, null, o, q, g, gOff, argmax, out, dc, at);
                        if (laid != null) {
                            Arrays.fill(laid, 0, laidLength, 0f);
                            for (int q = 0; q < o; q++) {
                                scatter(n * o + q, per, pix, rowMap, 1, ShiftedRowsInputGradient.gradientIndex(s, q, 0), g, gOff, argmax,
                                        out, laid, at);
                            }
                            ShiftedRowsInputGradient.image(s, dxPlan.shifted(), laid, dx, n * image);
                        } else if (dx != null) {
                            ConvKernel.backwardInputImage(s, dc, 0, true, dxPlan, dx, n);
                        }
                        ShiftedRowsConv.pad(s, x, xOff + n * image, xp);
                        ShiftedRowsConv.weightGradientImage(s, dc, xp, partials, t * size, accumulate);
                        continue;
                    }
                    for (int q = 0; q < o; q++) scatter(n * o + q, per, pix, null, 1, q * pix, g, gOff, argmax, out, dc, at);
                    if (dx != null) ConvKernel.backwardInputImage(s, dc, 0, false, dxPlan, dx, n);
                    if (dw != null) {
                        ConvKernel.weightGradientImage(s, dc, 0, x, xOff + n * image, byPatches, partials, t * size, accumulate);
                    }
                }
            }
        });
        if (dw != null) {
            ConvKernel.sumGroups(s, partials, chunks, shifted ? ConvKernel.PartialLayout.CHANNELS_LAST
                    : byPatches ? ConvKernel.PartialLayout.PATCHES : ConvKernel.PartialLayout.COLUMNS, dw);
        }
    }

    /**
     * Plane {@code plane}'s relu-pool gradients ({@link MaxPoolKernel#afterReluGradient} of g and
     * out at outputs plane·per …) stored at their argmax: pixel p of the plane to dst[p·mul +
     * add], or, with a map, to dst[map[p] + add]. With vectors: L indices computed into {@code
     * at}, L values, one scatter (a scalar loop took about 4 cycles an entry: 0.5 ms a step for
     * the cnn's first layer, 0.2–0.3 ms with vectors).
     */
    private static void scatter(int plane, int per, int pix, int[] map, int mul, int add, float[] g, int gOff, int[] argmax,
            float[] out, float[] dst, int[] at) {
        int i0 = plane * per, base = plane * pix, j = 0;
        if (Simd.ENABLED) {
            FloatVector zero = FloatVector.zero(Simd.F), one = FloatVector.broadcast(Simd.F, 1f);
            for (int bound = Simd.F.loopBound(per); j < bound; j += Simd.F.length()) {
                IntVector p = IntVector.fromArray(I, argmax, i0 + j).sub(base);
                if (map == null) {
                    p.mul(mul).add(add).intoArray(at, j);
                } else {
                    p.intoArray(at, j);
                    IntVector.fromArray(I, map, 0, at, j).add(add).intoArray(at, j);
                }
                // MaxPoolKernel.afterReluGradient lane by lane: (0 + g)·[out > 0].
                FloatVector gv = FloatVector.fromArray(Simd.F, g, gOff + i0 + j), ov = FloatVector.fromArray(Simd.F, out, i0 + j);
                gv.add(0f).mul(zero.blend(one, ov.compare(VectorOperators.GT, 0f))).intoArray(dst, 0, at, j);
            }
        }
        for (; j < per; j++) {
            int p = argmax[i0 + j] - base;
            dst[(map == null ? p * mul : map[p]) + add] = MaxPoolKernel.afterReluGradient(g[gOff + i0 + j], out[i0 + j]);
        }
    }

    /**
     * ∂b [O] for the same: each output channel's ∂c values, in [N, oh·ow] order, summed as the
     * reduction of ∂c over (N, oh, ow) sums them, so the bits are ∂c.sum({0, 2, 3})'s. The values
     * are scattered into a per-thread buffer that is otherwise 0, a few images at a time, and fed
     * to a {@link StreamedSum} (lcm(oh·ow, 4L) floats: 4 of the cnn's first layer's images, 12.5
     * KB, in L1); where that chunk would be large, or where the reduction splits its sum into
     * blocks ({@link ReduceKernels#blocked}), all images form one chunk. The buffer is zeroed
     * again by a fill after each chunk (scattering zeros back took longer). Any convolution shape.
     */
    public static void backwardBias(ConvKernel.Shape s, int k, float[] g, int gOff, int[] argmax, float[] out, float[] db) {
        int o = s.o(), pix = s.pixels(), per = (s.oh() / k) * (s.ow() / k), r = s.n() * pix;
        boolean blocks = ReduceKernels.splitsSegments(o, r);
        int few = StreamedSum.STEP / gcd(pix, StreamedSum.STEP);
        int images = !blocks && few * pix <= STREAM_CHUNK_MAX ? few : Math.max(1, s.n()), room = Math.min(images, s.n()) * pix;
        Parallel.forChunks(o, 1, (first, end) -> {
            float[] c = room > ReduceKernels.GATHER_MAX ? new float[room] : CHANNEL.atLeast(room);
            int[] at = indices(per);
            for (int q = first; q < end; q++) {
                StreamedSum sum = blocks ? null : new StreamedSum(r);
                for (int n0 = 0; n0 < s.n(); n0 += images) {
                    int n1 = Math.min(s.n(), n0 + images), len = (n1 - n0) * pix;
                    for (int n = n0; n < n1; n++) scatter(n * o + q, per, pix, null, 1, (n - n0) * pix, g, gOff, argmax, out, c, at);
                    if (blocks) db[q] = ReduceKernels.blocked(ReduceOp.SUM, c, 0, len); // the one chunk
                    else sum.add(c, 0, len);
                    Arrays.fill(c, 0, len, 0f);
                }
                if (!blocks) db[q] = sum.sum();
            }
        });
    }

    /** The largest chunk {@link #backwardBias} streams: 64 KB. */
    private static final int STREAM_CHUNK_MAX = 1 << 14;

    /** This thread's scatter indices, at least len of them. */
    private static int[] indices(int len) {
        int[] b = INDEX.get();
        if (b.length < len) INDEX.set(b = new int[len]);
        return b;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
