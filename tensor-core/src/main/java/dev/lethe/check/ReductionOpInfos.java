package dev.lethe.check;

import dev.lethe.check.OpInfo.ErrorSample;
import dev.lethe.check.OpInfo.Sample;
import dev.lethe.ops.LogSumExp;
import dev.lethe.ops.Max;
import dev.lethe.ops.Mean;
import dev.lethe.ops.Min;
import dev.lethe.ops.Sum;
import dev.lethe.ops.Variance;
import dev.lethe.tensor.Tensor;

import java.util.List;
import java.util.stream.Stream;

import static dev.lethe.check.Samples.randn;

/** Op-table entries for the reductions. */
final class ReductionOpInfos {
    private ReductionOpInfos() {}

    static List<OpInfo> all() {
        return List.of(
                new OpInfo("sum", Sum.class, "y = Σ_{dims} x", "∂x = g broadcast over the reduced dims",
                        reduceSamples((x, dims, keep) -> x.sum(dims, keep), Samples::randn),
                        reduceErrors("sum", (x, dims, keep) -> x.sum(dims, keep))),
                new OpInfo("mean", Mean.class, "y = (1/n)·Σ_{dims} x", "∂x = g / n broadcast over the reduced dims",
                        reduceSamples((x, dims, keep) -> x.mean(dims, keep), Samples::randn),
                        reduceErrors("mean", (x, dims, keep) -> x.mean(dims, keep))),
                new OpInfo("max", Max.class, "y = max_{dims} x", "∂x = g ⊙ [x = y] / #[x = y] (ties share)",
                        reduceSamples((x, dims, keep) -> x.max(dims, keep), Samples::distinct),
                        reduceErrors("max", (x, dims, keep) -> x.max(dims, keep))),
                new OpInfo("min", Min.class, "y = min_{dims} x", "∂x = g ⊙ [x = y] / #[x = y] (ties share)",
                        reduceSamples((x, dims, keep) -> x.min(dims, keep), Samples::distinct),
                        reduceErrors("min", (x, dims, keep) -> x.min(dims, keep))),
                new OpInfo("var", Variance.class, "y = Σ_{dims} (x − x̄)² / (n − c), c = 1 by default",
                        "∂x = g ⊙ 2(x − x̄)/(n − c) (composed)",
                        // correction 0 in the shared samples, whose first reduces a single element
                        Stream.concat(reduceSamples((x, dims, keep) -> x.var(dims, keep, 0), Samples::randn).stream(), Stream.of(
                                Sample.of("dim 1 of [3, 17], correction 1", t -> t[0].var(new int[] {1}, false), randn(11, 3, 17)),
                                Sample.of("all of [7, 3]ᵀ, correction 1", t -> t[0].t().var(), randn(12, 7, 3)),
                                Sample.of("dims 0, 1 of [2, 3, 5] keepDim, correction 2", t -> t[0].var(new int[] {0, 1}, true, 2),
                                        randn(13, 2, 3, 5)))).toList(),
                        Stream.concat(reduceErrors("var", (x, dims, keep) -> x.var(dims, keep)).stream(), Stream.of(
                                new ErrorSample("var of one element, correction 1", () -> Tensor.zeros(3, 1).var(new int[] {1}, false),
                                        "var", "[3, 1]", "correction 1"))).toList()),
                new OpInfo("logsumexp", LogSumExp.class, "y = m + log Σ_{dims} e^(x − m), m = max x (detached)",
                        "∂x = g ⊙ softmax(x) over the reduced dims (composed)",
                        Stream.concat(reduceSamples((x, dims, keep) -> x.logSumExp(dims, keep), Samples::randn).stream(), Stream.of(
                                Sample.of("dim 1 of [3, 7] near 1000 (would overflow without the shift)",
                                        t -> t[0].logSumExp(new int[] {1}, false), randn(14, 3, 7).add(1000.0)))).toList(),
                        reduceErrors("logsumexp", (x, dims, keep) -> x.logSumExp(dims, keep))));
    }

    /** A reduction called with dims and keepDim. */
    interface Reduction {
        Tensor apply(Tensor x, int[] dims, boolean keepDim);
    }

    static List<Sample> reduceSamples(Reduction r, ElementwiseOpInfos.Values v) {
        return List.of(
                Sample.of("all of [1]", t -> r.apply(t[0], new int[0], false), v.make(1, 1)),
                Sample.of("all of [3, 7]", t -> r.apply(t[0], new int[0], false), v.make(2, 3, 7)),
                Sample.of("dim 1 of [3, 17] keepDim", t -> r.apply(t[0], new int[] {1}, true), v.make(3, 3, 17)),
                Sample.of("dim 0 of [33, 5]", t -> r.apply(t[0], new int[] {0}, false), v.make(4, 33, 5)),
                Sample.of("dims 0, 2 of [3, 5, 7]", t -> r.apply(t[0], new int[] {0, 2}, false), v.make(5, 3, 5, 7)),
                Sample.of("dim -1 of [7, 3]ᵀ", t -> r.apply(t[0].t(), new int[] {-1}, true), v.make(6, 7, 3)),
                Sample.of("dim 1 of [4, 17, 2]", t -> r.apply(t[0], new int[] {1}, false), v.make(7, 4, 17, 2)));
    }

    static List<ErrorSample> reduceErrors(String name, Reduction r) {
        return List.of(new ErrorSample(name + " over dim 2 of [2, 3]",
                () -> r.apply(Tensor.zeros(2, 3), new int[] {2}, false), name, "dim 2", "[2, 3]"));
    }
}
