package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.cpu.ConvKernel;
import dev.lethe.cpu.ConvReluPoolKernel;
import dev.lethe.tensor.Storage;
import dev.lethe.tensor.Tensor;

/**
 * maxPool2d(relu(conv2d(x, w, b)), k) with non-overlapping k×k windows, as one node:
 * out[n, o, y, x] = max_{i,j<k} relu(c)[n, o, y·k + i, x·k + j] with c = conv2d(x, w, b) ({@link
 * Conv2d}, stride s, padding p). The backward is the two nodes' chained: ∂c = g·[c &gt; 0] at each
 * window's maximum ({@link MaxPool2d#afterRelu}), then ∂x, ∂w, ∂b of the convolution for ∂c.
 *
 * <p>The same values and gradients, bit for bit, as {@code MaxPool2d.afterRelu(x.conv2d(w, b, s,
 * p), k)}: on the float32 CPU path the convolution's output c is never written out ({@link
 * ConvReluPoolKernel}: each image's c stays in the thread's cache), which spares a tensor of
 * the convolution's full output per step (6.4 MB for the cnn's first layer), and the backward
 * never writes ∂c either; elsewhere, and for a window that does not fit c, it is that
 * composition.
 */
public final class ConvReluMaxPool2d {
    private ConvReluMaxPool2d() {}

    /** @throws IllegalArgumentException as {@link Conv2d#apply} and {@link MaxPool2d#afterRelu} do */
    public static Tensor apply(Tensor x, Tensor w, Tensor bias, int stride, int padding, int k) {
        boolean cpu32 = Conv2d.check(x, w, bias, stride, stride, padding, padding);
        ConvKernel.Shape s = Conv2d.shape(x, w, stride, stride, padding, padding);
        if (!cpu32 || k < 1 || k > s.oh() || k > s.ow()) {
            return MaxPool2d.afterRelu(Conv2d.apply(x, w, bias, stride, stride, padding, padding), k);
        }
        Tensor xc = Contiguous.dense(x), wc = Contiguous.dense(w), bc = bias == null ? null : Contiguous.dense(bias);
        int planes = s.n() * s.o(), ph = s.oh() / k, pw = s.ow() / k;
        float[] out = new float[planes * ph * pw];
        int[] argmax = new int[out.length];
        ConvReluPoolKernel.forward(s, xc.storage().floats(), xc.offset(), wc.storage().floats(), wc.offset(),
                bc == null ? null : bc.storage().floats(), bc == null ? 0 : bc.offset(), k, out, argmax);
        Tensor y = Tensor.wrap(Storage.wrap(out), s.n(), s.o(), ph, pw);
        return Autograd.record("conv2dReluMaxPool2d", y, new Tensor[] {x, w, bias}, new Tensor[] {x, w, y},
                g -> gradients(s, x, xc, w, wc, bias, g, argmax, out, k));
    }

    /**
     * ∂x, ∂w, ∂b (null where not wanted) from the pool's incoming gradient g, without ∂c
     * ({@link ConvReluPoolKernel#backward}, {@link ConvReluPoolKernel#backwardBias}): the bits of
     * the chained rule.
     */
    private static Tensor[] gradients(ConvKernel.Shape s, Tensor x, Tensor xc, Tensor w, Tensor wc, Tensor bias, Tensor g,
            int[] argmax, float[] out, int k) {
        Tensor gc = Contiguous.dense(g);
        float[] gf = gc.storage().floats();
        float[] dx = x.requiresGrad() ? new float[x.numel()] : null, dw = w.requiresGrad() ? new float[w.numel()] : null;
        ConvReluPoolKernel.backward(s, k, gf, gc.offset(), argmax, out, xc.storage().floats(), xc.offset(),
                wc.storage().floats(), wc.offset(), dx, dw);
        Tensor db = null;
        if (bias != null && bias.requiresGrad()) {
            float[] d = new float[s.o()];
            ConvReluPoolKernel.backwardBias(s, k, gf, gc.offset(), argmax, out, d);
            db = Tensor.wrap(Storage.wrap(d), bias.shape());
        }
        return new Tensor[] {dx == null ? null : Tensor.wrap(Storage.wrap(dx), x.shape()),
                dw == null ? null : Tensor.wrap(Storage.wrap(dw), w.shape()), db};
    }
}
