package dev.lethe.cpu;

import dev.lethe.backend.Backend;
import dev.lethe.backend.Backends;
import dev.lethe.backend.BinaryOp;
import dev.lethe.backend.ReduceOp;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Storage;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The float32 SIMD kernels of {@link CpuBackend} against the float64 {@link
 * dev.lethe.reference.ReferenceBackend}, called directly at the {@link Backend} level.
 *
 * <p>Both sides read the same float32 values (the reference gets them widened exactly to
 * float64), so the only difference allowed is float32 rounding: a few ulp for elementwise
 * ops and transcendentals, and accumulated rounding bounded by ε·Σ|terms| for sums and
 * products. Sizes are odd on purpose (vector tails at every width), and 100 003 elements
 * pass {@link StridedLoop#SERIAL_LIMIT}, so the parallel chunking runs too. Integer-valued
 * inputs, whose float32 sums are exact, catch a dropped or doubled element that a
 * tolerance would hide.
 */
@Tag("kernels")
class KernelDifferentialTest {
    static final int[] SIZES = {1, 3, 7, 15, 17, 33, 65, 1000, 100_003};
    /** Elementwise results: a few float32 ulp relative to the value. */
    static final double ELEMENTWISE_RTOL = 4e-7;
    /** Transcendentals (VectorMath's EXP, LOG, TANH, SIGMOID, GELU) may be off by a few more ulp. */
    static final double TRANSCENDENTAL_RTOL = 3e-6;
    /** Sums and dot products: relative to Σ|terms| (float32 ε ≈ 6e-8, with headroom for long sums). */
    static final double ACCUMULATED_RTOL = 2e-6;

    private static final Backend CPU = Backends.cpu();
    private static final Backend REF = Backends.reference();

    // ------------------------------------------------------------------ inputs

    /** randn·scale as float32. */
    static Tensor randn(long seed, double scale, int... shape) {
        Tensor t = Tensor.randn(seed, DType.FLOAT32, shape);
        float[] f = t.storage().floats();
        for (int i = 0; i < f.length; i++) f[i] = (float) (f[i] * scale);
        return t;
    }

    /** Uniform in [lo, hi) as float32. */
    static Tensor uniform(long seed, double lo, double hi, int... shape) {
        Tensor t = Tensor.rand(seed, DType.FLOAT32, shape);
        float[] f = t.storage().floats();
        for (int i = 0; i < f.length; i++) f[i] = (float) (lo + (hi - lo) * f[i]);
        return t;
    }

    /** Integers in [−3, 3] as float32: sums of up to 2²⁴/3 of them are exact in float32. */
    static Tensor smallInts(long seed, int... shape) {
        Tensor t = Tensor.rand(seed, DType.FLOAT32, shape);
        float[] f = t.storage().floats();
        for (int i = 0; i < f.length; i++) f[i] = (float) Math.floor(7 * f[i]) - 3;
        return t;
    }

    /** The same values (and layout) in float64, for the reference: the storage widened exactly. */
    static Tensor wide(Tensor x) {
        float[] f = x.storage().floats();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return Tensor.wrap(Storage.wrap(d), x.shape(), x.strides(), x.offset());
    }

    /** Row-major values of a result (cheaply for the contiguous tensors kernels return). */
    static double[] values(Tensor t) {
        if (!t.isContiguous()) return t.toDoubleArray();
        double[] d = new double[t.numel()];
        for (int i = 0; i < d.length; i++) d[i] = t.storage().get(t.offset() + i);
        return d;
    }

    // ------------------------------------------------------------------ comparison

    /** Compares element by element; NaN must meet NaN and ±∞ the same infinity. */
    static void assertClose(String what, Tensor want, Tensor got, double rtol, double atol) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        assertEquals(DType.FLOAT32, got.dtype(), what + ": dtype");
        double[] w = values(want), g = values(got);
        for (int i = 0; i < w.length; i++) {
            if (Double.isNaN(w[i]) || Double.isInfinite(w[i]) || Double.isNaN(g[i]) || Double.isInfinite(g[i])) {
                // A finite reference that overflows float32 legitimately becomes ±∞.
                if (Double.isFinite(w[i]) && Math.abs(w[i]) > Float.MAX_VALUE && g[i] == Math.copySign(Double.POSITIVE_INFINITY, w[i])) continue;
                assertEquals(w[i], g[i], what + ": element " + i + " of " + Arrays.toString(want.shape()));
                continue;
            }
            double tol = rtol * Math.abs(w[i]) + atol;
            if (Math.abs(w[i] - g[i]) > tol) {
                fail(what + ": element " + i + " of " + Arrays.toString(want.shape()) + " is " + g[i] + ", reference " + w[i]
                        + " (|diff| " + Math.abs(w[i] - g[i]) + " > tol " + tol + ")");
            }
        }
    }

    /** Compares to a per-element error bound {@code rtol·bound[i]} (bound[i] = Σ|terms| of element i). */
    static void assertWithin(String what, Tensor want, Tensor got, Tensor bound, double rtol) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        double[] w = values(want), g = values(got), b = values(bound);
        for (int i = 0; i < w.length; i++) {
            if (!Double.isFinite(w[i]) || !Double.isFinite(g[i])) {
                assertEquals(w[i], g[i], what + ": element " + i);
                continue;
            }
            double tol = rtol * b[i] + 1e-30;
            if (!(Math.abs(w[i] - g[i]) <= tol)) {
                fail(what + ": element " + i + " is " + g[i] + ", reference " + w[i] + " (|diff| " + Math.abs(w[i] - g[i])
                        + " > tol " + tol + ")");
            }
        }
    }

    static void assertExact(String what, Tensor want, Tensor got) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        assertArrayEquals(values(want), values(got), what);
    }

    // ------------------------------------------------------------------ unary

    /** An input inside the op's sensible domain, with the op's parameters. */
    record UnaryCase(UnaryOp op, double p, double q, double lo, double hi, double rtol) {}

    static List<UnaryCase> unaryCases() {
        List<UnaryCase> cases = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            cases.add(switch (op) {
                case IDENTITY, NEG, ABS, RELU, STEP, SIGN -> new UnaryCase(op, 0, 0, -4, 4, 0);
                case SCALE_SHIFT -> new UnaryCase(op, 1.5, -0.25, -4, 4, ELEMENTWISE_RTOL);
                case EXP -> new UnaryCase(op, 0, 0, -20, 20, TRANSCENDENTAL_RTOL);
                case LOG -> new UnaryCase(op, 0, 0, 1e-3, 50, TRANSCENDENTAL_RTOL);
                case SQRT -> new UnaryCase(op, 0, 0, 0, 100, ELEMENTWISE_RTOL);
                case SIGMOID, TANH, GELU, GELU_GRAD -> new UnaryCase(op, 0, 0, -8, 8, TRANSCENDENTAL_RTOL);
                case POW -> new UnaryCase(op, 2.5, 0, 0.01, 10, TRANSCENDENTAL_RTOL);
                case CLAMP, IN_RANGE -> new UnaryCase(op, -0.5, 1.25, -3, 3, 0);
            });
        }
        return cases;
    }

    @TestFactory
    List<DynamicTest> everyUnaryOpAtEverySize() {
        List<DynamicTest> tests = new ArrayList<>();
        for (UnaryCase c : unaryCases()) {
            for (int n : SIZES) {
                tests.add(DynamicTest.dynamicTest(c.op() + " n=" + n, () -> {
                    Tensor x = uniform(n * 31L + c.op().ordinal(), c.lo(), c.hi(), n);
                    checkUnary(c, x, "contiguous");
                }));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> everyUnaryOpOnStridedViews() {
        List<DynamicTest> tests = new ArrayList<>();
        for (UnaryCase c : unaryCases()) {
            tests.add(DynamicTest.dynamicTest(c.op() + " views", () -> {
                Tensor m = uniform(7 + c.op().ordinal(), c.lo(), c.hi(), 33, 65);
                checkUnary(c, m.t(), "transposed");
                checkUnary(c, m.narrow(1, 3, 17), "narrowed columns");
                checkUnary(c, m.narrow(0, 1, 31).narrow(1, 2, 60).t(), "narrowed transposed");
                checkUnary(c, uniform(3, c.lo(), c.hi(), 17, 1).expand(17, 33), "expanded (stride 0)");
                checkUnary(c, uniform(4, c.lo(), c.hi(), 400, 257).t(), "large transposed (parallel rows)");
            }));
        }
        return tests;
    }

    @Test
    void unaryOnAllEqualInputs() {
        for (UnaryCase c : unaryCases()) {
            double v = c.lo() + 0.37 * (c.hi() - c.lo());
            checkUnary(c, Tensor.full(v, DType.FLOAT32, 1000), "all equal " + v);
        }
    }

    /**
     * Absolute tolerance of GELU and GELU′. The float64 reference, ½x(1 + tanh u), cancels in
     * 1 + tanh u for x &lt; −3 and is 0 below x ≈ −6, while the float32 kernel keeps those tiny
     * values (x·σ(2u)); and GELU′ crosses 0 near x ≈ −0.75, where any float32 result is off by
     * an absolute, not relative, amount (VectorMathTest bounds it by 2e-7).
     */
    static final double GELU_ATOL = 2e-7;

    private static void checkUnary(UnaryCase c, Tensor x, String layout) {
        Tensor want = REF.unary(c.op(), wide(x), c.p(), c.q());
        Tensor got = CPU.unary(c.op(), x, c.p(), c.q());
        double atol = c.op() == UnaryOp.GELU || c.op() == UnaryOp.GELU_GRAD ? GELU_ATOL : 1e-30;
        // Exact ops still round the float64 result once to float32: allow that half ulp.
        assertClose(c.op() + " " + layout, want, got, Math.max(c.rtol(), 6e-8), atol);
    }

    @Test
    void unaryNanAndInfinityFollowTheReference() {
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1f, -1f};
        for (UnaryCase c : unaryCases()) {
            if (c.op() == UnaryOp.POW) continue; // scalar-only, computed by the formula itself
            // Each special value at every lane position and in the tail of a 37-element row.
            for (float s : special) {
                Tensor x = uniform(11, -2, 2, 37);
                for (int i = 0; i < 37; i += 5) x.storage().floats()[i] = s;
                if (c.op() == UnaryOp.LOG || c.op() == UnaryOp.SQRT) {
                    float[] f = x.storage().floats();
                    for (int i = 0; i < f.length; i++) if (i % 5 != 0) f[i] = Math.abs(f[i]);
                }
                checkUnary(c, x, "special " + s);
            }
        }
    }

    // ------------------------------------------------------------------ binary

    @TestFactory
    List<DynamicTest> everyBinaryOpAtEverySizeAndBroadcast() {
        List<DynamicTest> tests = new ArrayList<>();
        for (BinaryOp op : BinaryOp.values()) {
            for (int n : SIZES) {
                tests.add(DynamicTest.dynamicTest(op + " n=" + n, () -> {
                    Tensor a = randn(n, 3, n), b = randn(n + 1, 3, n);
                    if (op == BinaryOp.DIV) b = uniform(n + 1, 0.5, 4, n);
                    checkBinary(op, a, b, "same shape");
                    checkBinary(op, a, b.narrow(0, 0, 1), "vector ∘ [1]");
                    if (n > 1000) return; // the broadcasts below run the same row code as above
                    checkBinary(op, a, b.narrow(0, 0, 1).reshape(), "vector ∘ scalar");
                    checkBinary(op, a.narrow(0, 0, 1).reshape(), b, "scalar ∘ vector");
                    // Ties: comparisons and max/min must agree on equal operands.
                    checkBinary(op, a, a.clone(), "equal operands");
                }));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> everyBinaryOpOnBroadcastsAndViews() {
        List<DynamicTest> tests = new ArrayList<>();
        for (BinaryOp op : BinaryOp.values()) {
            tests.add(DynamicTest.dynamicTest(op + " broadcasts and views", () -> {
                for (int[] nm : new int[][] {{1, 1}, {3, 7}, {17, 33}, {65, 15}, {301, 333}}) {
                    int n = nm[0], m = nm[1];
                    Tensor col = randn(n, 2, n, 1), row = denominator(op, randn(m, 2, 1, m));
                    checkBinary(op, col, row, "[n,1]∘[1,m] " + n + "x" + m);
                    Tensor mat = randn(n * m, 2, n, m), vec = denominator(op, randn(m + 5, 2, m));
                    checkBinary(op, mat, vec, "[n,m]∘[m] " + n + "x" + m);
                    checkBinary(op, vec, mat.add(1.0), "[m]∘[n,m] " + n + "x" + m);
                    Tensor matT = denominator(op, randn(n * m + 1, 2, m, n)).t();
                    checkBinary(op, mat, matT, "contiguous ∘ transposed " + n + "x" + m);
                    checkBinary(op, matT, mat, "transposed ∘ contiguous " + n + "x" + m);
                    checkBinary(op, mat, denominator(op, randn(3, 2, m, 1)).expand(m, n).t(), "expanded transposed");
                }
                Tensor big = randn(9, 2, 60, 37);
                checkBinary(op, big.narrow(1, 2, 30), denominator(op, randn(10, 2, 60, 30)), "narrowed ∘ contiguous");
            }));
        }
        return tests;
    }

    /** For DIV, keep the divisor away from 0 (|b| ≥ 0.5) so relative errors stay meaningful. */
    private static Tensor denominator(BinaryOp op, Tensor b) {
        if (op != BinaryOp.DIV) return b;
        Tensor c = b.clone();
        float[] f = c.storage().floats();
        for (int i = 0; i < f.length; i++) f[i] = Math.copySign(0.5f + Math.abs(f[i]), f[i]);
        return c;
    }

    @Test
    void binaryNanAndInfinityPropagateLikeTheReference() {
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f};
        for (BinaryOp op : BinaryOp.values()) {
            for (float s : special) {
                // Large sizes (parallel chunks) only where NaN handling is the op's own logic.
                boolean extremum = op == BinaryOp.MAX || op == BinaryOp.MIN;
                for (int n : extremum ? new int[] {7, 37, 40_001} : new int[] {7, 37}) {
                    Tensor a = randn(1, 1, n), b = randn(2, 1, n);
                    float[] fa = a.storage().floats(), fb = b.storage().floats();
                    // Special values in a only, in b only, and in both, at lane and tail positions.
                    for (int i = 0; i < n; i += 3) fa[i] = s;
                    for (int i = 0; i < n; i += 4) fb[i] = s;
                    checkBinary(op, a, b, "special " + s + " n=" + n);
                    checkBinary(op, a, Tensor.scalar(s), "∘ scalar " + s + " n=" + n);
                    checkBinary(op, Tensor.scalar(s), b, "scalar " + s + " ∘ n=" + n);
                }
            }
        }
    }

    private static void checkBinary(BinaryOp op, Tensor a, Tensor b, String what) {
        Tensor want = REF.binary(op, wide(a), wide(b));
        Tensor got = CPU.binary(op, a, b);
        assertClose(op + " " + what, want, got, ELEMENTWISE_RTOL, 1e-30);
    }

    // ------------------------------------------------------------------ reductions

    /** Shapes and the dim sets to reduce over each (an empty set means all dims). */
    static List<Object[]> reductionCases() {
        List<Object[]> cases = new ArrayList<>();
        for (int n : SIZES) cases.add(new Object[] {new int[] {n}, new int[][] {{0}}});
        int[][] allOf2 = {{0}, {1}, {0, 1}};
        for (int[] s : new int[][] {{1, 1}, {3, 7}, {17, 15}, {33, 65}, {65, 33}, {7, 1000}, {1000, 7}, {3, 20_000}, {20_000, 3}}) {
            cases.add(new Object[] {s, allOf2});
        }
        int[][] allOf3 = {{0}, {1}, {2}, {0, 1}, {1, 2}, {0, 2}, {0, 1, 2}};
        for (int[] s : new int[][] {{3, 5, 7}, {17, 1, 33}, {7, 65, 15}, {2, 3, 20_001}}) cases.add(new Object[] {s, allOf3});
        return cases;
    }

    @TestFactory
    List<DynamicTest> everyReduceOpOverDimsAndKeepDim() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ReduceOp op : ReduceOp.values()) {
            for (Object[] c : reductionCases()) {
                int[] shape = (int[]) c[0];
                int[][] dimSets = (int[][]) c[1];
                tests.add(DynamicTest.dynamicTest(op + " " + Arrays.toString(shape), () -> {
                    Tensor x = randn(Arrays.hashCode(shape), 1, shape);
                    // keepDim only reshapes: large inputs try each dim set once, alternating it.
                    boolean large = x.numel() > 10_000;
                    for (int k = 0; k < dimSets.length; k++) {
                        int[] dims = dimSets[k];
                        for (boolean keep : large ? new boolean[] {k % 2 == 0} : new boolean[] {false, true}) {
                            checkReduce(op, x, dims, keep, Arrays.toString(shape));
                            if (shape.length >= 2 && (!large || k == 0)) {
                                Tensor xt = x.transpose(0, shape.length - 1);
                                checkReduce(op, xt, dims, keep, "transposed " + Arrays.toString(xt.shape()));
                            }
                        }
                    }
                }));
            }
        }
        return tests;
    }

    @Test
    void reductionsOfViewsAndLongSegments() {
        for (ReduceOp op : ReduceOp.values()) {
            Tensor m = randn(5, 1, 40, 90);
            checkReduce(op, m.narrow(1, 5, 77), new int[] {1}, false, "narrowed");
            checkReduce(op, m.narrow(0, 3, 33), new int[] {0}, true, "narrowed rows");
            checkReduce(op, randn(6, 1, 1, 33).expand(65, 33), new int[] {0}, false, "expanded (stride 0)");
            checkReduce(op, randn(6, 1, 1, 33).expand(65, 33), new int[] {0, 1}, false, "expanded, all dims");
            // outer < 4 and r > 4·BLOCK: each segment is split into blocks reduced in parallel.
            checkReduce(op, randn(7, 1, 2, 140_001), new int[] {1}, false, "blocked long segments");
            checkReduce(op, randn(8, 1, 140_001), new int[] {0}, false, "blocked single segment");
        }
    }

    @Test
    void integerSumsAreExactSoNoElementIsDroppedOrDoubled() {
        for (int[] shape : new int[][] {{100_003}, {2, 140_001}, {3, 20_000}, {20_000, 3}, {7, 65, 15}}) {
            Tensor x = smallInts(Arrays.hashCode(shape), shape);
            for (int d = 0; d < shape.length; d++) {
                int[] dims = {d};
                assertExact("sum over " + d + " of " + Arrays.toString(shape),
                        REF.reduce(ReduceOp.SUM, wide(x), dims, false), CPU.reduce(ReduceOp.SUM, x, dims, false));
            }
            int[] all = new int[shape.length];
            for (int d = 0; d < all.length; d++) all[d] = d;
            assertExact("full sum of " + Arrays.toString(shape),
                    REF.reduce(ReduceOp.SUM, wide(x), all, false), CPU.reduce(ReduceOp.SUM, x, all, false));
        }
    }

    @Test
    void reductionsOfAllEqualInputs() {
        for (ReduceOp op : ReduceOp.values()) {
            for (int n : SIZES) {
                Tensor x = Tensor.full(0.75, DType.FLOAT32, n);
                // 0.75·n is exact in float32 for these n, whatever the summation order.
                assertExact(op + " of " + n + " equal values", REF.reduce(op, wide(x), new int[] {0}, false),
                        CPU.reduce(op, x, new int[] {0}, false));
            }
        }
    }

    @Test
    void maxAndMinReductionsPropagateNan() {
        for (ReduceOp op : ReduceOp.values()) {
            for (int n : new int[] {1, 7, 17, 65, 1000, 100_003, 140_001}) {
                // A single NaN at the start, the middle (inside the vector body) and the end (the tail).
                for (int at : new int[] {0, n / 2, n - 1}) {
                    Tensor x = randn(n + at, 1, n);
                    x.storage().floats()[at] = Float.NaN;
                    float r = (float) CPU.reduce(op, x, new int[] {0}, false).item();
                    assertTrue(Float.isNaN(r), op + " of " + n + " values with a NaN at " + at + " gave " + r);
                }
            }
            // Along dim 0 and dim 1 of a matrix: the column path (vectorised across columns) and the row path.
            Tensor m = randn(3, 1, 17, 65);
            m.storage().floats()[5 * 65 + 40] = Float.NaN;
            m.storage().floats()[16 * 65 + 64] = Float.NaN;
            checkReduce(op, m, new int[] {0}, false, "NaN in columns");
            checkReduce(op, m, new int[] {1}, false, "NaN in rows");
            checkReduce(op, m.t(), new int[] {1}, true, "NaN in transposed columns");
        }
    }

    @Test
    void maxAndMinReductionsHandleInfinities() {
        for (ReduceOp op : ReduceOp.values()) {
            for (int n : new int[] {7, 65, 100_003}) {
                Tensor x = randn(n, 1, n);
                x.storage().floats()[n / 3] = Float.POSITIVE_INFINITY;
                checkReduce(op, x, new int[] {0}, false, "+∞ in " + n);
                x.storage().floats()[n - 1] = Float.NEGATIVE_INFINITY;
                checkReduce(op, x, new int[] {0}, false, "±∞ in " + n); // SUM: NaN
                checkReduce(op, Tensor.full(Float.NEGATIVE_INFINITY, DType.FLOAT32, n), new int[] {0}, false, "all −∞");
            }
        }
    }

    private static void checkReduce(ReduceOp op, Tensor x, int[] dims, boolean keep, String what) {
        String label = op + " over " + Arrays.toString(dims) + (keep ? " keepDim " : " ") + what;
        Tensor want = REF.reduce(op, wide(x), dims, keep);
        Tensor got = CPU.reduce(op, x, dims, keep);
        if (op == ReduceOp.SUM) {
            Tensor bound = REF.reduce(ReduceOp.SUM, REF.unary(UnaryOp.ABS, wide(x), 0, 0), dims, keep);
            assertWithin(label, want, got, bound, ACCUMULATED_RTOL);
        } else {
            assertExact(label, want, got); // max and min pick an element: no rounding at all
        }
    }

    // ------------------------------------------------------------------ matmul

    @Test
    void matmulAgreesWithinAccumulatedRounding() {
        int[][] mkn = {{1, 1, 1}, {1, 7, 1}, {3, 7, 15}, {17, 33, 1}, {1, 65, 17}, {33, 17, 65}, {65, 100, 33}, {130, 257, 71}};
        for (int[] d : mkn) {
            int m = d[0], k = d[1], n = d[2];
            String s = m + "x" + k + " · " + k + "x" + n;
            Tensor a = randn(m * 7 + k, 1, m, k), b = randn(k * 11 + n, 1, k, n);
            checkMatmul(a, b, s);
            checkMatmul(randn(1, 1, k, m).t(), b, "Aᵀ stored " + s);
            checkMatmul(a, randn(2, 1, n, k).t(), "Bᵀ stored " + s);
            checkMatmul(randn(3, 1, k, m).t(), randn(4, 1, n, k).t(), "both transposed " + s);
            checkMatmul(randn(5, 1, m, k + 6).narrow(1, 3, k), b, "narrowed A " + s);
        }
        checkMatmul(randn(1, 1, 4, 7, 9), randn(2, 1, 4, 9, 5), "batched");
        checkMatmul(randn(1, 1, 3, 1, 7, 9), randn(2, 1, 4, 9, 5), "broadcast batch");
        checkMatmul(randn(1, 1, 7, 9).expand(3, 7, 9), randn(2, 1, 3, 9, 5), "expanded batch (stride 0)");
    }

    @Test
    void integerMatmulIsExact() {
        Tensor a = smallInts(1, 67, 129), b = smallInts(2, 129, 35);
        assertExact("integer matmul", REF.matmul(wide(a), wide(b)), CPU.matmul(a, b));
        assertExact("integer matmul, Bᵀ stored", REF.matmul(wide(a), wide(b.t().clone().t())), CPU.matmul(a, b.t().clone().t()));
    }

    private static void checkMatmul(Tensor a, Tensor b, String what) {
        Tensor want = REF.matmul(wide(a), wide(b));
        Tensor got = CPU.matmul(a, b);
        Tensor bound = REF.matmul(REF.unary(UnaryOp.ABS, wide(a), 0, 0), REF.unary(UnaryOp.ABS, wide(b), 0, 0));
        assertWithin("matmul " + what, want, got, bound, ACCUMULATED_RTOL);
    }

    // ------------------------------------------------------------------ copies and casts

    @Test
    void copyIntoWritesExactlyTheViewAndNothingElse() {
        for (int n : SIZES) {
            if (n > 1000) continue;
            int m = 5;
            Object[][] cases = {
                {"contiguous ← contiguous", new int[] {0}, randn(n, 1, n, m)},
                {"contiguous ← transposed", new int[] {0}, randn(n, 1, m, n).t()},
                {"contiguous ← row broadcast", new int[] {0}, randn(n, 1, m)},
                {"contiguous ← column expanded", new int[] {0}, randn(n, 1, n, 1).expand(n, m)},
                {"contiguous ← scalar", new int[] {0}, Tensor.scalar(2.5)},
                {"transposed ← contiguous", new int[] {1}, randn(n, 1, n, m)},
                {"narrowed ← transposed", new int[] {2}, randn(n, 1, m, n).t()},
            };
            for (Object[] c : cases) {
                int layout = ((int[]) c[1])[0];
                Tensor src = (Tensor) c[2];
                Tensor dst32 = destination(layout, n, m, DType.FLOAT32);
                Tensor dst64 = destination(layout, n, m, DType.FLOAT64);
                CPU.copyInto(dst32, src);
                REF.copyInto(dst64, wide(src));
                String what = "copyInto " + c[0] + " n=" + n;
                // The whole storage, so writes outside the view would show too.
                assertArrayEquals(Tensor.wrap(dst64.storage(), dst64.storage().length()).toDoubleArray(),
                        Tensor.wrap(dst32.storage(), dst32.storage().length()).toDoubleArray(), what);
            }
        }
    }

    /** An [n, m] destination view over storage pre-filled with a sentinel: 0 contiguous, 1 transposed, 2 narrowed. */
    private static Tensor destination(int layout, int n, int m, DType dtype) {
        return switch (layout) {
            case 0 -> Tensor.full(-7, dtype, n, m);
            case 1 -> Tensor.full(-7, dtype, m, n).t();
            default -> Tensor.full(-7, dtype, n + 2, m + 3).narrow(0, 1, n).narrow(1, 2, m);
        };
    }

    @Test
    void largeCopyIntoUsesParallelChunksCorrectly() {
        Tensor src = randn(1, 1, 100_003);
        Tensor dst = Tensor.zeros(DType.FLOAT32, 100_003);
        CPU.copyInto(dst, src);
        assertArrayEquals(src.toFloatArray(), dst.toFloatArray());
        Tensor srcT = randn(2, 1, 333, 301).t();
        Tensor dstT = Tensor.zeros(DType.FLOAT32, 301, 333);
        CPU.copyInto(dstT, srcT);
        Tensor ref = Tensor.zeros(DType.FLOAT64, 301, 333);
        REF.copyInto(ref, wide(srcT));
        assertArrayEquals(ref.toDoubleArray(), dstT.toDoubleArray());
    }

    @Test
    void castCopiesViewsExactly() {
        Tensor[] views = {randn(1, 1, 100_003), randn(2, 1, 33, 65).t(), randn(3, 1, 17, 40).narrow(1, 3, 33),
                          randn(4, 1, 1, 65).expand(17, 65), Tensor.scalar(-1.25)};
        for (Tensor v : views) {
            String what = "cast of " + Arrays.toString(v.shape()) + " strides " + Arrays.toString(v.strides());
            Tensor f32 = CPU.cast(v, DType.FLOAT32);
            assertTrue(f32.isContiguous(), what + " is contiguous");
            assertNotSame(v.storage(), f32.storage(), what + " is a copy");
            assertExact(what + " → float32", REF.cast(wide(v), DType.FLOAT64), f32);
            Tensor f64 = CPU.cast(v, DType.FLOAT64);
            assertEquals(DType.FLOAT64, f64.dtype());
            assertArrayEquals(REF.cast(wide(v), DType.FLOAT64).toDoubleArray(), f64.toDoubleArray(), what + " → float64");
        }
        Tensor d = Tensor.randn(5, DType.FLOAT64, 17, 3).t();
        Tensor down = CPU.cast(d, DType.FLOAT32);
        double[] want = d.toDoubleArray();
        float[] got = down.toFloatArray();
        for (int i = 0; i < want.length; i++) assertEquals((float) want[i], got[i], "float64 → float32 rounds element " + i);
    }
}
