package dev.lethe.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 transcendentals that give the same bits in every JIT tier, as vectors and as scalars.
 *
 * <p>Why not the Vector API's lanewise EXP/LOG/TANH: interpreted they run a per-lane
 * {@code Math} loop, C2-compiled they call SVML stubs, and the two disagree in the last bits,
 * so a training run would depend on JIT warm-up. Everything here is built only from operations
 * IEEE 754 rounds exactly (add, sub, mul, fma, div, min, max, abs, compare, blend) and from
 * integer bit tricks on the float encoding (reinterpretation, add, and, or, shifts), all of
 * which give identical results interpreted, C1- and C2-compiled.
 *
 * <p>Each function has a vector form and a scalar form doing the same operations in the same
 * order ({@link Math#fma} for every vector {@code fma}), so a kernel's vector body and scalar
 * tail agree bit for bit and every element of a tensor is computed by one algorithm. The
 * vector forms are small static methods so that C2 inlines them into the kernel loop (a vector
 * crossing a call that is not inlined is boxed, 10–50× slower).
 *
 * <p>Error bounds are measured against {@code (float) Math.f(x)} by {@code VectorMathTest}
 * over dense sweeps of the float line.
 */
public final class VectorMath {
    private static final VectorSpecies<Float> F = Simd.F;

    private VectorMath() {}

    // ------------------------------------------------------------------ exp

    /** Below this eˣ rounds to 0 (ln 2⁻¹⁵⁰ ≈ −103.97): exp returns +0 there, what its arithmetic gives at −104 itself. */
    private static final float EXP_LO = -104f;
    /** Above ln(FLT_MAX) ≈ 88.7228 eˣ overflows: exp returns +∞ above this bound, what its arithmetic gives at 89 itself. */
    private static final float EXP_HI = 89f;
    private static final float LOG2E = 1.44269504088896341f;
    /** 1.5·2²³: adding it rounds to an integer, whose value then sits in the low mantissa bits. */
    private static final float ROUND_MAGIC = 0x1.8p23f;
    private static final int ROUND_MAGIC_BITS = 0x4B400000;
    /** ln 2 = LN2_HI + LN2_LO; LN2_HI has 9 significant bits, so n·LN2_HI is exact (Cody–Waite). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    // Cephes expf: eʳ ≈ 1 + r + r²·P(r) on |r| ≤ ln2/2.
    private static final float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f,
            E3 = 4.1665795894e-2f, E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;

    /**
     * Where |x| ≤ 87, n = round(x·log₂e) lies in [−126, 127], so 2ⁿ is a normal float and one
     * product y·2ⁿ rounds the same exact value that y·2^⌊n/2⌋·2^(n−⌊n/2⌋) rounds (its first
     * factor is exact there): the same bits with one multiply.
     */
    private static final float EXP_ONE_SCALE = 87f;
    /**
     * 2ⁿ's bits are (n + 127)·2²³ with n = z's bits − ROUND_MAGIC_BITS; shifted left by 23,
     * only z's low bits count, so they are (z's bits ≪ 23) + this, modulo 2³².
     */
    private static final int EXP_SCALE_BIAS = (127 - ROUND_MAGIC_BITS) << 23;

    /**
     * eˣ: x = n·ln2 + r with n = round(x·log₂e) and |r| ≤ ln2/2 (Cody–Waite, two-part ln2), eʳ
     * by a degree-7 polynomial (Cephes expf) in fma form, times 2ⁿ. A vector whose lanes all
     * have |x| ≤ 87 is scaled by 2ⁿ in one multiply; any other is scaled by
     * 2^⌊n/2⌋·2^(n−⌊n/2⌋), so that subnormal results round once and large n overflow to +∞.
     * Overflow → +∞ above ≈ 88.72, underflow → subnormals then 0 below ≈ −103.97, NaN → NaN.
     * Measured error: ≤ 1 ulp vs {@code (float) Math.exp} on normal results.
     */
    public static FloatVector exp(FloatVector x) {
        // The lanes of the rare vector outside |x| ≤ 87 that fall outside [EXP_LO, EXP_HI] are
        // computed from x as it is (garbage: 2ⁿ's exponent wraps) and replaced by +0 or +∞ at
        // the end; NaN is in neither mask and stays NaN. That keeps the bound tests beside the
        // arithmetic instead of in front of it: clamping x first (as until session 15) put them
        // on every lane's chain of dependent operations. The bits are the clamped two-factor
        // version's for all 2³² inputs (session 18's probe, vector and scalar). In cache the
        // clamp by max/min took 4.9 ns a vector and compares and blends at the end 2.8
        // (session 15); one multiply where |x| ≤ 87 takes 2.5–2.7× a copy's time against
        // 3.3–3.6× for the two factors and blends (session 18, alternated in one process).
        FloatVector z = x.fma(LOG2E, ROUND_MAGIC);
        FloatVector n = z.sub(ROUND_MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = r.fma(E0, E1);
        p = p.fma(r, FloatVector.broadcast(F, E2));
        p = p.fma(r, FloatVector.broadcast(F, E3));
        p = p.fma(r, FloatVector.broadcast(F, E4));
        p = p.fma(r, FloatVector.broadcast(F, E5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        IntVector zBits = z.reinterpretAsInts();
        if (!x.abs().compare(VectorOperators.GT, EXP_ONE_SCALE).anyTrue()) {
            return y.mul(zBits.lanewise(VectorOperators.LSHL, 23).add(EXP_SCALE_BIAS).reinterpretAsFloats());
        }
        IntVector ni = zBits.sub(ROUND_MAGIC_BITS);
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = ni.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(s1).mul(s2)
                .blend(0f, x.compare(VectorOperators.LT, EXP_LO))
                .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HI));
    }

    /** eˣ, the same bits as a lane of {@link #exp(FloatVector)} (out-of-range x answered first). */
    public static float exp(float x) {
        if (x < EXP_LO) return 0f;
        if (x > EXP_HI) return Float.POSITIVE_INFINITY;
        float z = Math.fma(x, LOG2E, ROUND_MAGIC);
        float n = z - ROUND_MAGIC;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, E0, E1);
        p = Math.fma(p, r, E2);
        p = Math.fma(p, r, E3);
        p = Math.fma(p, r, E4);
        p = Math.fma(p, r, E5);
        float y = Math.fma(p, r * r, r) + 1f;
        int ni = Float.floatToRawIntBits(z) - ROUND_MAGIC_BITS;
        int n1 = ni >> 1;
        int n2 = ni - n1;
        return y * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
    }

    // ------------------------------------------------------------------ log

    private static final float MIN_NORMAL = 0x1p-126f;
    private static final float TWO_23 = 0x1p23f;
    /** Bits of √½: adding ONE_BITS − SQRT_HALF_BITS carries into the exponent exactly when the mantissa is ≥ √2's. */
    private static final int SQRT_HALF_BITS = 0x3f3504f3;
    private static final int ONE_MINUS_SQRT_HALF_BITS = 0x3f800000 - SQRT_HALF_BITS;
    // Cephes logf: ln(1+f) ≈ f − f²/2 + f³·P(f) on √½−1 ≤ f < √2−1.
    private static final float L0 = 7.0376836292e-2f, L1 = -1.1514610310e-1f, L2 = 1.1676998740e-1f,
            L3 = -1.2420140846e-1f, L4 = 1.4249322787e-1f, L5 = -1.6668057665e-1f, L6 = 2.0000714765e-1f,
            L7 = -2.4999993993e-1f, L8 = 3.3333331174e-1f;

    /**
     * ln x: x = 2ᵏ·m with m ∈ [√½, √2) split off the bits (subnormals are first scaled by 2²³),
     * ln m = f − f²/2 + f³·P(f) with f = m − 1 (Cephes logf polynomial in fma form), plus k·ln2
     * in two parts. ln 0 = −∞, ln(x &lt; 0) = NaN, ln +∞ = +∞, NaN → NaN.
     * Measured error: ≤ 1 ulp vs {@code (float) Math.log}, subnormal inputs included.
     */
    public static FloatVector log(FloatVector x) {
        VectorMask<Float> tiny = x.compare(VectorOperators.LT, MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(TWO_23), tiny);
        IntVector ix = xs.reinterpretAsInts().add(ONE_MINUS_SQRT_HALF_BITS);
        // k as a float without a conversion: the integer added into the mantissa of 1.5·2²³.
        FloatVector k = ix.lanewise(VectorOperators.ASHR, 23).add(ROUND_MAGIC_BITS - 127)
                .reinterpretAsFloats().sub(ROUND_MAGIC);
        k = k.sub(FloatVector.zero(F).blend(23f, tiny));
        FloatVector f = ix.and(0x007fffff).add(SQRT_HALF_BITS).reinterpretAsFloats().sub(1f);
        FloatVector z = f.mul(f);
        FloatVector y = logPolynomial(f).mul(f).mul(z);
        y = k.fma(FloatVector.broadcast(F, LN2_LO), y);
        y = z.fma(FloatVector.broadcast(F, -0.5f), y);
        FloatVector r = k.fma(FloatVector.broadcast(F, LN2_HI), f.add(y));
        r = r.blend(Float.NaN, x.compare(VectorOperators.LT, 0f));
        r = r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        return r.blend(x, x.compare(VectorOperators.LT, Float.POSITIVE_INFINITY).not());
    }

    /**
     * P(f) of ln(1+f) ≈ f − f²/2 + f³·P(f). Its own method so that {@link #log(FloatVector)}
     * stays under C2's limit for inlining a hot method (FreqInlineSize, 325 bytecodes).
     */
    private static FloatVector logPolynomial(FloatVector f) {
        FloatVector p = f.fma(L0, L1);
        p = p.fma(f, FloatVector.broadcast(F, L2));
        p = p.fma(f, FloatVector.broadcast(F, L3));
        p = p.fma(f, FloatVector.broadcast(F, L4));
        p = p.fma(f, FloatVector.broadcast(F, L5));
        p = p.fma(f, FloatVector.broadcast(F, L6));
        p = p.fma(f, FloatVector.broadcast(F, L7));
        return p.fma(f, FloatVector.broadcast(F, L8));
    }

    /** ln x, the same bits as a lane of {@link #log(FloatVector)}. */
    public static float log(float x) {
        boolean tiny = x < MIN_NORMAL;
        float xs = tiny ? x * TWO_23 : x;
        int ix = Float.floatToRawIntBits(xs) + ONE_MINUS_SQRT_HALF_BITS;
        float k = Float.intBitsToFloat((ix >> 23) + (ROUND_MAGIC_BITS - 127)) - ROUND_MAGIC;
        k = k - (tiny ? 23f : 0f);
        float f = Float.intBitsToFloat((ix & 0x007fffff) + SQRT_HALF_BITS) - 1f;
        float z = f * f;
        float p = Math.fma(f, L0, L1);
        p = Math.fma(p, f, L2);
        p = Math.fma(p, f, L3);
        p = Math.fma(p, f, L4);
        p = Math.fma(p, f, L5);
        p = Math.fma(p, f, L6);
        p = Math.fma(p, f, L7);
        p = Math.fma(p, f, L8);
        float y = p * f * z;
        y = Math.fma(k, LN2_LO, y);
        y = Math.fma(z, -0.5f, y);
        float r = Math.fma(k, LN2_HI, f + y);
        if (x < 0f) r = Float.NaN;
        if (x == 0f) r = Float.NEGATIVE_INFINITY;
        return !(x < Float.POSITIVE_INFINITY) ? x : r;
    }

    // ------------------------------------------------------------------ tanh

    /** Below this |x| the odd polynomial is used; above it 1 − 2/(e^{2|x|} + 1) has no harmful cancellation. */
    private static final float TANH_SMALL = 0.625f;
    // Cephes tanhf: tanh a ≈ a + a³·P(a²) on |a| < 0.625.
    private static final float T0 = -5.70498872745e-3f, T1 = 2.06390887954e-2f, T2 = -5.37397155531e-2f,
            T3 = 1.33314422036e-1f, T4 = -3.33332819422e-1f;
    private static final int SIGN_BIT = 0x80000000;

    /**
     * tanh x, computed on a = |x| with x's sign put back: a + a³·P(a²) (Cephes tanhf) for
     * a &lt; 0.625, where 1 − 2/(e^{2a}+1) would cancel, else 1 − 2/(e^{2a}+1) with {@link
     * #exp(FloatVector)}. tanh ±∞ = ±1, tanh(−0) = −0, NaN → NaN.
     * Measured error: ≤ 2 ulp vs {@code (float) Math.tanh}.
     */
    public static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = a.mul(a);
        FloatVector p = z.fma(T0, T1);
        p = p.fma(z, FloatVector.broadcast(F, T2));
        p = p.fma(z, FloatVector.broadcast(F, T3));
        p = p.fma(z, FloatVector.broadcast(F, T4));
        FloatVector small = p.mul(z).fma(a, a);
        FloatVector e = exp(a.add(a));
        FloatVector large = FloatVector.broadcast(F, 1f).sub(FloatVector.broadcast(F, 2f).div(e.add(1f)));
        FloatVector t = large.blend(small, a.compare(VectorOperators.LT, TANH_SMALL));
        return t.reinterpretAsInts().or(x.reinterpretAsInts().and(SIGN_BIT)).reinterpretAsFloats();
    }

    /** tanh x, the same bits as a lane of {@link #tanh(FloatVector)}. */
    public static float tanh(float x) {
        float a = Math.abs(x);
        float z = a * a;
        float p = Math.fma(z, T0, T1);
        p = Math.fma(p, z, T2);
        p = Math.fma(p, z, T3);
        p = Math.fma(p, z, T4);
        float small = Math.fma(p * z, a, a);
        float e = exp(a + a);
        float large = 1f - 2f / (e + 1f);
        float t = a < TANH_SMALL ? small : large;
        return Float.intBitsToFloat(Float.floatToRawIntBits(t) | (Float.floatToRawIntBits(x) & SIGN_BIT));
    }

    // ------------------------------------------------------------------ sigmoid

    /**
     * σ(x) = 1/(1 + e⁻ˣ), computed with e = e^{−|x|} ({@link #exp(FloatVector)}) as 1/(1 + e)
     * for x ≥ 0 and e/(1 + e) = eˣ/(1 + eˣ) for x &lt; 0: e never overflows, so the negative tail keeps
     * relative accuracy down into the subnormals instead of flushing to 0 below x ≈ −88.7.
     * σ(−∞) = 0, σ(+∞) = 1, NaN → NaN.
     * Measured error: ≤ 2 ulp vs {@code (float) (1 / (1 + Math.exp(-x)))}.
     */
    public static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector numerator = FloatVector.broadcast(F, 1f).blend(e, x.compare(VectorOperators.LT, 0f));
        return numerator.div(e.add(1f));
    }

    /** σ(x), the same bits as a lane of {@link #sigmoid(FloatVector)}. */
    public static float sigmoid(float x) {
        float e = exp(-Math.abs(x));
        return (x < 0f ? e : 1f) / (e + 1f);
    }

    // ------------------------------------------------------------------ GELU

    /** 2·√(2/π). */
    private static final float TWO_GELU_C = (float) (2 * Math.sqrt(2 / Math.PI));
    private static final float GELU_A = 0.044715f;
    private static final float GELU_3A = 3 * 0.044715f;

    /**
     * GELU, tanh form, ½x(1 + tanh u) with u = √(2/π)(x + 0.044715x³), computed as the equal
     * x·σ(2u) = x / (1 + e^{−2u}): the tanh form cancels in 1 + tanh u for x &lt; −3 and loses all
     * digits below x ≈ −5, this one keeps relative accuracy (until e^{−2u} overflows, x ≲ −10.5,
     * where it gives −0 instead of a value below 10⁻³⁷). GELU(+∞) = +∞, GELU(−∞) = NaN as in
     * the formula. Measured error: ≤ 4 ulp vs the float64 formula where that one is accurate.
     */
    public static FloatVector gelu(FloatVector x) {
        FloatVector inner = x.mul(x).mul(GELU_A).fma(x, x);
        return x.div(exp(inner.mul(-TWO_GELU_C)).add(1f));
    }

    /** GELU, the same bits as a lane of {@link #gelu(FloatVector)}. */
    public static float gelu(float x) {
        float inner = Math.fma(x * x * GELU_A, x, x);
        return x / (exp(inner * -TWO_GELU_C) + 1f);
    }

    /**
     * dGELU/dx = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²) with t = tanh u, computed with
     * s = σ(2u) = ½(1 + t) and 1 − t² = 4s(1 − s) as s·(1 + 2√(2/π)·x·(1 − s)·(1 + 0.134145x²)),
     * where 1 − s = e^{−2u}·s (= 1 once e^{−2u} overflows). Both tails keep relative accuracy;
     * near the zero at x ≈ −0.75 the two terms cancel and the error is absolute, ≤ 1e-7.
     * ±∞ → NaN as in the formula.
     */
    public static FloatVector geluGrad(FloatVector x) {
        FloatVector x2 = x.mul(x);
        FloatVector inner = x2.mul(GELU_A).fma(x, x);
        FloatVector e = exp(inner.mul(-TWO_GELU_C));
        FloatVector s = FloatVector.broadcast(F, 1f).div(e.add(1f));
        FloatVector oneMinusS = e.mul(s).blend(1f, e.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        FloatVector slope = x2.fma(GELU_3A, 1f);
        FloatVector k = x.mul(TWO_GELU_C).mul(oneMinusS).mul(slope);
        return s.fma(k, s);
    }

    /** dGELU/dx, the same bits as a lane of {@link #geluGrad(FloatVector)}. */
    public static float geluGrad(float x) {
        float x2 = x * x;
        float inner = Math.fma(x2 * GELU_A, x, x);
        float e = exp(inner * -TWO_GELU_C);
        float s = 1f / (e + 1f);
        float oneMinusS = e == Float.POSITIVE_INFINITY ? 1f : e * s;
        float slope = Math.fma(x2, GELU_3A, 1f);
        float k = x * TWO_GELU_C * oneMinusS * slope;
        return Math.fma(s, k, s);
    }
}
