package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * indexSelect: y[…, i, …] = x[…, index[i], …] along {@code dim}; y has index.length there.
 * <p>∂L/∂x[…, j, …] = Σ_{i : index[i] = j} ∂L/∂y[…, i, …] (an index-add, so repeated
 * indices accumulate).
 */
public final class IndexSelect {
    private IndexSelect() {}

    /**
     * @throws IllegalArgumentException if dim is out of range or an index is outside [0, size of dim)
     */
    public static Tensor apply(Tensor x, int dim, int[] index) {
        int[] shape = x.shape();
        int d = Shapes.dim("indexSelect", dim, shape);
        IndexChecks.inRange("indexSelect", "index", index, shape[d], "dim " + d + " of shape " + Shapes.str(shape));
        int[] idx = index.clone(); // the backward must see the indices of the forward
        Tensor y = x.backend().indexSelect(x, d, idx);
        return Autograd.record("indexSelect", y, new Tensor[] {x}, g -> new Tensor[] {g.backend().indexAdd(shape, d, idx, g)});
    }
}
