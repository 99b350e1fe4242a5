package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * unfold (im2col): x [N, C, H, W] → cols [N, C·kh·kw, oh·ow], where column (y, x) of row
 * (c, i, j) is x[c, y·sh − ph + i, x·sw − pw + j] (0 in the padding), oh = ⌊(H + 2ph − kh)/sh⌋ + 1
 * and ow likewise. It turns convolution and pooling into a matmul or a reduction.
 * <p>∂L/∂x = fold(∂L/∂cols) (col2im): each column entry is added back to the pixel it came
 * from, so pixels shared by overlapping windows accumulate.
 */
public final class Unfold {
    private Unfold() {}

    /** @throws IllegalArgumentException on a non-4-D input or a window that does not fit */
    public static Tensor apply(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        checkWindow("unfold", x, kh, kw, sh, sw, ph, pw);
        int[] shape = x.shape();
        Tensor cols = x.backend().unfold(x, kh, kw, sh, sw, ph, pw);
        return Autograd.record("unfold", cols, new Tensor[] {x},
                g -> new Tensor[] {g.backend().fold(g, shape, kh, kw, sh, sw, ph, pw)});
    }

    /** The output height and width for input {@code [N, C, h, w]}. */
    static int[] outputSize(int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
        return new int[] {Shapes.windows(h, kh, sh, ph), Shapes.windows(w, kw, sw, pw)};
    }

    /**
     * A [N, C, H, W] input and a kh×kw window with positive stride and non-negative padding that
     * fits inside the padded image; messages in the name of {@code op}.
     */
    static void checkWindow(String op, Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        int[] s = x.shape();
        if (s.length != 4) throw new IllegalArgumentException(op + ": input must be 4-D [N, C, H, W], got shape " + Shapes.str(s));
        if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || ph < 0 || pw < 0) {
            throw new IllegalArgumentException(op + ": need kernel ≥ 1, stride ≥ 1, padding ≥ 0; got kernel " + kh + "×" + kw + ", stride "
                    + sh + "×" + sw + ", padding " + ph + "×" + pw);
        }
        if (kh > s[2] + 2 * ph || kw > s[3] + 2 * pw) {
            throw new IllegalArgumentException(op + ": kernel " + kh + "×" + kw + " is larger than the padded input "
                    + (s[2] + 2 * ph) + "×" + (s[3] + 2 * pw) + " (input shape " + Shapes.str(s) + ", padding " + ph + "×" + pw + ")");
        }
    }
}
