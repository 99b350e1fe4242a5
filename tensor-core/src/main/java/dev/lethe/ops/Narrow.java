package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * narrow: y = x[…, start : start+length, …] along one dim. A view (offset moved).
 * <p>∂L/∂x is zero except the narrowed slice, which receives ∂L/∂y.
 */
public final class Narrow {
    private Narrow() {}

    public static Tensor apply(Tensor x, int dim, int start, int length) {
        int[] shape = x.shape();
        int d = Shapes.dim("narrow", dim, shape);
        if (start < 0 || length < 0 || start + length > shape[d]) {
            throw new IllegalArgumentException("narrow: start " + start + " length " + length + " does not fit dim " + d
                    + " of shape " + Shapes.str(shape) + " (size " + shape[d] + ")");
        }
        int[] ns = shape.clone();
        ns[d] = length;
        int[] st = x.strides();
        Tensor y = Tensor.wrap(x.storage(), ns, st, x.offset() + (length == 0 ? 0 : start * st[d]));
        return Autograd.record("narrow", y, new Tensor[] {x}, g -> {
            Tensor gx = Tensor.zeros(g.dtype(), g.device(), shape);
            gx.narrow(d, start, length).copy_(g);
            return new Tensor[] {gx};
        });
    }
}
