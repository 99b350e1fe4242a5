package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * gather along {@code dim}: y has index's shape and y[i][j][k] = x[i][index[i][j][k]][k]
 * (for dim = 1). index holds integers in any float dtype, has x's rank, and is no larger
 * than x in the other dims.
 * <p>∂L/∂x = scatterAdd of ∂L/∂y at the same positions (repeated indices accumulate); the
 * index gets no gradient.
 */
public final class Gather {
    private Gather() {}

    /**
     * @throws IllegalArgumentException on a rank mismatch, an index dim larger than x's, a
     *         non-integer index or one outside [0, size of dim)
     */
    public static Tensor apply(Tensor x, int dim, Tensor index) {
        int[] shape = x.shape(), ishape = index.shape();
        int d = Shapes.dim("gather", dim, shape);
        if (ishape.length != shape.length) {
            throw new IllegalArgumentException("gather: index of shape " + Shapes.str(ishape) + " must have the rank of input "
                    + Shapes.str(shape));
        }
        for (int k = 0; k < shape.length; k++) {
            if (k != d && ishape[k] > shape[k]) {
                throw new IllegalArgumentException("gather: index of shape " + Shapes.str(ishape) + " is larger than input "
                        + Shapes.str(shape) + " in dim " + k);
            }
        }
        IndexChecks.inRange("gather", "index", IndexChecks.integers("gather", "index", index), shape[d],
                "dim " + d + " of shape " + Shapes.str(shape));
        Tensor y = x.backend().gather(x, d, index);
        return Autograd.record("gather", y, new Tensor[] {x}, new Tensor[] {index},
                g -> new Tensor[] {g.backend().scatterAdd(shape, d, index, g)});
    }
}
