package dev.lethe.surgery;

import dev.lethe.cpu.Simd;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused elementwise passes of the unlearning kernels, each a Vector API loop with a scalar
 * tail that computes the same float formula (so a result never depends on which elements fell
 * in the tail), run over fixed chunks of a {@link FlatList}.
 *
 * <p>Only IEEE-exact vector operations are used (add, mul, div, fma, min, abs, compare,
 * blend, float→double conversion); sums of lanes are taken in index order, never with
 * {@code reduceLanes(ADD)}, whose order differs between JIT tiers.
 */
final class VectorPasses {
    private static final VectorSpecies<Float> F = Simd.F;
    /** Doubles filling F's shape: half as many lanes as F. */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED.withShape(F.vectorShape());
    /** Floats with as many lanes as D (half F's width), widened to D without a shuffle. */
    private static final VectorSpecies<Float> FH = FloatVector.SPECIES_64.withShape(VectorShape.forBitSize(F.vectorBitSize() / 2));
    /** Flattened elements per chunk. */
    static final int GRAIN = 1 << 16;

    private VectorPasses() {}

    // ---------------------------------------------------------------- masks

    /** w ← (m ≠ 0 ? w : +0) over two lists of equal shapes. */
    static void keepWhere(FlatList w, FlatList m) {
        w.forPieces(GRAIN, (c, t, from, to) -> {
            float[] a = w.arrays[t], b = m.arrays[t];
            int ao = w.offsets[t] + from, bo = m.offsets[t] + from, n = to - from, i = 0;
            if (Simd.ENABLED) {
                FloatVector zero = FloatVector.zero(F);
                for (int bound = F.loopBound(n); i < bound; i += F.length()) {
                    FloatVector mv = FloatVector.fromArray(F, b, bo + i);
                    FloatVector.fromArray(F, a, ao + i).blend(zero, mv.compare(VectorOperators.EQ, 0f)).intoArray(a, ao + i);
                }
            }
            for (; i < n; i++) if (b[bo + i] == 0f) a[ao + i] = 0f;
        });
    }

    /** How many of a[off, off + n) are nonzero (−0 counts as zero). */
    static long countNonZero(float[] a, int off, int n) {
        long count = 0;
        int i = 0;
        if (Simd.ENABLED) {
            for (int bound = F.loopBound(n); i < bound; i += F.length()) {
                count += FloatVector.fromArray(F, a, off + i).compare(VectorOperators.NE, 0f).trueCount();
            }
        }
        for (; i < n; i++) if (a[off + i] != 0f) count++;
        return count;
    }

    /** The first i with a[off + i] neither 0 nor 1 (NaN included), or −1. */
    static int firstNotZeroOrOne(float[] a, int off, int n) {
        int i = 0;
        if (Simd.ENABLED) {
            for (int bound = F.loopBound(n); i < bound; i += F.length()) {
                FloatVector v = FloatVector.fromArray(F, a, off + i);
                if (v.compare(VectorOperators.NE, 0f).and(v.compare(VectorOperators.NE, 1f)).anyTrue()) break;
            }
        }
        for (; i < n; i++) if (a[off + i] != 0f && a[off + i] != 1f) return i;
        return -1;
    }

    // ---------------------------------------------------------------- gradient surgery

    /**
     * Per chunk c, {g_u·g_r, ‖g_u‖², ‖g_r‖²} of its pieces in out[3c .. 3c+2], summed in
     * float64 (products of floats are exact in float64).
     */
    static double[] dotPartials(FlatList u, FlatList r) {
        double[] out = new double[3 * u.chunkCount(GRAIN)];
        u.forPieces(GRAIN, (c, t, from, to) -> dotsPiece(u.arrays[t], u.offsets[t] + from, r.arrays[t], r.offsets[t] + from, to - from, out, 3 * c));
        return out;
    }

