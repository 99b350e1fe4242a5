package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.Backends;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * matmul: C = A·B, c_ij = Σ_p a_ip·b_pj, with NumPy's rules: a 1-D A is a row [1, k] and a
 * 1-D B a column [k, 1] (the added dim is removed again); leading batch dims broadcast.
 * <p>∂L/∂A = ∂L/∂C · Bᵀ, ∂L/∂B = Aᵀ · ∂L/∂C (batch dims summed back by the engine).
 */
public final class Matmul {
    private Matmul() {}

    public static Tensor apply(Tensor a, Tensor b) {
        OpChecks.sameDtype("matmul", a, b);
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: operands must be at least 1-D, a is " + Shapes.str(a.shape())
                    + ", b is " + Shapes.str(b.shape()));
        }
        Tensor a2 = a.dim() == 1 ? a.unsqueeze(0) : a;
        Tensor b2 = b.dim() == 1 ? b.unsqueeze(1) : b;
        int ka = a2.size(-1), kb = b2.size(-2);
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ, a is " + Shapes.str(a.shape()) + ", b is "
                    + Shapes.str(b.shape()));
        }
        Tensor c = Backends.of(a2, b2).matmul(a2, b2);
        Tensor out = Autograd.record("matmul", c, new Tensor[] {a2, b2}, new Tensor[] {a2, b2}, g -> new Tensor[] {
            a2.requiresGrad() ? (columnMajor(a2) ? b2.matmul(g.transpose(-1, -2)).transpose(-1, -2) : g.matmul(b2.transpose(-1, -2))) : null,
            b2.requiresGrad() ? (columnMajor(b2) ? g.transpose(-1, -2).matmul(a2).transpose(-1, -2) : a2.transpose(-1, -2).matmul(g)) : null});
        if (a.dim() == 1) out = out.squeeze(-2);
        if (b.dim() == 1) out = out.squeeze(-1);
        return out;
    }

    /**
     * True for a transposed view such as Linear's {@code W.t()}. Its gradient is then computed
     * as the transpose of (the other operand's product) so that, after the view's own
     * backward, it arrives in the parameter's row-major layout instead of needing a strided
     * transpose copy: (Aᵀ·g) = (gᵀ·A)ᵀ, the same sums in the same order.
     */
    private static boolean columnMajor(Tensor t) {
        int[] st = t.strides();
        int r = st.length;
        return st[r - 2] == 1 && st[r - 1] != 1 && t.size(-2) > 1;
    }
}
