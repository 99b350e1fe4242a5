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
     * Whether {@code op} runs on vectors. The transcendental ones run {@link VectorMath}, not the
     * Vector API's lanewise EXP/LOG/TANH: those give different bits interpreted (a per-lane Math
     * loop) than C2-compiled (SVML stubs), so results would depend on JIT warm-up and training
     * would not be bitwise reproducible. POW stays scalar ({@code Math.pow}): exp(p·ln x) in
     * float32 loses ~|p·ln x| ulp, and pow's special cases (negative bases, integer exponents)
     * would need their own exact handling.
     */
    private static boolean vectorised(UnaryOp op) {
        return op != UnaryOp.POW;
    }

    /** Whether {@code op} runs one of the {@link VectorMath} loops below rather than the shared switch loop. */
    private static boolean transcendental(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, SIGMOID, TANH, GELU, GELU_GRAD -> true;
            default -> false;
        };
    }

    /** out[o + k·os] = op(in[i + k·is]; p, q) for k &lt; n. */
    static void unaryRow(UnaryOp op, float p, float q, int n, float[] out, int o, int os, float[] in, int i, int is) {
        int k = 0;
        if (os == 1 && is == 1 && transcendental(op)) {
            k = transcendentalBody(op, n, out, o, in, i);
        } else if (os == 1 && is == 1 && vectorised(op)) {
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

    /**
     * The vector body of a unit-stride transcendental row; returns where the scalar tail starts.
     *
     * <p>Why one loop per function instead of cases in the switch loop above: each {@link
     * VectorMath} function is a few hundred bytecodes of Vector API calls, and C2 stops inlining
     * once a compiled method has taken in about 8000 bytecodes, so with all six in one loop
     * some calls were left out of line ("too big" in {@code -XX:+PrintInlining}) and their
     * vectors boxed. A loop per function keeps each compiled method small.
     */
    private static int transcendentalBody(UnaryOp op, int n, float[] out, int o, float[] in, int i) {
        return switch (op) {
            case EXP -> expBody(n, out, o, in, i);
            case LOG -> logBody(n, out, o, in, i);
            case SIGMOID -> sigmoidBody(n, out, o, in, i);
            case TANH -> tanhBody(n, out, o, in, i);
            case GELU -> geluBody(n, out, o, in, i);
            case GELU_GRAD -> geluGradBody(n, out, o, in, i);
            default -> throw new AssertionError(op);
        };
    }

    private static int expBody(int n, float[] out, int o, float[] in, int i) {
        int k = 0;
        for (int bound = Simd.loopBound(n); k < bound; k += F.length()) {
            VectorMath.exp(FloatVector.fromArray(F, in, i + k)).intoArray(out, o + k);
        }
        return k;
    }

    private static int logBody(int n, float[] out, int o, float[] in, int i) {
        int k = 0;
        for (int bound = Simd.loopBound(n); k < bound; k += F.length()) {
            VectorMath.log(FloatVector.fromArray(F, in, i + k)).intoArray(out, o + k);
        }
        return k;
    }

    private static int sigmoidBody(int n, float[] out, int o, float[] in, int i) {
        int k = 0;
        for (int bound = Simd.loopBound(n); k < bound; k += F.length()) {
            VectorMath.sigmoid(FloatVector.fromArray(F, in, i + k)).intoArray(out, o + k);
        }
        return k;
    }

    private static int tanhBody(int n, float[] out, int o, float[] in, int i) {
        int k = 0;
        for (int bound = Simd.loopBound(n); k < bound; k += F.length()) {
            VectorMath.tanh(FloatVector.fromArray(F, in, i + k)).intoArray(out, o + k);
        }
        return k;
    }

    private static int geluBody(int n, float[] out, int o, float[] in, int i) {
        int k = 0;
        for (int bound = Simd.loopBound(n); k < bound; k += F.length()) {
            VectorMath.gelu(FloatVector.fromArray(F, in, i + k)).intoArray(out, o + k);
        }
        return k;
    }

    private static int geluGradBody(int n, float[] out, int o, float[] in, int i) {
        int k = 0;
        for (int bound = Simd.loopBound(n); k < bound; k += F.length()) {
            VectorMath.geluGrad(FloatVector.fromArray(F, in, i + k)).intoArray(out, o + k);
        }
        return k;
    }

    /**
     * The float form of each operator, giving the same bits as the vector form (the
     * transcendentals run the same {@link VectorMath} algorithm), so a row's result does not
     * depend on which elements fell in the vector body and which in the tail.
     */
    static float unaryScalar(UnaryOp op, float x, float p, float q) {
        return switch (op) {
            case IDENTITY -> x;
            case NEG -> -x;
            case SCALE_SHIFT -> Math.fma(p, x, q);
            case EXP -> VectorMath.exp(x);
            case LOG -> VectorMath.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case ABS -> Math.abs(x);
            case RELU -> x > 0 ? x : 0f;
            case SIGMOID -> VectorMath.sigmoid(x);
            case TANH -> VectorMath.tanh(x);
            case STEP -> x > 0 ? 1f : 0f;
            case SIGN -> Math.signum(x);
            case CLAMP -> Math.min(Math.max(x, p), q);
            case IN_RANGE -> x >= p && x <= q ? 1f : 0f;
            case GELU -> VectorMath.gelu(x);
            case GELU_GRAD -> VectorMath.geluGrad(x);
            case POW -> (float) op.apply(x, p, q);
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
