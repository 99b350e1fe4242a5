package dev.lethe.check;

import dev.lethe.check.OpInfo.ErrorSample;
import dev.lethe.check.OpInfo.Sample;
import dev.lethe.ops.Cast;
import dev.lethe.ops.Contiguous;
import dev.lethe.ops.Expand;
import dev.lethe.ops.Narrow;
import dev.lethe.ops.Permute;
import dev.lethe.ops.Reshape;
import dev.lethe.tensor.Tensor;

import java.util.List;

import static dev.lethe.check.Samples.randn;

/** Op-table entries for views and copies. */
final class ShapeOpInfos {
    private ShapeOpInfos() {}

    static List<OpInfo> all() {
        return List.of(
                new OpInfo("reshape", Reshape.class, "same elements, new shape (view when contiguous)", "∂x = reshape(g, shape(x))",
                        List.of(Sample.of("[3, 7] → [7, 3]", t -> t[0].reshape(7, 3), randn(1, 3, 7)),
                                Sample.of("[2, 3, 5] → [-1, 5]", t -> t[0].reshape(-1, 5), randn(2, 2, 3, 5)),
                                Sample.of("transposed [5, 3] → [15] (copy)", t -> t[0].t().reshape(15), randn(3, 3, 5))),
                        List.of(new ErrorSample("reshape [2, 3] to [4]", () -> Tensor.zeros(2, 3).reshape(4), "reshape", "[2, 3]", "[4]"))),
                new OpInfo("permute", Permute.class, "y dim k = x dim order[k] (view)", "∂x = permute(g, order⁻¹)",
                        List.of(Sample.of("[2, 3, 5] by (2, 0, 1)", t -> t[0].permute(2, 0, 1), randn(1, 2, 3, 5)),
                                Sample.of("[7, 3]ᵀ", t -> t[0].t(), randn(2, 7, 3))),
                        List.of(new ErrorSample("permute [2, 3] by (0, 0)", () -> Tensor.zeros(2, 3).permute(0, 0), "permute", "repeated"))),
                new OpInfo("narrow", Narrow.class, "y = x[…, s:s+n, …] (view)", "∂x = g in the slice, 0 elsewhere",
                        List.of(Sample.of("[17, 3] rows 4..10", t -> t[0].narrow(0, 4, 7), randn(1, 17, 3)),
                                Sample.of("[3, 33] last column", t -> t[0].narrow(-1, 32, 1), randn(2, 3, 33))),
                        List.of(new ErrorSample("narrow [2, 3] dim 1 from 2 length 2", () -> Tensor.zeros(2, 3).narrow(1, 2, 2),
                                "narrow", "[2, 3]"))),
                new OpInfo("expand", Expand.class, "broadcast size-1 dims with stride 0 (view)", "∂x = g summed over expanded dims",
                        List.of(Sample.of("[3, 1] → [3, 7]", t -> t[0].expand(3, 7), randn(1, 3, 1)),
                                Sample.of("[5] → [2, 3, 5]", t -> t[0].expand(2, 3, 5), randn(2, 5))),
                        List.of(new ErrorSample("expand [2, 3] to [4, 3]", () -> Tensor.zeros(2, 3).expand(4, 3), "expand", "[2, 3]", "[4, 3]"))),
                new OpInfo("contiguous", Contiguous.class, "y = x copied row-major (clone)", "∂x = g",
                        List.of(Sample.of("[7, 3]ᵀ", t -> t[0].t().contiguous(), randn(1, 7, 3)),
                                Sample.of("clone [17]", t -> t[0].clone(), randn(2, 17))),
                        List.of()),
                new OpInfo("to", Cast.class, "y = x in another dtype", "∂x = g in x's dtype",
                        List.of(Sample.of("[3, 7] to its own dtype (a copy through the cast kernel)", t -> Cast.apply(t[0], t[0].dtype()),
                                randn(1, 3, 7))),
                        List.of()));
    }
}
