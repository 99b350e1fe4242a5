package dev.lethe.check;

import dev.lethe.check.OpInfo.ErrorSample;
import dev.lethe.check.OpInfo.Sample;
import dev.lethe.ops.Concat;
import dev.lethe.ops.Embedding;
import dev.lethe.ops.Gather;
import dev.lethe.ops.IndexSelect;
import dev.lethe.ops.Stack;
import dev.lethe.tensor.CounterRandom;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

import static dev.lethe.check.Samples.randn;

/** Op-table entries for the indexing ops: indexSelect, gather, embedding, concat, stack. */
final class IndexingOpInfos {
    private IndexingOpInfos() {}

    static List<OpInfo> all() {
        return List.of(
                new OpInfo("indexSelect", IndexSelect.class, "y[…, i, …] = x[…, index[i], …] along dim",
                        "∂x = indexAdd of g at index (repeats accumulate)",
                        List.of(Sample.of("[1] dim 0 by {0, 0, 0}", t -> t[0].indexSelect(0, 0, 0, 0), randn(1, 1)),
                                Sample.of("[3, 7] dim 1 by {6, 0, 0, 3}", t -> t[0].indexSelect(1, 6, 0, 0, 3), randn(2, 3, 7)),
                                Sample.of("[33, 17] narrowed to rows 5..21, dim 0", t -> t[0].narrow(0, 5, 17).indexSelect(0, 16, 1, 1, 8, 0),
                                        randn(3, 33, 17)),
                                Sample.of("[7, 3]ᵀ dim 1 (transposed)", t -> t[0].t().indexSelect(1, 2, 4, 6, 4), randn(4, 7, 3)),
                                Sample.of("[2, 3, 5] dim -1", t -> t[0].indexSelect(-1, 4, 3, 2, 1, 0, 4, 4), randn(5, 2, 3, 5))),
                        List.of(new ErrorSample("indexSelect index 3 in dim 1 of [2, 3]", () -> Tensor.zeros(2, 3).indexSelect(1, 0, 3),
                                        "indexSelect", "index 3", "[2, 3]"),
                                new ErrorSample("indexSelect index -1", () -> Tensor.zeros(2, 3).indexSelect(0, -1), "indexSelect", "-1", "[2, 3]"),
                                new ErrorSample("indexSelect dim 2 of [2, 3]", () -> Tensor.zeros(2, 3).indexSelect(2, 0),
                                        "indexSelect", "dim 2", "[2, 3]"))),
                new OpInfo("gather", Gather.class, "y[i][j][k] = x[i][index[i][j][k]][k] (dim 1)",
                        "∂x = scatterAdd of g at index (repeats accumulate); no gradient for index",
                        List.of(withIndex("[1] dim 0 by [1]", t -> t[0].gather(0, t[1]), randn(1, 1), indices(2, 1, 1)),
                                withIndex("[3, 7] dim 1 by [3, 5]", t -> t[0].gather(1, t[1]), randn(3, 3, 7), indices(4, 7, 3, 5)),
                                withIndex("[17, 3] dim 0 by [33, 3] (repeats)", t -> t[0].gather(0, t[1]), randn(5, 17, 3), indices(6, 17, 33, 3)),
                                withIndex("[5, 7]ᵀ dim -1 by [2, 7]ᵀ (both transposed)", t -> t[0].t().gather(-1, t[1].t()),
                                        randn(7, 5, 7), indices(8, 5, 2, 7)),
                                withIndex("[2, 3, 4] dim 1 by [2, 1, 3] (index smaller in other dims)", t -> t[0].gather(1, t[1]),
                                        randn(9, 2, 3, 4), indices(10, 3, 2, 1, 3))),
                        List.of(new ErrorSample("gather index 3 in dim 1 of [2, 3]",
                                        () -> Tensor.zeros(2, 3).gather(1, Tensor.fromArray(new float[] {0, 3}, 1, 2)), "gather", "index 3", "[2, 3]"),
                                new ErrorSample("gather index [2] for input [2, 3]",
                                        () -> Tensor.zeros(2, 3).gather(1, Tensor.zeros(2)), "gather", "[2]", "[2, 3]"),
                                new ErrorSample("gather index [3, 1] larger than input [2, 3]",
                                        () -> Tensor.zeros(2, 3).gather(1, Tensor.zeros(3, 1)), "gather", "[3, 1]", "[2, 3]"),
                                new ErrorSample("gather non-integer index 0.5",
                                        () -> Tensor.zeros(2, 3).gather(1, Tensor.full(0.5, 2, 1)), "gather", "0.5", "[2, 1]"))),
                new OpInfo("embedding", Embedding.class, "y[…, :] = weight[ids[…], :] (indexSelect on dim 0, reshaped)",
                        "∂weight = indexAdd of g rows at ids",
                        List.of(Sample.of("[1, 1] by {0}", t -> Tensor.embedding(t[0], 0), randn(1, 1, 1)),
                                Sample.of("[7, 3] by {0, 6, 2, 2}", t -> Tensor.embedding(t[0], 0, 6, 2, 2), randn(2, 7, 3)),
                                withIndex("[33, 17] by ids [2, 3]", t -> Tensor.embedding(t[0], t[1]), randn(3, 33, 17), indices(4, 33, 2, 3)),
                                Sample.of("[3, 7]ᵀ by {6, 1} (transposed table)", t -> Tensor.embedding(t[0].t(), 6, 1), randn(5, 3, 7))),
                        List.of(new ErrorSample("embedding id 7 for weight [7, 3]", () -> Tensor.embedding(Tensor.zeros(7, 3), 1, 7),
                                        "embedding", "id 7", "[7, 3]"),
                                new ErrorSample("embedding weight [7]", () -> Tensor.embedding(Tensor.zeros(7), 1), "embedding", "[7]"))),
                new OpInfo("concat", Concat.class, "y = [t₀ | t₁ | …] along dim", "∂tₖ = narrow(g, dim, offsetₖ, sizeₖ)",
                        List.of(Sample.of("[1] | [1]", t -> Tensor.concat(0, t[0], t[1]), randn(1, 1), randn(2, 1)),
                                Sample.of("[3, 7] | [3, 1] | [3, 17] dim 1", t -> Tensor.concat(1, t[0], t[1], t[2]),
                                        randn(3, 3, 7), randn(4, 3, 1), randn(5, 3, 17)),
                                Sample.of("[7, 3]ᵀ | [3, 33] dim -1 (transposed)", t -> Tensor.concat(-1, t[0].t(), t[1]), randn(6, 7, 3), randn(7, 3, 33)),
                                Sample.of("[2, 3, 5] | [2, 1, 5] narrowed dim 1", t -> Tensor.concat(1, t[0], t[1].narrow(1, 2, 1)),
                                        randn(8, 2, 3, 5), randn(9, 2, 4, 5))),
                        List.of(new ErrorSample("concat of nothing", () -> Tensor.concat(0), "concat", "none"),
                                new ErrorSample("concat [2, 3] with [3, 3] along dim 1", () -> Tensor.concat(1, Tensor.zeros(2, 3), Tensor.zeros(3, 3)),
                                        "concat", "[2, 3]", "[3, 3]"),
                                new ErrorSample("concat float32 with float64", () -> Tensor.concat(0, Tensor.zeros(2), Tensor.zeros(DType.FLOAT64, 2)),
                                        "concat", "float32", "float64"))),
                new OpInfo("stack", Stack.class, "y[…, k, …] = tₖ along a new dim (unsqueeze + concat)", "∂tₖ = slice k of g",
                        List.of(Sample.of("[1], [1] dim -1", t -> Tensor.stack(-1, t[0], t[1]), randn(1, 1), randn(2, 1)),
                                Sample.of("three [3, 7] dim 0", t -> Tensor.stack(0, t[0], t[1], t[2]), randn(3, 3, 7), randn(4, 3, 7), randn(5, 3, 7)),
                                Sample.of("[7, 3]ᵀ, [3, 7] dim 2 (transposed)", t -> Tensor.stack(2, t[0].t(), t[1]), randn(6, 7, 3), randn(7, 3, 7))),
                        List.of(new ErrorSample("stack [2, 3] with [2, 4]", () -> Tensor.stack(0, Tensor.zeros(2, 3), Tensor.zeros(2, 4)),
                                        "stack", "[2, 3]", "[2, 4]"),
                                new ErrorSample("stack of nothing", () -> Tensor.stack(0), "stack", "none"),
                                new ErrorSample("stack [2, 3] at dim 3", () -> Tensor.stack(3, Tensor.zeros(2, 3)), "stack", "dim 3", "[2, 3]"))));
    }

    /** A sample whose last input is an index tensor: only the first is differentiable. */
    static Sample withIndex(String description, Function<Tensor[], Tensor> fn, Tensor x, Tensor index) {
        return new Sample(description, new Tensor[] {x, index}, new boolean[] {true, false}, fn);
    }

    /** Seeded integers in [0, bound) as a float64 tensor, for index and target inputs. */
    static Tensor indices(long seed, int bound, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        for (int i = 0; i < t.numel(); i++) t.storage().set(i, CounterRandom.below(seed, i, bound));
        return t;
    }
}
