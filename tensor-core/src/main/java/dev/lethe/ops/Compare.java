package dev.lethe.ops;

import dev.lethe.backend.BinaryOp;
import dev.lethe.tensor.Tensor;

/**
 * Comparisons, z = [a ∘ b] as 0/1 in the operands' dtype, broadcast. Not differentiable
 * (the derivative is 0 almost everywhere), so the result never requires grad; use it as a
 * mask, e.g. with {@link Where}. A double operand is a scalar of a's dtype.
 */
public final class Compare {
    private Compare() {}

    public static Tensor gt(Tensor a, Tensor b) { return compare("gt", BinaryOp.GT, a, b); }
    public static Tensor ge(Tensor a, Tensor b) { return compare("ge", BinaryOp.GE, a, b); }
    public static Tensor lt(Tensor a, Tensor b) { return compare("lt", BinaryOp.LT, a, b); }
    public static Tensor le(Tensor a, Tensor b) { return compare("le", BinaryOp.LE, a, b); }
    public static Tensor eq(Tensor a, Tensor b) { return compare("eq", BinaryOp.EQ, a, b); }
    public static Tensor ne(Tensor a, Tensor b) { return compare("ne", BinaryOp.NE, a, b); }

    public static Tensor gt(Tensor a, double b) { return gt(a, Tensor.scalar(b, a.dtype())); }
    public static Tensor ge(Tensor a, double b) { return ge(a, Tensor.scalar(b, a.dtype())); }
    public static Tensor lt(Tensor a, double b) { return lt(a, Tensor.scalar(b, a.dtype())); }
    public static Tensor le(Tensor a, double b) { return le(a, Tensor.scalar(b, a.dtype())); }
    public static Tensor eq(Tensor a, double b) { return eq(a, Tensor.scalar(b, a.dtype())); }
    public static Tensor ne(Tensor a, double b) { return ne(a, Tensor.scalar(b, a.dtype())); }

    /** The kernel output is fresh and never recorded, so it is a leaf without grad. */
    private static Tensor compare(String name, BinaryOp op, Tensor a, Tensor b) {
        return Elementwise.binary(name, op, a, b);
    }
}
