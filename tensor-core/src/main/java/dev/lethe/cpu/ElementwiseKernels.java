package dev.lethe.cpu;

import dev.lethe.backend.BinaryOp;
import dev.lethe.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * float32 elementwise rows on the Vector API. Each operator picks its vector and scalar forms
 * once per row (the switch sits outside the loop), and {@link #map}/{@link #zip} are small
 * enough for C2 to inline with the lambdas, so the vectors stay in registers.
 *
 * <p>A row whose operands are unit-stride (or stride 0, a broadcast scalar) runs vectorised;
 * any other stride runs the scalar form. Scalar mode ({@code -Dlethe.simd=scalar}) runs the
 * scalar form everywhere.
 */
final class ElementwiseKernels {
    private static final VectorSpecies<Float> F = Simd.F;

    /** A float function and its vector form, which must agree to float32 rounding. */
    interface FloatUnary {
        float apply(float x);
    }

    interface FloatBinary {
        float apply(float a, float b);
    }

    private ElementwiseKernels() {}

    static void unaryRow(UnaryOp op, float p, float q, int n, float[] out, int o, int os, float[] in, int i, int is) {
        switch (op) {
            case IDENTITY -> map(n, out, o, os, in, i, is, v -> v, x -> x);
            case NEG -> map(n, out, o, os, in, i, is, FloatVector::neg, x -> -x);
            case SCALE_SHIFT -> map(n, out, o, os, in, i, is, v -> v.fma(p, q), x -> Math.fma(p, x, q));
            // No vector form for the transcendentals: lanewise EXP/LOG/TANH give different bits
            // interpreted (a Math.* loop) than C2-compiled (SVML stubs), so results would depend on
            // JIT warm-up and training would not be bitwise reproducible. Math.* agrees in every tier.
            case EXP -> map(n, out, o, os, in, i, is, null, x -> (float) Math.exp(x));
            case LOG -> map(n, out, o, os, in, i, is, null, x -> (float) Math.log(x));
            case SQRT -> map(n, out, o, os, in, i, is, FloatVector::sqrt, x -> (float) Math.sqrt(x));
            case ABS -> map(n, out, o, os, in, i, is, FloatVector::abs, Math::abs);
            // Not v.max(0): that keeps NaN, while relu(NaN) = 0 in the reference and the scalar tail.
            case RELU -> map(n, out, o, os, in, i, is, v -> zero().blend(v, v.compare(VectorOperators.GT, 0f)), x -> x > 0 ? x : 0f);
            case SIGMOID -> map(n, out, o, os, in, i, is, null, x -> (float) (1.0 / (1.0 + Math.exp(-x))));
            case TANH -> map(n, out, o, os, in, i, is, null, x -> (float) Math.tanh(x));
            case GELU, GELU_GRAD, POW -> map(n, out, o, os, in, i, is, null, x -> (float) op.apply(x, p, q));
            case STEP -> map(n, out, o, os, in, i, is, v -> zero().blend(1f, v.compare(VectorOperators.GT, 0f)), x -> x > 0 ? 1f : 0f);
            case SIGN -> map(n, out, o, os, in, i, is,
                    v -> zero().blend(1f, v.compare(VectorOperators.GT, 0f)).blend(-1f, v.compare(VectorOperators.LT, 0f))
                            .blend(v, v.test(VectorOperators.IS_NAN)),
                    Math::signum);
            case CLAMP -> map(n, out, o, os, in, i, is, v -> v.max(p).min(q), x -> Math.min(Math.max(x, p), q));
            case IN_RANGE -> map(n, out, o, os, in, i, is, v -> {
                VectorMask<Float> m = v.compare(VectorOperators.GE, p).and(v.compare(VectorOperators.LE, q));
                return zero().blend(1f, m);
            }, x -> x >= p && x <= q ? 1f : 0f);
        }
    }

    static void binaryRow(BinaryOp op, int n, float[] out, int o, int os, float[] a, int ai, int as, float[] b, int bi, int bs) {
        switch (op) {
            case ADD -> zip(n, out, o, os, a, ai, as, b, bi, bs, FloatVector::add, Float::sum);
            case SUB -> zip(n, out, o, os, a, ai, as, b, bi, bs, FloatVector::sub, (x, y) -> x - y);
            case MUL -> zip(n, out, o, os, a, ai, as, b, bi, bs, FloatVector::mul, (x, y) -> x * y);
            case DIV -> zip(n, out, o, os, a, ai, as, b, bi, bs, FloatVector::div, (x, y) -> x / y);
            case MAX -> zip(n, out, o, os, a, ai, as, b, bi, bs, FloatVector::max, Math::max);
            case MIN -> zip(n, out, o, os, a, ai, as, b, bi, bs, FloatVector::min, Math::min);
            case GT -> zip(n, out, o, os, a, ai, as, b, bi, bs, (x, y) -> cmp(x, y, VectorOperators.GT), (x, y) -> x > y ? 1f : 0f);
            case GE -> zip(n, out, o, os, a, ai, as, b, bi, bs, (x, y) -> cmp(x, y, VectorOperators.GE), (x, y) -> x >= y ? 1f : 0f);
            case LT -> zip(n, out, o, os, a, ai, as, b, bi, bs, (x, y) -> cmp(x, y, VectorOperators.LT), (x, y) -> x < y ? 1f : 0f);
            case LE -> zip(n, out, o, os, a, ai, as, b, bi, bs, (x, y) -> cmp(x, y, VectorOperators.LE), (x, y) -> x <= y ? 1f : 0f);
            case EQ -> zip(n, out, o, os, a, ai, as, b, bi, bs, (x, y) -> cmp(x, y, VectorOperators.EQ), (x, y) -> x == y ? 1f : 0f);
            case NE -> zip(n, out, o, os, a, ai, as, b, bi, bs, (x, y) -> cmp(x, y, VectorOperators.NE), (x, y) -> x != y ? 1f : 0f);
        }
    }

    private static FloatVector zero() {
        return FloatVector.zero(F);
    }

    private static FloatVector cmp(FloatVector x, FloatVector y, VectorOperators.Comparison c) {
        return zero().blend(1f, x.compare(c, y));
    }

    /** out[o + k·os] = f(in[i + k·is]) for k < n; vectorised when both strides are 1 and {@code vf} exists. */
    static void map(int n, float[] out, int o, int os, float[] in, int i, int is, UnaryOperator<FloatVector> vf, FloatUnary sf) {
        int k = 0;
        if (vf != null && os == 1 && is == 1) {
            int bound = Simd.loopBound(n);
            for (; k < bound; k += F.length()) {
                vf.apply(FloatVector.fromArray(F, in, i + k)).intoArray(out, o + k);
            }
        }
        for (; k < n; k++) out[o + k * os] = sf.apply(in[i + k * is]);
    }

    /** out = f(a, b) over a row; vectorised when the output is unit-stride and each input has stride 1 or 0. */
    static void zip(int n, float[] out, int o, int os, float[] a, int ai, int as, float[] b, int bi, int bs,
                    BinaryOperator<FloatVector> vf, FloatBinary sf) {
        int k = 0;
        if (os == 1 && (as == 1 || as == 0) && (bs == 1 || bs == 0)) {
            int bound = Simd.loopBound(n);
            if (as == 1 && bs == 1) {
                for (; k < bound; k += F.length()) {
                    vf.apply(FloatVector.fromArray(F, a, ai + k), FloatVector.fromArray(F, b, bi + k)).intoArray(out, o + k);
                }
            } else if (as == 1) {
                FloatVector vb = FloatVector.broadcast(F, b[bi]);
                for (; k < bound; k += F.length()) vf.apply(FloatVector.fromArray(F, a, ai + k), vb).intoArray(out, o + k);
            } else if (bs == 1) {
                FloatVector va = FloatVector.broadcast(F, a[ai]);
                for (; k < bound; k += F.length()) vf.apply(va, FloatVector.fromArray(F, b, bi + k)).intoArray(out, o + k);
            }
        }
        for (; k < n; k++) out[o + k * os] = sf.apply(a[ai + k * as], b[bi + k * bs]);
    }
}
