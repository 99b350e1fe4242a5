package dev.lethe.check;

import dev.lethe.check.OpInfo.ErrorSample;
import dev.lethe.check.OpInfo.Sample;
import dev.lethe.ops.Add;
import dev.lethe.ops.Div;
import dev.lethe.ops.Log;
import dev.lethe.ops.Neg;
import dev.lethe.ops.Sub;
import dev.lethe.ops.Exp;
import dev.lethe.ops.Mul;
import dev.lethe.ops.ScaleShift;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;

import java.util.List;

import static dev.lethe.check.Samples.randn;

/** Op-table entries for the elementwise ops. */
final class ElementwiseOpInfos {
    private ElementwiseOpInfos() {}

    static List<OpInfo> all() {
        return List.of(
                new OpInfo("add", Add.class, "z = a + b (broadcast)", "∂a = g, ∂b = g, each summed to its shape",
                        binarySamples(t -> t[0].add(t[1])), binaryErrors("add", (a, b) -> a.add(b))),
                new OpInfo("mul", Mul.class, "z = a ⊙ b (broadcast)", "∂a = g ⊙ b, ∂b = g ⊙ a",
                        binarySamples(t -> t[0].mul(t[1])), binaryErrors("mul", (a, b) -> a.mul(b))),
                new OpInfo("scale_shift", ScaleShift.class, "y = s·x + t (x.mul(s), x.add(t))", "∂x = s·g",
                        unarySamples(t -> t[0].mul(-1.5).add(0.25), Samples::randn), List.of()),
                new OpInfo("sub", Sub.class, "z = a − b (broadcast)", "∂a = g, ∂b = −g, each summed to its shape",
                        binarySamples(t -> t[0].sub(t[1])), binaryErrors("sub", (a, b) -> a.sub(b))),
                new OpInfo("div", Div.class, "z = a / b (broadcast)", "∂a = g / b, ∂b = −g ⊙ z / b",
                        divSamples(), binaryErrors("div", (a, b) -> a.div(b))),
                new OpInfo("neg", Neg.class, "y = −x", "∂x = −g", unarySamples(t -> t[0].neg(), Samples::randn), List.of()),
                new OpInfo("log", Log.class, "y = ln x", "∂x = g / x", unarySamples(t -> t[0].log(), Samples::positive), List.of()),
                new OpInfo("exp", Exp.class, "y = eˣ", "∂x = g ⊙ y",
                        unarySamples(t -> t[0].exp(), Samples::randn), List.of()));
    }

    /** A source of sample values, e.g. {@link Samples#randn} or {@link Samples#positive}. */
    interface Values {
        Tensor make(long seed, int... shape);
    }

    /** Unary samples: odd sizes, a scalar, a transposed view and a sliced view. */
    static List<Sample> unarySamples(java.util.function.Function<Tensor[], Tensor> op, Values v) {
        return List.of(
                Sample.of("[1]", op, v.make(1, 1)),
                Sample.of("[] scalar", op, v.make(2)),
                Sample.of("[3, 7]", op, v.make(3, 3, 7)),
                Sample.of("[17, 33] (vector body + tail)", op, v.make(4, 17, 33)),
                Sample.of("[7, 3] transposed view", t -> op.apply(new Tensor[] {t[0].t()}), v.make(5, 3, 7)),
                Sample.of("[15, 9] narrowed to columns 2..7", t -> op.apply(new Tensor[] {t[0].narrow(1, 2, 5)}), v.make(6, 15, 9)));
    }

    /** Binary samples: equal shapes, broadcasting both ways, scalars, non-contiguous operands. */
    static List<Sample> binarySamples(java.util.function.Function<Tensor[], Tensor> op) {
        return List.of(
                Sample.of("[1] ∘ [1]", op, randn(1, 1), randn(2, 1)),
                Sample.of("[17] ∘ [17]", op, randn(3, 17), randn(4, 17)),
                Sample.of("[3, 33] ∘ [33] (row broadcast)", op, randn(5, 3, 33), randn(6, 33)),
                Sample.of("[7, 1] ∘ [1, 15] (outer broadcast)", op, randn(7, 7, 1), randn(8, 1, 15)),
                Sample.of("[2, 3, 5] ∘ [] (scalar)", op, randn(9, 2, 3, 5), randn(10)),
                Sample.of("[5, 7]ᵀ ∘ [7, 5] (transposed operand)", t -> op.apply(new Tensor[] {t[0].t(), t[1]}),
                        randn(11, 5, 7), randn(12, 7, 5)),
                Sample.of("[17, 17] narrowed ∘ [3, 17]", t -> op.apply(new Tensor[] {t[0].narrow(0, 4, 3), t[1]}),
                        randn(13, 17, 17), randn(14, 3, 17)));
    }

    /** Binary samples with a denominator kept away from zero. */
    static List<Sample> divSamples() {
        java.util.function.Function<Tensor[], Tensor> op = t -> t[0].div(t[1]);
        return List.of(
                Sample.of("[17] / [17]", op, randn(1, 17), Samples.positive(2, 17)),
                Sample.of("[3, 33] / [33] (row broadcast)", op, randn(3, 3, 33), Samples.positive(4, 33)),
                Sample.of("[7, 1] / [1, 15] (outer broadcast)", op, randn(5, 7, 1), Samples.positive(6, 1, 15)),
                Sample.of("[] / [5, 3]ᵀ (scalar numerator, transposed denominator)", t -> t[0].div(t[1].t()), randn(7), Samples.positive(8, 3, 5)));
    }

    /** Operands that do not broadcast, and mixed dtypes. */
    static List<ErrorSample> binaryErrors(String name, java.util.function.BinaryOperator<Tensor> op) {
        return List.of(
                new ErrorSample(name + " [2, 3] with [4]", () -> op.apply(Tensor.zeros(2, 3), Tensor.zeros(4)), name, "[2, 3]", "[4]"),
                new ErrorSample(name + " float32 with float64",
                        () -> op.apply(Tensor.zeros(2), Tensor.zeros(DType.FLOAT64, 2)), name, "float32", "float64"));
    }
}
