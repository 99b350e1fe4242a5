package dev.lethe.cpu;

/**
 * The odd convolution shapes the conv kernels are tested on: batch 1 and 3; channels 1, 3 and
 * 16; heights and widths from a list; each kernel shape; stride 1 and 2; padding 0 … maxPad;
 * windows that do not fit the padded input skipped, and the largest inputs sampled (every
 * {@code sampleEvery}-th one above {@code largeElements} input elements) so the tests stay fast.
 */
public final class ConvShapes {
    /** One shape: input [n, c, h, w], kernel [kh, kw], the same stride and padding both ways, and a fresh seed. */
    @FunctionalInterface
    public interface Case {
        void check(long seed, int n, int c, int h, int w, int kh, int kw, int stride, int pad);
    }

    private ConvShapes() {}

    /** Calls {@code body} on every shape and returns how many it checked. */
    public static int forEach(int[] hw, int[][] kernels, int maxPad, int largeElements, int sampleEvery, Case body) {
        long seed = 1;
        int cases = 0;
        for (int n : new int[] {1, 3})
            for (int c : new int[] {1, 3, 16})
                for (int h : hw)
                    for (int w : hw)
                        for (int[] k : kernels)
                            for (int s = 1; s <= 2; s++)
                                for (int p = 0; p <= maxPad; p++) {
                                    if (k[0] > h + 2 * p || k[1] > w + 2 * p) continue;
                                    if (n * c * h * w > largeElements && (seed++ % sampleEvery) != 0) continue;
                                    body.check(seed, n, c, h, w, k[0], k[1], s, p);
                                    seed += 3;
                                    cases++;
                                }
        return cases;
    }
}
