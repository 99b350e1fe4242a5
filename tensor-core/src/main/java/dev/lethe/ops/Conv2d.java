package dev.lethe.ops;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * conv2d (cross-correlation, as PyTorch): for x [N, C, H, W], w [O, C, kh, kw] and optional
 * bias [O], out[n, o, y, x] = b[o] + Σ_{c,i,j} w[o, c, i, j]·x[n, c, y·sh − ph + i, x·sw − pw + j]
 * (zero padding), shape [N, O, oh, ow] with oh = ⌊(H + 2ph − kh)/sh⌋ + 1.
 * <p>Composed as im2col + GEMM: cols = {@link Unfold}(x) [N, C·kh·kw, oh·ow], out =
 * w.reshape(O, C·kh·kw) · cols. So ∂L/∂w = Σ_n ∂L/∂out_n · cols_nᵀ,
 * ∂L/∂x = fold(wᵀ · ∂L/∂out), ∂L/∂b = Σ_{n,y,x} ∂L/∂out.
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
        int[] o = Unfold.outputSize(xs[2], xs[3], ws[2], ws[3], sh, sw, ph, pw);
        Tensor cols = Unfold.apply(x, ws[2], ws[3], sh, sw, ph, pw);
        Tensor out = w.reshape(ws[0], -1).matmul(cols).reshape(xs[0], ws[0], o[0], o[1]);
        return bias == null ? out : out.add(bias.reshape(1, ws[0], 1, 1));
    }
}
