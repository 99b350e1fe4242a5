package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * expand: broadcast size-1 dims (and new leading dims) to a larger shape with stride 0, no copy.
 * <p>∂L/∂x = ∂L/∂y summed over the broadcast dims.
 */
public final class Expand {
    private Expand() {}

    public static Tensor apply(Tensor x, int... shape) {
        int[] from = x.shape();
        int lead = shape.length - from.length;
        if (lead < 0) {
            throw new IllegalArgumentException("expand: target " + Shapes.str(shape) + " has fewer dims than " + Shapes.str(from));
        }
        int[] target = shape.clone();
        for (int i = 0; i < target.length; i++) {
            int d = i - lead;
            if (target[i] == -1) {
                if (d < 0) throw new IllegalArgumentException("expand: -1 not allowed for new leading dim " + i + " in " + Shapes.str(shape));
                target[i] = from[d];
            }
            if (d >= 0 && from[d] != 1 && from[d] != target[i]) {
                throw new IllegalArgumentException("expand: cannot expand " + Shapes.str(from) + " to " + Shapes.str(shape)
                        + " (dim " + i + ": " + from[d] + " is not 1)");
            }
        }
        Shapes.validate("expand", target);
        Tensor y = Tensor.wrap(x.storage(), target, Shapes.broadcastStrides(from, x.strides(), target), x.offset());
        return Autograd.record("expand", y, new Tensor[] {x}, g -> new Tensor[] {g.sumToShape(from)});
    }
}
