package dev.lethe.ops;

import dev.lethe.backend.Backends;
import dev.lethe.backend.BinaryOp;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * Forward kernels for the elementwise ops, with the shared checks: dtypes must match and
 * shapes must broadcast. Records nothing; each op adds its own backward.
 */
public final class Elementwise {
    private Elementwise() {}

    /** z = op(a, b) with broadcasting, after checking dtypes and shapes in the name of {@code name}. */
    public static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        OpChecks.sameDtype(name, a, b);
        Shapes.broadcast(name, a.shape(), b.shape());
        return Backends.of(a, b).binary(op, a, b);
    }

    /**
     * z = op(a, b) written into {@code out} (checked by {@link OutArgument}), which is
     * returned, its version bumped. Nothing is recorded for autograd.
     */
    public static Tensor binaryInto(String name, BinaryOp op, Tensor a, Tensor b, Tensor out) {
        OpChecks.sameDtype(name, a, b);
        OutArgument.check(name, Shapes.broadcast(name, a.shape(), b.shape()), a.dtype(), out, a, b);
        Backends.of(a, b, out).binaryInto(op, a, b, out);
        out.storage().bumpVersion();
        return out;
    }

    /** y = op(x; p, q) written into {@code out}, as {@link #binaryInto}. */
    public static Tensor unaryInto(String name, UnaryOp op, Tensor x, double p, double q, Tensor out) {
        OutArgument.check(name, x.shape(), x.dtype(), out, x);
        Backends.of(x, out).unaryInto(op, x, p, q, out);
        out.storage().bumpVersion();
        return out;
    }

    /** y = op(x; p, q). */
    public static Tensor unary(UnaryOp op, Tensor x, double p, double q) {
        return x.backend().unary(op, x, p, q);
    }

    /** y = op(x). */
    public static Tensor unary(UnaryOp op, Tensor x) {
        return x.backend().unary(op, x, 0, 0);
    }
}
