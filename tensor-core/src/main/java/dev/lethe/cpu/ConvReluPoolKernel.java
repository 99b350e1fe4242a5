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
 * <p>Where the input needs no gradient and {@link ShiftedRowsConv} computes the convolution
 * (the cnn's first layer), the backward skips ∂c = ∂y [N, O, oh, ow] as well: {@link
 * #backwardWeight} and {@link #backwardBias} take ∂w and ∂b from the pool's incoming gradient,
 * out and argmax directly, with the bits {@link ConvKernel#backwardWeight} and the bias
 * gradient's sum give on ∂c. For the cnn that ∂c was 6.4 MB per step, zeroed by the JVM and
 * three quarters zeros.
 */
public final class ConvReluPoolKernel {
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, Simd.F.vectorShape());
    /** Each thread's y_n, and ∂y_n channels-last for {@link #backwardWeight}. */
    private static final ThreadLocal<float[]> IMAGE = ThreadLocal.withInitial(() -> new float[0]),
            CHANNELS_LAST = ThreadLocal.withInitial(() -> new float[0]);
    /** Each thread's scatter indices, one plane's worth. */
    private static final ThreadLocal<int[]> INDEX = ThreadLocal.withInitial(() -> new int[0]);
    /**
     * Each thread's buffer for one channel's ∂c [N, oh·ow] ({@link #backwardBias}), 0 between
     * uses; kept only up to {@link ReduceKernels#GATHER_MAX} floats, as the reduction's own.
     */
    private static final ThreadLocal<float[]> CHANNEL = ThreadLocal.withInitial(() -> new float[0]);

    private ConvReluPoolKernel() {}

    /**
     * out [N, O, oh/k, ow/k] and argmax (same length) ← maxPool2d(relu(conv(x, w) + bias), k);
     * x from {@code xOff}, w [O, C·kh·kw] from {@code wOff}, bias [O] from {@code bOff} or null.
     */
    public static void forward(ConvKernel.Shape s, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff, int k,
            float[] out, int[] argmax) {
        int o = s.o(), oh = s.oh(), ow = s.ow(), pix = s.pixels(), image = s.c() * s.h() * s.w();
        int[] start = MaxPoolKernel.windowStarts(oh, ow, k, k);
        Parallel.forChunks(s.n(), s.imageGrain(), (first, end) -> {
            float[] y = IMAGE.get();
            if (y.length < o * pix) IMAGE.set(y = new float[o * pix]);
            for (int n = first; n < end; n++) {
                ConvKernel.forwardImage(s, x, xOff + n * image, w, wOff, bias, bOff, y, 0);
                // y holds planes n·O … (n+1)·O: the offset −n·O·oh·ow keeps their indices global.
                MaxPoolKernel.forwardAfterRelu(y, -n * o * pix, n * o, (n + 1) * o, oh, ow, k, start, out, argmax);
            }
        });
    }

    /**
     * Whether {@link #backwardWeight} computes s's ∂w: the convolutions {@link ShiftedRowsConv}
     * computes (one input channel, 3×3, stride 1).
     */
    public static boolean backwardSkipsConvGradient(ConvKernel.Shape s) {
        return ShiftedRowsConv.applies(s);
    }

    /**
     * ∂w [O, 3·3] of out = maxPool2d(relu(conv(x, w) + b), k) for the incoming gradient g [N, O,
     * oh/k, ow/k] (from {@code gOff}), out and argmax as {@link #forward} left them, x from
     * {@code xOff}: the bits {@link ConvKernel#backwardWeight} gives for ∂c = {@link
     * MaxPoolKernel#backwardAfterRelu}'s, without ∂c. Each image's ∂c_n is scattered
     * channels-last into a per-thread buffer [oh·ow, O] that is otherwise 0, and {@link
     * ShiftedRowsConv#weightGradientImage} adds its products into its group's partial, in
     * {@link ConvKernel}'s groups of images. Only where {@link #backwardSkipsConvGradient}.
     */
    public static void backwardWeight(ConvKernel.Shape s, int k, float[] g, int gOff, int[] argmax, float[] out,
            float[] x, int xOff, float[] dw) {
        int o = s.o(), pix = s.pixels(), per = (s.oh() / k) * (s.ow() / k), image = s.h() * s.w(), size = o * 9;
        int groups = Parallel.chunkCount(s.n(), ConvKernel.GROUP);
        if (groups == 0) return; // no images: ∂w stays 0
        float[] partials = new float[groups * size];
        Parallel.forChunks(groups, 1, (first, end) -> {
            float[] dy = CHANNELS_LAST.get();
            if (dy.length < pix * o) CHANNELS_LAST.set(dy = new float[pix * o]);
            float[] xp = ConvKernel.paddedImage(s);
            int[] at = INDEX.get();
            if (at.length < per) INDEX.set(at = new int[per]);
            for (int t = first; t < end; t++) {
                for (int n = t * ConvKernel.GROUP; n < Math.min(s.n(), (t + 1) * ConvKernel.GROUP); n++) {
                    Arrays.fill(dy, 0, pix * o, 0f);
                    for (int q = 0; q < o; q++) scatter(n * o + q, per, pix, o, q, g, gOff, argmax, out, dy, at, false);
                    ShiftedRowsConv.pad(s, x, xOff + n * image, xp);
                    ShiftedRowsConv.weightGradientImage(s, dy, xp, partials, t * size, n > t * ConvKernel.GROUP);
                }
            }
        });
        ConvKernel.sumGroups(s, partials, groups, ConvKernel.PartialLayout.CHANNELS_LAST, dw);
    }

    /**
     * Plane {@code plane}'s relu-pool gradients ({@link MaxPoolKernel#afterReluGradient} of g and
     * out at outputs plane·per …), or zeros when {@code clear}, stored at their argmax: pixel p
     * of the plane to dst[p·mul + add]. With vectors: L indices computed into {@code at}, L
     * values, one scatter (a scalar loop took about 4 cycles an entry: 0.5 ms a step for the
     * cnn's first layer, 0.2 ms with vectors).
     */
    private static void scatter(int plane, int per, int pix, int mul, int add, float[] g, int gOff, int[] argmax,
            float[] out, float[] dst, int[] at, boolean clear) {
        int i0 = plane * per, base = plane * pix, j = 0;
        if (Simd.ENABLED) {
            FloatVector zero = FloatVector.zero(Simd.F), one = FloatVector.broadcast(Simd.F, 1f);
            for (int bound = Simd.F.loopBound(per); j < bound; j += Simd.F.length()) {
                IntVector.fromArray(I, argmax, i0 + j).sub(base).mul(mul).add(add).intoArray(at, j);
                FloatVector v = zero;
                if (!clear) {
                    // MaxPoolKernel.afterReluGradient lane by lane: (0 + g)·[out > 0].
                    FloatVector gv = FloatVector.fromArray(Simd.F, g, gOff + i0 + j), ov = FloatVector.fromArray(Simd.F, out, i0 + j);
                    v = gv.add(0f).mul(zero.blend(one, ov.compare(VectorOperators.GT, 0f)));
                }
                v.intoArray(dst, 0, at, j);
            }
        }
        for (; j < per; j++) {
            dst[(argmax[i0 + j] - base) * mul + add] = clear ? 0f : MaxPoolKernel.afterReluGradient(g[gOff + i0 + j], out[i0 + j]);
        }
    }

    /**
     * ∂b [O] for the same: each output channel's ∂c values, scattered in [N, oh·ow] order into a
     * per-thread buffer that is otherwise 0, are summed as the reduction of ∂c over (N, oh, ow)
     * sums them ({@link ReduceKernels#one}), so the bits are ∂c.sum({0, 2, 3})'s; the scattered
     * entries are then zeroed again. Any convolution shape.
     */
    public static void backwardBias(ConvKernel.Shape s, int k, float[] g, int gOff, int[] argmax, float[] out, float[] db) {
        int o = s.o(), pix = s.pixels(), per = (s.oh() / k) * (s.ow() / k), r = s.n() * pix;
        Parallel.forChunks(o, 1, (first, end) -> {
            float[] c = r > ReduceKernels.GATHER_MAX ? new float[r] : CHANNEL.get();
            if (c.length < r) CHANNEL.set(c = new float[r]);
            int[] at = INDEX.get();
            if (at.length < per) INDEX.set(at = new int[per]);
            for (int q = first; q < end; q++) {
                for (int n = 0; n < s.n(); n++) scatter(n * o + q, per, pix, 1, n * pix, g, gOff, argmax, out, c, at, false);
                db[q] = ReduceKernels.one(ReduceOp.SUM, o, c, 0, r);
                for (int n = 0; n < s.n(); n++) scatter(n * o + q, per, pix, 1, n * pix, g, gOff, argmax, out, c, at, true);
            }
        });
    }
}
