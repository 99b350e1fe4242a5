package dev.lethe.cpu;

/**
 * maxPool2d over float32 planes: x [P, H, W] (P = N·C planes, contiguous from {@code off}) →
 * out [P, oh, ow] with oh = ⌊(H − k)/s⌋ + 1, and for each output the flat index (into x's
 * [P, H, W], from 0) of the element it took.
 *
 * <p>Ties: the window is scanned row by row, left to right, and a later element replaces the
 * current maximum only when strictly greater, so the <em>first</em> maximum wins (as PyTorch's
 * max_pool2d). The backward then gives that one element the whole gradient; the composed
 * unfold + max form splits it evenly between tied elements instead. NaN wins over numbers
 * (and the first NaN over later ones), so a NaN in a window propagates like the composed max.
 *
 * <p>Planes are independent and each is done by one thread, in chunks fixed by the shape, so
 * the backward's sums where windows overlap (s &lt; k) run in output order whatever the thread
 * count.
 */
public final class MaxPoolKernel {
    /** About this many input elements per parallel chunk. */
    private static final int GRAIN = 1 << 14;

    private MaxPoolKernel() {}

    private static int planeGrain(int h, int w) {
        return Math.max(1, GRAIN / Math.max(1, h * w));
    }

    /** Fills {@code out} [P, oh, ow] and {@code argmax} (same length) from x. */
    public static void forward(float[] x, int off, int planes, int h, int w, int k, int s, float[] out, int[] argmax) {
        int oh = (h - k) / s + 1, ow = (w - k) / s + 1;
        Parallel.forChunks(planes, planeGrain(h, w), (start, end) -> {
            for (int p = start; p < end; p++) {
                int plane = p * h * w, o = p * oh * ow;
                for (int y = 0; y < oh; y++) {
                    for (int z = 0; z < ow; z++, o++) {
                        int top = plane + y * s * w + z * s;
                        int best = top;
                        float m = x[off + top];
                        for (int i = 0; i < k; i++) {
                            int r = top + i * w;
                            for (int j = 0; j < k; j++) {
                                float v = x[off + r + j];
                                // Strictly greater keeps the first maximum; NaN beats any number.
                                if (v > m || (v != v && m == m)) {
                                    m = v;
                                    best = r + j;
                                }
                            }
                        }
                        out[o] = m;
                        argmax[o] = best;
                    }
                }
            }
        });
    }

    /**
     * dx [P, H, W] (zeroed by the caller) += g at each output's argmax, in output order; g is
     * [P, oh, ow] contiguous from {@code gOff}.
     */
    public static void backward(float[] g, int gOff, int[] argmax, int planes, int h, int w, int k, int s, float[] dx) {
        int per = ((h - k) / s + 1) * ((w - k) / s + 1);
        Parallel.forChunks(planes, planeGrain(h, w), (start, end) -> {
            for (int o = start * per; o < end * per; o++) dx[argmax[o]] += g[gOff + o];
        });
    }
}
