package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.cpu.ConvKernel;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Storage;
import dev.lethe.tensor.Tensor;

/**
 * conv2d (cross-correlation, as PyTorch): for x [N, C, H, W], w [O, C, kh, kw] and optional
 * bias [O], out[n, o, y, x] = b[o] + Σ_{c,i,j} w[o, c, i, j]·x[n, c, y·sh − ph + i, x·sw − pw + j]
 * (zero padding), shape [N, O, oh, ow] with oh = ⌊(H + 2ph − kh)/sh⌋ + 1.
 * <p>As im2col + GEMM: with cols_n = {@link Unfold}(x)_n [C·kh·kw, oh·ow] and W =
 * w.reshape(O, C·kh·kw), out_n = W·cols_n (+ b). So ∂L/∂w = Σ_n ∂L/∂out_n · cols_nᵀ,
 * ∂L/∂x_n = fold(Wᵀ · ∂L/∂out_n), ∂L/∂b = Σ_{n,y,x} ∂L/∂out.
 * <p>float32 on the CPU runs {@link ConvKernel} as one node with this backward (per-image
 * GEMMs on columns that stay in cache, ∂w reduced in a fixed order, so the bits do not
 * depend on the thread count). float64, and tensors on a device, run the composition of
 * {@link Unfold} and {@link Matmul} ({@link #composed}), whose graph also differentiates twice.
 */
public final class Conv2d {
    private Conv2d() {}

    /** Same stride and padding in both directions. */
    public static Tensor apply(Tensor x, Tensor w, Tensor bias, int stride, int padding) {
        return apply(x, w, bias, stride, stride, padding, padding);
    }

    /**
     * @param bias [O], or null for none
     * @throws IllegalArgumentException on wrong ranks, a channel or bias mismatch, mixed
     *         dtypes, or a kernel larger than the padded input
     */
    public static Tensor apply(Tensor x, Tensor w, Tensor bias, int sh, int sw, int ph, int pw) {
        return check(x, w, bias, sh, sw, ph, pw) ? fused(x, w, bias, sh, sw, ph, pw) : composed(x, w, bias, sh, sw, ph, pw);
    }

    /**
     * Checks conv2d's arguments (see {@link #apply}); returns whether they are all float32 on
     * the CPU, where the fused kernels run.
     */
    static boolean check(Tensor x, Tensor w, Tensor bias, int sh, int sw, int ph, int pw) {
        OpChecks.rank("conv2d", "input [N, C, H, W]", x, 4);
        OpChecks.rank("conv2d", "weight [O, C, kh, kw]", w, 4);
        OpChecks.sameDtype("conv2d", x, w);
        int[] xs = x.shape(), ws = w.shape();
        if (xs[1] != ws[1]) {
            throw new IllegalArgumentException("conv2d: input has " + xs[1] + " channels, weight expects " + ws[1] + " (input "
                    + Shapes.str(xs) + ", weight " + Shapes.str(ws) + ")");
        }
        if (bias != null) {
            OpChecks.sameDtype("conv2d", x, bias);
            if (bias.dim() != 1 || bias.size(0) != ws[0]) {
                throw new IllegalArgumentException("conv2d: bias of shape " + Shapes.str(bias.shape()) + " does not match weight "
                        + Shapes.str(ws) + " (expected [" + ws[0] + "])");
            }
        }
        Unfold.checkWindow("conv2d", x, ws[2], ws[3], sh, sw, ph, pw);
        return x.dtype() == DType.FLOAT32 && x.device().isCpu() && w.device().isCpu()
                && (bias == null || bias.device().isCpu());
    }

    /** unfold + matmul (+ bias), for checked arguments. */
    static Tensor composed(Tensor x, Tensor w, Tensor bias, int sh, int sw, int ph, int pw) {
        int[] xs = x.shape(), ws = w.shape();
        int[] o = Unfold.outputSize(xs[2], xs[3], ws[2], ws[3], sh, sw, ph, pw);
        Tensor cols = Unfold.apply(x, ws[2], ws[3], sh, sw, ph, pw);
        Tensor out = w.reshape(ws[0], -1).matmul(cols).reshape(xs[0], ws[0], o[0], o[1]);
        return bias == null ? out : out.add(bias.reshape(1, ws[0], 1, 1));
    }

    /** The float32 kernels with their own backward, for checked arguments. */
    static Tensor fused(Tensor x, Tensor w, Tensor bias, int sh, int sw, int ph, int pw) {
        ConvKernel.Shape s = shape(x, w, sh, sw, ph, pw);
        Tensor xc = Contiguous.dense(x), wc = Contiguous.dense(w), bc = bias == null ? null : Contiguous.dense(bias);
        float[] y = new float[s.n() * s.o() * s.oh() * s.ow()];
        ConvKernel.forward(s, xc.storage().floats(), xc.offset(), wc.storage().floats(), wc.offset(),
                bc == null ? null : bc.storage().floats(), bc == null ? 0 : bc.offset(), y);
        Tensor out = Tensor.wrap(Storage.wrap(y), s.n(), s.o(), s.oh(), s.ow());
        return Autograd.record("conv2d", out, new Tensor[] {x, w, bias}, new Tensor[] {x, w},
                g -> backward(s, x, xc, w, wc, bias, g));
    }

    /** The kernels' sizes for x [N, C, H, W] and w [O, C, kh, kw]. */
    static ConvKernel.Shape shape(Tensor x, Tensor w, int sh, int sw, int ph, int pw) {
        int[] xs = x.shape(), ws = w.shape();
        return new ConvKernel.Shape(xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3], sh, sw, ph, pw);
    }

    /**
     * The fused kernels' backward: ∂x, ∂w, ∂b (each null where not required) for the gradient
     * g of the output; xc and wc are x and w made contiguous.
     */
    private static Tensor[] backward(ConvKernel.Shape s, Tensor x, Tensor xc, Tensor w, Tensor wc, Tensor bias, Tensor g) {
        Tensor gc = Contiguous.dense(g);
        float[] gf = gc.storage().floats();
        Tensor dx = null, dw = null, db = null;
        if (x.requiresGrad()) {
            float[] d = new float[x.numel()];
            ConvKernel.backwardInput(s, gf, gc.offset(), wc.storage().floats(), wc.offset(), d);
            dx = Tensor.wrap(Storage.wrap(d), x.shape());
        }
        if (w.requiresGrad()) {
            float[] d = new float[w.numel()];
            ConvKernel.backwardWeight(s, gf, gc.offset(), xc.storage().floats(), xc.offset(), d);
            dw = Tensor.wrap(Storage.wrap(d), w.shape());
        }
        if (bias != null && bias.requiresGrad()) db = g.sum(new int[] {0, 2, 3}, false);
        return new Tensor[] {dx, dw, db};
    }
}
