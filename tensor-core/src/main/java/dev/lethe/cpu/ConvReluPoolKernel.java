package dev.lethe.cpu;

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
 */
public final class ConvReluPoolKernel {
    /** Each thread's y_n. */
    private static final ThreadLocal<float[]> IMAGE = ThreadLocal.withInitial(() -> new float[0]);

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
}
