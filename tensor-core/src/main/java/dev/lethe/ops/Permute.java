package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;

/**
 * permute: y[i_{order[0]}, …] — result dim k is input dim order[k]. A view (strides reordered).
 * <p>∂L/∂x = permute(∂L/∂y, order⁻¹).
 */
public final class Permute {
    private Permute() {}

    public static Tensor apply(Tensor x, int... order) {
        int r = x.dim();
        int[] shape = x.shape();
        if (order.length != r) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " has " + order.length
                    + " dims for shape " + Shapes.str(shape));
        }
        int[] resolved = new int[r], inverse = new int[r];
        boolean[] seen = new boolean[r];
        for (int k = 0; k < r; k++) {
            int d = Shapes.dim("permute", order[k], shape);
            if (seen[d]) throw new IllegalArgumentException("permute: dim " + d + " repeated in " + Arrays.toString(order));
            seen[d] = true;
            resolved[k] = d;
            inverse[d] = k;
        }
        int[] st = x.strides(), ns = new int[r], nst = new int[r];
        for (int k = 0; k < r; k++) {
            ns[k] = shape[resolved[k]];
            nst[k] = st[resolved[k]];
        }
        Tensor y = Tensor.wrap(x.storage(), ns, nst, x.offset());
        return Autograd.record("permute", y, new Tensor[] {x}, g -> new Tensor[] {g.permute(inverse)});
    }
}
