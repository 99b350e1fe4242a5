package dev.lethe.ops;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;

/**
 * stack along a new dim: y[…, k, …] = tₖ, for inputs of one shape. Composed as
 * concat(dim, unsqueeze(tₖ, dim) …), so ∂L/∂tₖ is slice k of ∂L/∂y.
 */
public final class Stack {
    private Stack() {}

    /**
     * @throws IllegalArgumentException if there are no tensors, their shapes or dtypes differ,
     *         or dim is outside [−rank−1, rank]
     */
    public static Tensor apply(int dim, Tensor... ts) {
        if (ts.length == 0) throw new IllegalArgumentException("stack: needs at least one tensor, got none");
        int[] first = ts[0].shape();
        for (int k = 1; k < ts.length; k++) {
            if (!Arrays.equals(ts[k].shape(), first)) {
                throw new IllegalArgumentException("stack: tensor " + k + " has shape " + Shapes.str(ts[k].shape()) + ", tensor 0 has "
                        + Shapes.str(first) + "; all must have one shape");
            }
        }
        int r = first.length;
        int d = dim < 0 ? dim + r + 1 : dim;
        if (d < 0 || d > r) {
            throw new IllegalArgumentException("stack: dim " + dim + " out of range for shape " + Shapes.str(first) + " (expected "
                    + (-r - 1) + " ≤ dim ≤ " + r + ")");
        }
        Tensor[] parts = new Tensor[ts.length];
        for (int k = 0; k < ts.length; k++) parts[k] = ts[k].unsqueeze(d);
        return Concat.apply(d, parts);
    }
}
