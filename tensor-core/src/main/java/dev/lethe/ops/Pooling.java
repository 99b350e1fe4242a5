package dev.lethe.ops;

import dev.lethe.tensor.Tensor;

/**
 * The windows shared by {@link MaxPool2d} and {@link AvgPool2d}: each channel of x
 * [N, C, H, W] unfolded on its own, so a reduction over dim 1 pools every k×k window.
 */
final class Pooling {
    private Pooling() {}

    /** The k×k windows of x at stride s as [N·C, k·k, oh·ow]; checks in the name of {@code op}. */
    static Tensor windows(String op, Tensor x, int k, int stride) {
        Unfold.checkWindow(op, x, k, k, stride, stride, 0, 0);
        int[] s = x.shape();
        return Unfold.apply(x.reshape(s[0] * s[1], 1, s[2], s[3]), k, k, stride, stride, 0, 0);
    }

    /** Pooled values [N·C, oh·ow] reshaped to [N, C, oh, ow]. */
    static Tensor restore(Tensor pooled, Tensor x, int k, int stride) {
        int[] s = x.shape();
        int[] o = Unfold.outputSize(s[2], s[3], k, k, stride, stride, 0, 0);
        return pooled.reshape(s[0], s[1], o[0], o[1]);
    }
}
