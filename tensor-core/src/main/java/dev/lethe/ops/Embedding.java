package dev.lethe.ops;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * embedding: y[…, :] = weight[ids[…], :] for weight [V, D]; y has ids' shape followed by D.
 * Composed from {@link IndexSelect} along dim 0 and a reshape, so ∂L/∂weight is the
 * index-add of ∂L/∂y rows (rows of repeated ids accumulate).
 */
public final class Embedding {
    private Embedding() {}

    /** Rows {@code ids} of {@code weight}: [ids.length, D]. */
    public static Tensor apply(Tensor weight, int[] ids) {
        check(weight, ids);
        return IndexSelect.apply(weight, 0, ids);
    }

    /** Rows for ids of any shape (integer values in any float dtype): [ids.shape..., D]. */
    public static Tensor apply(Tensor weight, Tensor ids) {
        int[] flat = IndexChecks.integers("embedding", "ids", ids);
        check(weight, flat);
        return IndexSelect.apply(weight, 0, flat).reshape(IndexChecks.append(ids.shape(), weight.size(1)));
    }

    private static void check(Tensor weight, int[] ids) {
        OpChecks.rank("embedding", "weight", weight, 2);
        IndexChecks.inRange("embedding", "id", ids, weight.size(0), "weight of shape " + Shapes.str(weight.shape()));
    }
}