    /** Adds {Σ u·r, Σ u², Σ r²} over n elements to out[at .. at+2]. */
    private static void dotsPiece(float[] u, int uo, float[] r, int ro, int n, double[] out, int at) {
        double ur = 0, uu = 0, rr = 0;
        int i = 0;
        if (Simd.ENABLED && n >= 2 * D.length()) {
            int step = 2 * D.length();
            DoubleVector ur0 = DoubleVector.zero(D), ur1 = ur0, uu0 = ur0, uu1 = ur0, rr0 = ur0, rr1 = ur0;
            for (int bound = n - n % step; i < bound; i += step) {
                DoubleVector u0 = (DoubleVector) FloatVector.fromArray(FH, u, uo + i).castShape(D, 0);
                DoubleVector u1 = (DoubleVector) FloatVector.fromArray(FH, u, uo + i + D.length()).castShape(D, 0);
                DoubleVector r0 = (DoubleVector) FloatVector.fromArray(FH, r, ro + i).castShape(D, 0);
                DoubleVector r1 = (DoubleVector) FloatVector.fromArray(FH, r, ro + i + D.length()).castShape(D, 0);
                ur0 = u0.fma(r0, ur0);
                ur1 = u1.fma(r1, ur1);
                uu0 = u0.fma(u0, uu0);
                uu1 = u1.fma(u1, uu1);
                rr0 = r0.fma(r0, rr0);
                rr1 = r1.fma(r1, rr1);
            }
            ur = sumLanes(ur0.add(ur1));
            uu = sumLanes(uu0.add(uu1));
            rr = sumLanes(rr0.add(rr1));
        }
        for (; i < n; i++) {
            double a = u[uo + i], b = r[ro + i];
            ur += a * b;
            uu += a * a;
            rr += b * b;
        }
        out[at] += ur;
        out[at + 1] += uu;
        out[at + 2] += rr;
    }

    /** The lanes of v summed in index order (not reduceLanes, whose order varies by JIT tier). */
    private static double sumLanes(DoubleVector v) {
        double s = 0;
        for (double lane : v.toArray()) s += lane;
        return s;
    }

    /** out = fma(a, u, b·r) elementwise in float32 (out may be u or r). */
    static void combine(FlatList u, FlatList r, float a, float b, FlatList out) {
        u.forPieces(GRAIN, (c, t, from, to) -> {
            float[] ua = u.arrays[t], ra = r.arrays[t], oa = out.arrays[t];
            int uo = u.offsets[t] + from, ro = r.offsets[t] + from, oo = out.offsets[t] + from, n = to - from, i = 0;
            if (Simd.ENABLED) {
                FloatVector av = FloatVector.broadcast(F, a);
                for (int bound = F.loopBound(n); i < bound; i += F.length()) {
                    FloatVector rv = FloatVector.fromArray(F, ra, ro + i).mul(b);
                    FloatVector.fromArray(F, ua, uo + i).fma(av, rv).intoArray(oa, oo + i);
                }
            }
            for (; i < n; i++) oa[oo + i] = Math.fma(a, ua[uo + i], b * ra[ro + i]);
        });
    }

    // ---------------------------------------------------------------- Fisher diagonal, SSD

    /**
     * acc ← acc + g·g (squared) or acc + |g|, in float32 with two roundings (PyTorch's
     * {@code imp += g.pow(2)}). Returns true if some g was NaN.
     */
    static boolean accumulate(FlatList acc, FlatList g, boolean squared) {
        int chunks = acc.chunkCount(GRAIN);
        boolean[] nan = new boolean[chunks];
        acc.forPieces(GRAIN, (c, t, from, to) -> {
            float[] s = acc.arrays[t], ga = g.arrays[t];
            int so = acc.offsets[t] + from, go = g.offsets[t] + from, n = to - from, i = 0;
            boolean bad = false;
            if (Simd.ENABLED) {
                VectorMask<Float> anyNaN = F.maskAll(false);
                for (int bound = F.loopBound(n); i < bound; i += F.length()) {
                    FloatVector v = FloatVector.fromArray(F, ga, go + i);
                    anyNaN = anyNaN.or(v.test(VectorOperators.IS_NAN));
                    FloatVector add = squared ? v.mul(v) : v.abs();
                    FloatVector.fromArray(F, s, so + i).add(add).intoArray(s, so + i);
                }
                bad = anyNaN.anyTrue();
            }
            for (; i < n; i++) {
                float v = ga[go + i];
                bad |= Float.isNaN(v);
                s[so + i] = s[so + i] + (squared ? v * v : Math.abs(v));
            }
            nan[c] |= bad;
        });
        for (boolean b : nan) if (b) return true;
        return false;
    }

    /** out = acc / divisor elementwise in float32. */
    static void divide(FlatList acc, float divisor, FlatList out) {
        acc.forPieces(GRAIN, (c, t, from, to) -> {
            float[] s = acc.arrays[t], o = out.arrays[t];
            int so = acc.offsets[t] + from, oo = out.offsets[t] + from, n = to - from, i = 0;
            if (Simd.ENABLED) {
                for (int bound = F.loopBound(n); i < bound; i += F.length()) {
                    FloatVector.fromArray(F, s, so + i).div(divisor).intoArray(o, oo + i);
                }
            }
            for (; i < n; i++) o[oo + i] = s[so + i] / divisor;
        });
    }

