package dev.lethe.check;

import dev.lethe.check.OpInfo.ErrorSample;
import dev.lethe.check.OpInfo.Sample;
import dev.lethe.ops.Abs;
import dev.lethe.ops.Add;
import dev.lethe.ops.Clamp;
import dev.lethe.ops.Gelu;
import dev.lethe.ops.Maximum;
import dev.lethe.ops.Minimum;
import dev.lethe.ops.Pow;
import dev.lethe.ops.Relu;
import dev.lethe.ops.Sigmoid;
import dev.lethe.ops.Sqrt;
import dev.lethe.ops.Tanh;
import dev.lethe.ops.Where;
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
import java.util.function.Function;
import java.util.stream.Stream;

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
                        unarySamples(t -> t[0].exp(), Samples::randn), List.of()),
                new OpInfo("pow", Pow.class, "y = xᵖ (scalar p)", "∂x = g ⊙ p·xᵖ⁻¹",
                        concat(unarySamples(t -> t[0].pow(2.5), Samples::positive),
                                List.of(Sample.of("[3, 7] ^ −1.5", t -> t[0].pow(-1.5), Samples.positive(7, 3, 7)),
                                        Sample.of("[17] ^ 3 on signed values", t -> t[0].pow(3), randn(8, 17)),
                                        Sample.of("[5] ^ 0", t -> t[0].pow(0), randn(9, 5)))),
                        List.of()),
                new OpInfo("sqrt", Sqrt.class, "y = √x", "∂x = g / (2y)",
                        unarySamples(t -> t[0].sqrt(), Samples::positive), List.of()),
                new OpInfo("abs", Abs.class, "y = |x|", "∂x = g ⊙ sign(x), 0 at 0",
                        unarySamples(t -> t[0].abs(), ElementwiseOpInfos::offZero), List.of()),
                new OpInfo("relu", Relu.class, "y = max(x, 0)", "∂x = g ⊙ [x > 0]",
                        unarySamples(t -> t[0].relu(), ElementwiseOpInfos::offZero), List.of()),
                new OpInfo("sigmoid", Sigmoid.class, "y = 1/(1+e⁻ˣ)", "∂x = g ⊙ y(1−y)",
                        unarySamples(t -> t[0].sigmoid(), Samples::randn), List.of()),
                new OpInfo("tanh", Tanh.class, "y = tanh x", "∂x = g ⊙ (1 − y²)",
                        unarySamples(t -> t[0].tanh(), Samples::randn), List.of()),
                new OpInfo("gelu", Gelu.class, "y = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))",
                        "∂x = g ⊙ [½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²)]",
                        unarySamples(t -> t[0].gelu(), Samples::randn), List.of()),
                new OpInfo("clamp", Clamp.class, "y = min(max(x, lo), hi)", "∂x = g ⊙ [lo ≤ x ≤ hi]",
                        // distinct values sit on a 0.05 + 0.1k grid: these bounds stay ≥ 0.02 away
                        unarySamples(t -> t[0].clamp(-0.33, 0.47), Samples::distinct),
                        List.of(new ErrorSample("clamp with lo 1 above hi 0", () -> Tensor.zeros(3).clamp(1, 0), "clamp", "1.0", "0.0"))),
                new OpInfo("maximum", Maximum.class, "z = max(a, b) (broadcast)", "m = [a > b] + ½[a = b]; ∂a = g ⊙ m, ∂b = g ⊙ (1 − m)",
                        concat(binarySamples(t -> t[0].maximum(t[1]), Samples::distinct, ElementwiseOpInfos::offGrid),
                                List.of(tieSample(t -> t[0].maximum(t[1])))),
                        binaryErrors("maximum", (a, b) -> a.maximum(b))),
                new OpInfo("minimum", Minimum.class, "z = min(a, b) (broadcast)", "m = [a < b] + ½[a = b]; ∂a = g ⊙ m, ∂b = g ⊙ (1 − m)",
                        concat(binarySamples(t -> t[0].minimum(t[1]), Samples::distinct, ElementwiseOpInfos::offGrid),
                                List.of(tieSample(t -> t[0].minimum(t[1])))),
                        binaryErrors("minimum", (a, b) -> a.minimum(b))),
                new OpInfo("where", Where.class, "z = cond ≠ 0 ? a : b (broadcast)", "∂a = g ⊙ [cond ≠ 0], ∂b = g ⊙ [cond = 0]; none for cond",
                        whereSamples(), whereErrors()));
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        return Stream.of(lists).flatMap(List::stream).toList();
    }

    /** {@link Samples#distinct} shifted off its grid so that no value is 0 (relu's and abs's kink). */
    static Tensor offZero(long seed, int... shape) {
        return Samples.distinct(seed, shape).add(0.025);
    }

    /** {@link Samples#distinct} shifted by 0.025: paired with unshifted distinct values, never a near tie. */
    static Tensor offGrid(long seed, int... shape) {
        return Samples.distinct(seed + 1000, shape).add(0.025);
    }

    /**
     * Exact ties, where max/min switch: gradcheck's one-sided perturbation gives ½ for each
     * operand, which the ½/½ split matches.
     */
    static Sample tieSample(Function<Tensor[], Tensor> op) {
        Tensor a = Samples.distinct(21, 7);
        Tensor b = offGrid(22, 7);
        for (int i = 0; i < 7; i += 2) b.set(a.get(i), i);
        return Sample.of("[7] ∘ [7] with ties at even indices", op, a, b);
    }

    /** Masks of 0/1 with broadcasting, scalar and non-contiguous operands; cond is not differentiable. */
    static List<Sample> whereSamples() {
        boolean[] notCond = {false, true, true};
        Function<Tensor[], Tensor> op = t -> Tensor.where(t[0], t[1], t[2]);
        return List.of(
                new Sample("[17] ? [17] : [17]", new Tensor[] {mask(1, 17), randn(2, 17), randn(3, 17)}, notCond, op),
                new Sample("[3, 1] ? [3, 7] : [7] (broadcast)", new Tensor[] {mask(4, 3, 1), randn(5, 3, 7), randn(6, 7)}, notCond, op),
                new Sample("[] ? [5] : [1, 5] (scalar cond)", new Tensor[] {mask(7), randn(8, 5), randn(9, 1, 5)}, notCond, op),
                new Sample("[33] ? [] : [33] (scalar a)", new Tensor[] {mask(10, 33), randn(11), randn(12, 33)}, notCond, op),
                new Sample("[5, 7]ᵀ ? [7, 5]ᵀ : [7, 5] (transposed cond and a)", new Tensor[] {mask(13, 5, 7), randn(14, 5, 7), randn(15, 7, 5)},
                        notCond, t -> Tensor.where(t[0].t(), t[1].t(), t[2])));
    }

    /** About half ones, half zeros. */
    private static Tensor mask(long seed, int... shape) {
        return randn(seed, shape).gt(0.0);
    }

    static List<ErrorSample> whereErrors() {
        return List.of(
                new ErrorSample("where [2, 3] ? [2, 3] : [4]", () -> Tensor.where(Tensor.ones(2, 3), Tensor.zeros(2, 3), Tensor.zeros(4)),
                        "where", "[2, 3]", "[4]"),
                new ErrorSample("where [5] ? [2] : [2]", () -> Tensor.where(Tensor.ones(5), Tensor.zeros(2), Tensor.zeros(2)),
                        "where", "[5]", "[2]"),
                new ErrorSample("where with a float32, b float64",
                        () -> Tensor.where(Tensor.ones(2), Tensor.zeros(2), Tensor.zeros(DType.FLOAT64, 2)), "where", "float32", "float64"));
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
        return binarySamples(op, Samples::randn, Samples::randn);
    }

    /** {@link #binarySamples(Function)} with a drawn from {@code va} and b from {@code vb}. */
    static List<Sample> binarySamples(Function<Tensor[], Tensor> op, Values va, Values vb) {
        return List.of(
                Sample.of("[1] ∘ [1]", op, va.make(1, 1), vb.make(2, 1)),
                Sample.of("[17] ∘ [17]", op, va.make(3, 17), vb.make(4, 17)),
                Sample.of("[3, 33] ∘ [33] (row broadcast)", op, va.make(5, 3, 33), vb.make(6, 33)),
                Sample.of("[7, 1] ∘ [1, 15] (outer broadcast)", op, va.make(7, 7, 1), vb.make(8, 1, 15)),
                Sample.of("[2, 3, 5] ∘ [] (scalar)", op, va.make(9, 2, 3, 5), vb.make(10)),
                Sample.of("[5, 7]ᵀ ∘ [7, 5] (transposed operand)", t -> op.apply(new Tensor[] {t[0].t(), t[1]}),
                        va.make(11, 5, 7), vb.make(12, 7, 5)),
                Sample.of("[17, 17] narrowed ∘ [3, 17]", t -> op.apply(new Tensor[] {t[0].narrow(0, 4, 3), t[1]}),
                        va.make(13, 17, 17), vb.make(14, 3, 17)));
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
