package dev.lethe.ops;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * argmax / argmin along one dim: the index of the first maximum (minimum), as integer values
 * in x's dtype (exact up to 2²⁴ in float32). A NaN counts as the extremum, as in PyTorch.
 * Indices are not differentiable, so the result never requires grad.
 */
public final class ArgReduce {
    private ArgReduce() {}

    /** Index of the first maximum along {@code dim}. */
    public static Tensor argmax(Tensor x, int dim, boolean keepDim) {
        return reduce("argmax", true, x, dim, keepDim);
    }

    /** Index of the first minimum along {@code dim}. */
    public static Tensor argmin(Tensor x, int dim, boolean keepDim) {
        return reduce("argmin", false, x, dim, keepDim);
    }

    /** Index of the first maximum in row-major order over all elements, a 0-dim tensor. */
    public static Tensor argmax(Tensor x) {
        return reduce("argmax", true, x.detach().flatten(), 0, false);
    }

    /** Index of the first minimum in row-major order over all elements, a 0-dim tensor. */
    public static Tensor argmin(Tensor x) {
        return reduce("argmin", false, x.detach().flatten(), 0, false);
    }

    private static Tensor reduce(String name, boolean max, Tensor x, int dim, boolean keepDim) {
        int[] shape = x.shape();
        int d = Shapes.dim(name, dim, shape);
        if (x.dim() == 0) return Tensor.full(0.0, x.dtype(), x.device()); // one element, at index 0
        if (shape[d] == 0) {
            throw new IllegalArgumentException(name + ": dim " + dim + " of shape " + Shapes.str(shape) + " is empty");
        }
        return x.backend().argReduce(max, x.detach(), d, keepDim);
    }
}
