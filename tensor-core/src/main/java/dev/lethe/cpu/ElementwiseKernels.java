package dev.lethe.cpu;

import dev.lethe.backend.BinaryOp;
import dev.lethe.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 elementwise rows on the Vector API.
 *
 * <p>Why a {@code switch} inside each vector loop rather than one loop per operator or a
 * lambda: Vector API code is fast only when C2 sees every vector operation with a constant
 * operator in the method it compiles; a vector passed through a call C2 did not inline is
 * boxed on the heap, which is 10–50× slower. With the switch in the loop body every branch
 * names its operator literally, nothing is called, and the branch is loop-invariant (the
 * predictor makes it nearly free), so the loop is fast however the method gets compiled.
 *
 * <p>A row whose output is unit-stride and whose inputs are unit-stride or stride 0 (a
 * broadcast scalar) runs vectorised; any other stride runs the scalar form. Scalar mode
 * ({@code -Dlethe.simd=scalar}) runs the scalar form everywhere.
 */
final class ElementwiseKernels {
    private static final VectorSpecies<Float> F = Simd.F;

    private ElementwiseKernels() {}

    /**
     * Whether {@code op} runs on vectors. The transcendental ones do not: the Vector API's
     * lanewise EXP/LOG/TANH/POW give different bits interpreted (a per-lane Math loop) than
     * C2-compiled (SVML stubs), so results would depend on JIT warm-up and training would not
     * be bitwise reproducible. {@code Math.*} agrees in every tier.
     */
    private static boolean vectorised(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, SIGMOID, TANH, GELU, GELU_GRAD, POW -> false;
            default -> true;
        };
    }

    /** out[o + k·os] = op(in[i + k·is]; p, q) for k &lt; n. */
    static void unaryRow(UnaryOp op, float p, float q, int n, float[] out, int o, int os, float[] in, int i, int is) {
        int k = 0;
        if (os == 1 && is == 1 && vectorised(op)) {
            int bound = Simd.loopBound(n);
            FloatVector zero = FloatVector.zero(F);
            for (; k < bound; k += F.length()) {
                FloatVector v = FloatVector.fromArray(F, in, i + k);
                FloatVector r = switch (op) {
                    case IDENTITY -> v;
                    case NEG -> v.neg();
                    case SCALE_SHIFT -> v.fma(p, q);
                    case SQRT -> v.sqrt();
                    case ABS -> v.abs();
                    // Not v.max(0): that keeps NaN, while relu(NaN) = 0 in the reference and the tail.
                    case RELU -> zero.blend(v, v.compare(VectorOperators.GT, 0f));
                    case STEP -> zero.blend(1f, v.compare(VectorOperators.GT, 0f));
                    case SIGN -> zero.blend(1f, v.compare(VectorOperators.GT, 0f))
                            .blend(-1f, v.compare(VectorOperators.LT, 0f))
                            .blend(v, v.test(VectorOperators.IS_NAN));
                    case CLAMP -> v.max(p).min(q);
                    case IN_RANGE -> {
                        VectorMask<Float> m = v.compare(VectorOperators.GE, p).and(v.compare(VectorOperators.LE, q));
                        yield zero.blend(1f, m);
                    }
                    case EXP, LOG, SIGMOID, TANH, GELU, GELU_GRAD, POW -> throw new AssertionError(op);
                };
                r.intoArray(out, o + k);
            }
        }
        for (; k < n; k++) out[o + k * os] = unaryScalar(op, in[i + k * is], p, q);
    }

    /** The float form of each operator, matching the vector form to float32 rounding. */
    static float unaryScalar(UnaryOp op, float x, float p, float q) {
        return switch (op) {
            case IDENTITY -> x;
            case NEG -> -x;
            case SCALE_SHIFT -> Math.fma(p, x, q);
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case ABS -> Math.abs(x);
            case RELU -> x > 0 ? x : 0f;
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            case TANH -> (float) Math.tanh(x);
            case STEP -> x > 0 ? 1f : 0f;
            case SIGN -> Math.signum(x);
            case CLAMP -> Math.min(Math.max(x, p), q);
            case IN_RANGE -> x >= p && x <= q ? 1f : 0f;
            case GELU, GELU_GRAD, POW -> (float) op.apply(x, p, q);
        };
    }

    /** out[o + k·os] = op(a[ai + k·as], b[bi + k·bs]) for k &lt; n. */
    static void binaryRow(BinaryOp op, int n, float[] out, int o, int os, float[] a, int ai, int as, float[] b, int bi, int bs) {
        int k = 0;
        if (os == 1 && (as == 1 || as == 0) && (bs == 1 || bs == 0) && (as | bs) != 0) {
            int bound = Simd.loopBound(n);
            FloatVector zero = FloatVector.zero(F);
            FloatVector aFixed = FloatVector.broadcast(F, a[ai]), bFixed = FloatVector.broadcast(F, b[bi]);
            for (; k < bound; k += F.length()) {
                FloatVector va = as == 1 ? FloatVector.fromArray(F, a, ai + k) : aFixed;
                FloatVector vb = bs == 1 ? FloatVector.fromArray(F, b, bi + k) : bFixed;
                FloatVector r = switch (op) {
                    case ADD -> va.add(vb);
                    case SUB -> va.sub(vb);
                    case MUL -> va.mul(vb);
                    case DIV -> va.div(vb);
                    case MAX -> va.max(vb);
                    case MIN -> va.min(vb);
                    case GT -> zero.blend(1f, va.compare(VectorOperators.GT, vb));
                    case GE -> zero.blend(1f, va.compare(VectorOperators.GE, vb));
                    case LT -> zero.blend(1f, va.compare(VectorOperators.LT, vb));
                    case LE -> zero.blend(1f, va.compare(VectorOperators.LE, vb));
                    case EQ -> zero.blend(1f, va.compare(VectorOperators.EQ, vb));
                    case NE -> zero.blend(1f, va.compare(VectorOperators.NE, vb));
                };
                r.intoArray(out, o + k);
            }
        }
        for (; k < n; k++) out[o + k * os] = binaryScalar(op, a[ai + k * as], b[bi + k * bs]);
    }

    /** The float form of each binary operator. */
    static float binaryScalar(BinaryOp op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            case GT -> x > y ? 1f : 0f;
            case GE -> x >= y ? 1f : 0f;
            case LT -> x < y ? 1f : 0f;
            case LE -> x <= y ? 1f : 0f;
            case EQ -> x == y ? 1f : 0f;
            case NE -> x != y ? 1f : 0f;
        };
    }
}