    /**
     * SSD in one pass: where I_f &gt; α·I_D, θ ← min(λ·I_D/I_f, 1)·θ (float32, in this order).
     * Returns how many entries were selected.
     */
    static long dampen(FlatList theta, FlatList forget, FlatList full, float alpha, float lambda) {
        long[] counts = new long[theta.chunkCount(GRAIN)];
        theta.forPieces(GRAIN, (c, t, from, to) -> {
            float[] th = theta.arrays[t], fi = forget.arrays[t], di = full.arrays[t];
            int tho = theta.offsets[t] + from, fo = forget.offsets[t] + from, dio = full.offsets[t] + from, n = to - from, i = 0;
            long selected = 0;
            if (Simd.ENABLED) {
                for (int bound = F.loopBound(n); i < bound; i += F.length()) {
                    FloatVector f = FloatVector.fromArray(F, fi, fo + i), d = FloatVector.fromArray(F, di, dio + i);
                    VectorMask<Float> sel = f.compare(VectorOperators.GT, d.mul(alpha));
                    if (!sel.anyTrue()) continue;
                    FloatVector w = FloatVector.fromArray(F, th, tho + i);
                    FloatVector factor = d.mul(lambda).div(f).min(1f);
                    w.blend(w.mul(factor), sel).intoArray(th, tho + i);
                    selected += sel.trueCount();
                }
            }
            for (; i < n; i++) {
                float f = fi[fo + i], d = di[dio + i];
                if (f > alpha * d) {
                    th[tho + i] = th[tho + i] * Math.min(lambda * d / f, 1f);
                    selected++;
                }
            }
            counts[c] += selected;
        });
        long total = 0;
        for (long n : counts) total += n;
        return total;
    }

    /** Whether some element of the list is NaN. */
    static boolean anyNaN(FlatList x) {
        boolean[] nan = new boolean[x.chunkCount(GRAIN)];
        x.forPieces(GRAIN, (c, t, from, to) -> {
            float[] a = x.arrays[t];
            int o = x.offsets[t] + from, n = to - from, i = 0;
            boolean bad = false;
            if (Simd.ENABLED) {
                VectorMask<Float> any = F.maskAll(false);
                for (int bound = F.loopBound(n); i < bound; i += F.length()) any = any.or(FloatVector.fromArray(F, a, o + i).test(VectorOperators.IS_NAN));
                bad = any.anyTrue();
            }
            for (; i < n; i++) bad |= Float.isNaN(a[o + i]);
            nan[c] |= bad;
        });
        for (boolean b : nan) if (b) return true;
        return false;
    }

    // ---------------------------------------------------------------- WAGLE

    /** s = |(θ − g_r/μ)·g_f| in float32, in this order. Returns true if some s is NaN. */
    static boolean wagle(FlatList theta, FlatList gr, FlatList gf, float mu, FlatList out) {
        boolean[] nan = new boolean[theta.chunkCount(GRAIN)];
        theta.forPieces(GRAIN, (c, t, from, to) -> {
            float[] th = theta.arrays[t], r = gr.arrays[t], f = gf.arrays[t], o = out.arrays[t];
            int tho = theta.offsets[t] + from, ro = gr.offsets[t] + from, fo = gf.offsets[t] + from, oo = out.offsets[t] + from;
            int n = to - from, i = 0;
            boolean bad = false;
            if (Simd.ENABLED) {
                VectorMask<Float> any = F.maskAll(false);
                for (int bound = F.loopBound(n); i < bound; i += F.length()) {
                    FloatVector rv = FloatVector.fromArray(F, r, ro + i).div(mu);
                    FloatVector s = FloatVector.fromArray(F, th, tho + i).sub(rv).mul(FloatVector.fromArray(F, f, fo + i)).abs();
                    any = any.or(s.test(VectorOperators.IS_NAN));
                    s.intoArray(o, oo + i);
                }
                bad = any.anyTrue();
            }
            for (; i < n; i++) {
                float s = Math.abs((th[tho + i] - r[ro + i] / mu) * f[fo + i]);
                bad |= Float.isNaN(s);
                o[oo + i] = s;
            }
            nan[c] |= bad;
        });
        for (boolean b : nan) if (b) return true;
        return false;
    }
}
