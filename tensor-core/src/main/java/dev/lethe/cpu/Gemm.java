package dev.lethe.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision general matrix multiply on the Vector API.
 *
 * <p>{@link #sgemm} computes {@code C = op(A)·op(B)} or {@code C += op(A)·op(B)} for
 * row-major float32 matrices, where {@code op(X)} is {@code X} or its transpose. The result
 * is <em>bitwise identical whatever {@link Parallel#threads()} is</em>: every element of C
 * is the sum of the same products formed in the same order on any thread count, because the
 * k-blocking is a fixed constant; the output tiling (which may follow the thread count, to
 * balance the work) only decides which thread computes an element, and edge tiles round
 * exactly like full ones.
 *
 * <h2>How it is built</h2>
 * The classic Goto/BLIS scheme. The k dimension is cut into blocks of {@value #KC}. For each
 * block, A is packed into slivers of {@code MR} rows and B into slivers of {@code NR}
 * columns, both laid out so that the micro-kernel reads them with unit stride whatever the
 * transposition of the caller's storage (so the transposed variants cost only a different
 * packing loop, never a materialised transpose). A row-major B needs no packing: the
 * micro-kernel reads its full slivers in place, row by row (a copy per product saved, which
 * cost as much as the arithmetic for the thin products of a convolution); only a partial
 * edge sliver is packed, zero-padded. When C is a single B sliver wide, A is not packed
 * either: each of its elements meets B once, and the kernel reads its rows in place. The
 * micro-kernel keeps an {@code MR × NR} block of partial sums in vector registers, adds one
 * rank-1 update per step of k with fused multiply-adds, and stores or adds the block into C
 * itself; an edge tile goes to a scratch tile first, whose valid corner {@code mergeTile}
 * stores or adds into C. Threads take whole panels of C (see {@code run}).
 *
 * <p>Within one k-block an element's partial sum starts at zero and takes the products in
 * increasing k order, each with one fused multiply-add; the partial sum is then added to C
 * (or stored, for the first block when not accumulating). The scalar path (when
 * {@code -Dlethe.simd=scalar}) follows the same order with {@link Math#fma}, so as it stands
 * the bits do not depend on the vector width either; only the thread-count independence is
 * part of the contract.
 */
public final class Gemm {
    /** The vector species; a constant so C2 intrinsifies the kernels. */
    private static final VectorSpecies<Float> S = Simd.F;
    /** Lanes per vector. */
    private static final int L = S.length();

    /**
     * Depth of one k-block. It fixes the summation order, so it is a constant independent of
     * the thread count and of the vector width. 256 floats of a B sliver by NR columns keeps
     * the sliver small enough to stay in L1 while a column of A slivers streams past it.
     */
    static final int KC = 256;
    /** The most rows of C for which a row-major B is read in place (see {@code readsBInPlace}). */
    static final int IN_PLACE_MAX_ROWS = 32;
    /** The most columns of C for which a row-major A is read in place (see {@code readsAInPlace}). */
    static final int IN_PLACE_A_MAX_COLUMNS = 512;

    /**
     * Whether {@code packB} transposes blocks of B in registers ({@link #transposeSixteen}): 16
     * lanes, NR = 32. A transposed B is what a Linear layer's x·Wᵀ multiplies, and the scalar
     * loop, one store per float with NR floats between stores, was most of what that product
     * spent beyond its arithmetic once A was read in place. Session 21, GemmTimer alternated with
     * the jar before: 128×784×256 NT 363–378 → 285–392 µs on one thread (two rounds of three
     * about 20 % shorter) and 218–232 → 177–234 µs on two, 128×256×128 NT 51–53 → 43–46 µs on
     * one; an mlp step's median over epochs 4–8 6–15 % shorter in three alternated rounds, the
     * cnn's within noise.
     */
    private static final boolean TRANSPOSE_SIXTEEN = Simd.ENABLED && L == 16;
    /**
     * The fewest k steps for which it does: a convolution's products have k-blocks of 9 to 32
     * steps, where the scalar loop was kept (session 19 found a register transpose slower there).
     */
    static final int TRANSPOSE_MIN_STEPS = 64;
    /** Four floats: how a transposed A's runs of MR rows are copied into slivers. */
    private static final VectorSpecies<Float> Q = FloatVector.SPECIES_128;
    /** Whether those runs are copied four floats at a time (vector path, MR a multiple of 4). */
    private static final boolean QUAD_COPY;

    /** Which micro-kernel runs: picked once from the width. */
    private static final int KERNEL;
    /** Rows of C per micro-tile. */
    static final int MR;
    /** Columns of C per micro-tile (a whole number of vectors on the vector path). */
    static final int NR;
    /**
     * Rows of A packed at once: a multiple of MR, sized so the packed block (MC × KC) sits in
     * L2 while every B sliver of the panel streams past it.
     */
    static final int MC;
    /** Columns of B packed at once: bounds the packed-B buffer to KC × NC floats. */
    static final int NC;

    private static final int K_SCALAR = 0, K_4X2 = 1, K_12X2 = 2;
    /** Rows of {@link #kernel8x1InPlaceA}, the 512-bit in-place-A kernel. */
    private static final int ROWS_8X1 = 8;

    static {
        int kern;
        if (!Simd.ENABLED) kern = K_SCALAR;
        // 512-bit has 32 vector registers; 12×2 uses 24 accumulators + 2 B + 1 broadcast.
        else if (L >= 16) kern = K_12X2;
        // Narrower widths may run on hardware with only 16 vector registers (AVX2): 10
        // accumulators + 2 B + 1 broadcast fit. 6×2's 12 accumulators do not: C2 spills one to
        // the stack inside the loop, and that store/reload chain halved the speed (measured
        // 42 vs 90+ GFLOPS for the micro-kernel alone in L1 on a 256-bit AVX2 core).
        else kern = K_4X2;
        KERNEL = kern;
        switch (kern) {
            case K_SCALAR -> { MR = 4; NR = 4; }
            case K_4X2 -> { MR = 4; NR = 2 * L; }
            default -> { MR = 12; NR = 2 * L; }
        }
        // 120 is a multiple of every MR (4, 12): a 120 × 256 packed A block is 120 KiB.
        MC = 120;
        NC = Math.max(1, 4096 / NR) * NR;
        QUAD_COPY = Simd.ENABLED && MR % 4 == 0;
    }

    private Gemm() {}

    /** Multiply-adds below which a product runs on the calling thread. */
    static final long SERIAL_WORK = 1L << 21;

    /** Per-thread packing buffers for A and B, grown on demand, so repeated calls do not allocate. */
    private static final ThreadFloats PACKED_A = new ThreadFloats(), PACKED_B = new ThreadFloats();

    /**
     * General matrix multiply in float32: {@code C = op(A)·op(B)} when {@code accumulate} is
     * false, {@code C += op(A)·op(B)} when it is true.
     *
     * <p>All matrices are row-major. {@code op(A)} is {@code m × k}: if {@code transA} is
     * false, {@code op(A)[i][p] = a[aOff + i·lda + p]} (A stored {@code m × k}); if true,
     * {@code op(A)[i][p] = a[aOff + p·lda + i]} (A stored {@code k × m}). Likewise
     * {@code op(B)} is {@code k × n}, with {@code op(B)[p][j] = b[bOff + p·ldb + j]} or, if
     * {@code transB}, {@code b[bOff + j·ldb + p]}. {@code C[i][j] = c[cOff + i·ldc + j]}.
     * Elements of the arrays outside these matrices are neither read nor written (beyond
     * A and B being read only). C must not overlap A or B.
     *
     * <p>{@code m}, {@code n} or {@code k} may be 0; with {@code k == 0} the product is the
     * zero matrix, so C is zeroed (or left as is when accumulating).
     *
     * <p>The result is bitwise the same for every thread count (see the class comment). Each
     * element is accumulated in float32 with fused multiply-adds, in increasing k order
     * within blocks of {@value #KC}.
     *
     * @throws IllegalArgumentException if a size is negative, a leading dimension is smaller
     *         than its row length, an offset is negative, or a matrix runs past its array
     * @throws NullPointerException if an array is null
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        if (m < 0 || n < 0 || k < 0)
            throw new IllegalArgumentException("sgemm: negative size m " + m + ", n " + n + ", k " + k);
        checkMatrix("A", a, aOff, lda, transA ? k : m, transA ? m : k, transA, transA ? "m" : "k");
        if (checkedAndEmpty(transB, m, n, k, b, bOff, ldb, c, cOff, ldc, accumulate)) return;
        run(transA, transB, m, n, k, a, aOff, lda, null, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * Checks B and C, and finishes the products with nothing to multiply: none when m or n is
     * 0, and with k = 0 the zero matrix (C zeroed, or kept when accumulating). True when done.
     */
    private static boolean checkedAndEmpty(boolean transB, int m, int n, int k, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        checkMatrix("B", b, bOff, ldb, transB ? n : k, transB ? k : n, transB, transB ? "k" : "n");
        checkMatrix("C", c, cOff, ldc, m, n, false, "n");
        if (m == 0 || n == 0) return true;
        if (k > 0) return false;
        if (!accumulate) {
            for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
        }
        return true;
    }

    /**
     * op(A) packed once, for several products with the same A and different B and C (a
     * convolution's weights against each image of a batch): {@link #sgemm(PackedA, boolean,
     * int, float[], int, int, float[], int, int, boolean)} then skips the packing each product
     * would repeat. It holds a copy: later writes to A's array do not reach it.
     */
    public static final class PackedA {
        private final int m, k;
        /** k-block pc at {@code roundUp(m, MR)·pc}: op(A)'s rows as packA lays out the slivers of a block. */
        private final float[] slivers;

        private PackedA(int m, int k, float[] slivers) {
            this.m = m;
            this.k = k;
            this.slivers = slivers;
        }
    }

    /**
     * op(A), {@code m × k}, packed for {@link #sgemm(PackedA, boolean, int, float[], int, int,
     * float[], int, int, boolean)}; A as in {@link #sgemm}.
     *
     * @throws IllegalArgumentException as {@link #sgemm} for A
     */
    public static PackedA pack(boolean transA, int m, int k, float[] a, int aOff, int lda) {
        if (m < 0 || k < 0) throw new IllegalArgumentException("pack: negative size m " + m + ", k " + k);
        checkMatrix("A", a, aOff, lda, transA ? k : m, transA ? m : k, transA, transA ? "m" : "k");
        float[] slivers = new float[roundUp(m, MR) * k];
        packWhole(transA, m, k, a, aOff, lda, slivers);
        return new PackedA(m, k, slivers);
    }

    /** op(A), {@code m × k}, packed into {@code dst} as {@link PackedA} lays it out (every k-block). */
    private static void packWhole(boolean transA, int m, int k, float[] a, int aOff, int lda, float[] dst) {
        int rows = roundUp(m, MR);
        for (int pc = 0; pc < k && m > 0; pc += KC) packA(transA, a, aOff, lda, 0, m, pc, Math.min(KC, k - pc), dst, rows * pc);
    }

    /**
     * {@link #sgemm} with op(A) packed beforehand ({@link #pack}): {@code C = op(A)·op(B)} or
     * {@code C += op(A)·op(B)}, op(B) {@code k × n}. The same bits as {@link #sgemm} on that A.
     *
     * @throws IllegalArgumentException as {@link #sgemm} for B and C
     */
    public static void sgemm(PackedA a, boolean transB, int n, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        int m = a.m, k = a.k;
        if (n < 0) throw new IllegalArgumentException("sgemm: negative size n " + n);
        if (checkedAndEmpty(transB, m, n, k, b, bOff, ldb, c, cOff, ldc, accumulate)) return;
        run(false, transB, m, n, k, null, 0, 0, a, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * Checks that a {@code rows × cols} row-major matrix with leading dimension {@code ld}
     * starting at {@code off} lies inside {@code x}.
     */
    private static void checkMatrix(String name, float[] x, int off, int ld, int rows, int cols,
            boolean trans, String colName) {
        if (x == null) throw new NullPointerException("sgemm: " + name + " is null");
        String how = name.equals("C") ? "" : (trans ? " transposed" : " not transposed");
        String ldName = "ld" + Character.toLowerCase(name.charAt(0));
        if (ld < cols)
            throw new IllegalArgumentException("sgemm: " + ldName + " " + ld + " < " + colName + " " + cols
                    + " for " + name + how);
        if (off < 0)
            throw new IllegalArgumentException("sgemm: " + name + " offset " + off + " is negative");
        if (rows == 0 || cols == 0) {
            if (off > x.length)
                throw new IllegalArgumentException("sgemm: " + name + " offset " + off
                        + " is past the array end (length " + x.length + ")");
            return;
        }
        long end = (long) off + (long) (rows - 1) * ld + cols;   // one past the last element
        if (end > x.length)
            throw new IllegalArgumentException("sgemm: " + name + how + " (" + rows + "×" + cols + ", "
                    + ldName + " " + ld + ", offset " + off + ") needs " + end
                    + " elements but its array has " + x.length);
    }

    /**
     * Splits C between the threads; small products run on the caller: waking the pool costs
     * tens of microseconds (the training step's 128×128×10 product was 8× slower on two
     * threads). A C at least as wide as tall is cut into column units ({@link #byColumnUnits});
     * a taller one into one row panel per thread (whole multiples of MR), each multiplied alone
     * with the thread's own packing buffers, since every row panel packs the whole of B again.
     * Neither split changes a sum's order, which only the k-blocking fixes, so the bits do not
     * depend on it.
     */
    private static void run(boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOff, int lda, PackedA packed, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        int threads = Parallel.threads();
        if (threads == 1 || (long) m * n * k < SERIAL_WORK) {
            block(transA, transB, m, n, k, a, aOff, lda, packed, 0, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        if (n >= m) {
            byColumnUnits(threads, transA, transB, m, n, k, a, aOff, lda, packed, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        int size = roundUp(ceilDiv(m, Math.min(ceilDiv(m, MR), threads)), MR);
        Parallel.forChunks(ceilDiv(m, size), 1, (s, e) -> {
            for (int t = s; t < e; t++) {
                int lo = t * size, len = Math.min(size, m - lo);
                block(transA, transB, len, n, k, a, aOff + (transA ? lo : lo * lda), lda, packed, lo, b, bOff, ldb,
                        c, cOff + lo * ldc, ldc, accumulate);
            }
        });
    }

    /**
     * Column units per thread when op(A) is packed once per thread (see {@link #byColumnUnits}).
     * Eight rather than four (session 21): the mlp's ∂W₁ (256×128 by 128×784, 25 slivers) then
     * comes in 13 units of two slivers instead of 7 of four, so the thread that finishes first
     * waits on a shorter last unit; on two threads it took 164–175 µs against 181–188 µs
     * (GemmTimer, three alternated rounds). Sixteen was no faster. In training the gain is
     * below the noise: an mlp step's median over epochs 4–8 came out the same within 1 %
     * (four alternated rounds of the two jars).
     */
    static final int UNITS_PER_THREAD = 8;
    /** The most floats of op(A) a thread packs whole for {@link #byColumnUnits}: 4 MiB. */
    static final int OWN_A_MAX = 1 << 20;

    /** A thread's op(A), packed whole once per call of {@link #byColumnUnits}: {@code call} names the call. */
    private static final class OwnA {
        Object call;
        PackedA packed;
        float[] buffer = new float[0];
    }

    private static final ThreadLocal<OwnA> OWN_A = ThreadLocal.withInitial(OwnA::new);

    /**
     * C cut into units of whole B slivers, {@value #UNITS_PER_THREAD} per thread, which the
     * threads claim as {@link Parallel#forChunks} hands chunks out: each its own block first,
     * then what is left of the other's. So a thread that starts late, or runs slower for a
     * while, leaves its remaining units to the other instead of keeping it waiting. With one
     * panel per thread, an mlp epoch on two threads (the 128×784 by 784×256 product and its
     * ∂W) found the helper slower than the caller by a quarter, or not started until the caller
     * had done both panels in 11–25 % of the calls, against under 1 % in a loop of the product
     * alone (session 19, a probe timing each thread's panels); with the units, 4–7 %.
     *
     * <p>More units would mean packing op(A) again for each, which costs as much as a unit's
     * arithmetic when m is small; instead each thread packs op(A) whole on the first unit it
     * claims and multiplies all its units against that (A packed beforehand is used as is).
     * The copy stays with the thread for its next call. Above {@value #OWN_A_MAX} floats of
     * op(A) it would not stay in cache: then each thread takes one panel, which packs A in
     * blocks as a lone product does.
     */
    private static void byColumnUnits(int threads, boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOff, int lda, PackedA packed, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        int rows = roundUp(m, MR);
        boolean aInPlace = packed == null && readsAInPlace(transA, lda, n);
        boolean ownA = packed == null && !aInPlace && (long) rows * k <= OWN_A_MAX;
        int slivers = ceilDiv(n, NR);
        int units = Math.min(slivers, packed != null || ownA || aInPlace ? UNITS_PER_THREAD * threads : threads);
        int size = ceilDiv(slivers, units) * NR;
        Object call = new Object();
        Parallel.forChunks(ceilDiv(n, size), 1, (s, e) -> {
            PackedA whole = packed;
            if (ownA) {
                OwnA own = OWN_A.get();
                if (own.call != call) {
                    if (own.buffer.length < rows * k) own.buffer = new float[rows * k];
                    packWhole(transA, m, k, a, aOff, lda, own.buffer);
                    own.packed = new PackedA(m, k, own.buffer);
                    own.call = call;
                }
                whole = own.packed;
            }
            for (int t = s; t < e; t++) {
                int lo = t * size, len = Math.min(size, n - lo);
                block(transA, transB, m, len, k, a, aOff, lda, whole, 0, b, bOff + (transB ? lo * ldb : lo), ldb,
                        c, cOff + lo, ldc, accumulate);
            }
        });
    }

    /**
     * The blocked product on the calling thread; arguments checked, all sizes positive. With
     * {@code packed}, op(A) is its rows [row0, row0 + m) (row0 a multiple of MR) and a, aOff,
     * lda are unused.
     */
    private static void block(boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOff, int lda, PackedA packed, int row0, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        int mcMax = Math.min(MC, roundUp(m, MR));
        int ncMax = Math.min(NC, roundUp(n, NR));
        int kcMax = Math.min(KC, k);
        float[] pa = PACKED_A.atLeast(mcMax * kcMax), pb = PACKED_B.atLeast(ncMax * kcMax);
        float[] sums = new float[MR * NR];

        // Per k-block: B's panel is packed once (KC × NC, read from L3), then A in blocks of MC
        // rows, each multiplied against the whole panel while it sits in L2. The C element
        // (i, j) lives in one jc panel, which walks the k-blocks in order; that is what fixes
        // its summation order.
        boolean inPlace = readsBInPlace(transB, ldb, m);
        boolean aInPlace = packed == null && readsAInPlace(transA, lda, n);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean add = accumulate || pc > 0;
                for (int u = 0; u * NR < nc; u++) {
                    int nr = Math.min(NR, nc - u * NR);
                    // A row-major B is read in place by the micro-kernel (its rows are
                    // unit-stride): only a partial edge sliver is packed, to pad it.
                    if (inPlace && nr == NR) continue;
                    packB(transB, b, bOff, ldb, jc + u * NR, nr, pc, kc, pb, u * kc * NR);
                }
                int bDirect = inPlace ? bOff + pc * ldb + jc : -1;
                int ic = 0, unit = packed == null ? inPlaceARows(nc) : 0;
                if (unit > 0) {
                    // One B sliver: each element of A is read once, so packing it would only copy it.
                    ic = m - m % unit;
                    singleSliver(transA, a, aOff, lda, ic, unit, pc, kc, pb, b, bDirect, ldb, nc, c, cOff + jc, ldc, add, sums);
                }
                if (aInPlace) {
                    // Rows straight from A, twelve or four at a time; the last m mod 4 packed, padded.
                    int aRows = ic + (m - ic) / MR * MR + (m - ic) % MR / 4 * 4;
                    if (aRows > ic) tile(a, aOff + ic * lda + pc, lda, pb, b, bDirect, ldb, kc, aRows - ic, nc, c, cOff + ic * ldc + jc, ldc, add, sums);
                    ic = aRows;
                }
                for (; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    if (packed == null) {
                        packA(transA, a, aOff, lda, ic, mc, pc, kc, pa, 0);
                        tile(pa, 0, 0, pb, b, bDirect, ldb, kc, mc, nc, c, cOff + ic * ldc + jc, ldc, add, sums);
                    } else {
                        int at = roundUp(packed.m, MR) * pc + (row0 + ic) / MR * kc * MR;
                        tile(packed.slivers, at, 0, pb, b, bDirect, ldb, kc, mc, nc, c, cOff + ic * ldc + jc, ldc, add, sums);
                    }
                }
            }
        }
    }

    /**
     * Whether full B slivers are read in place rather than packed: B row-major, its rows not a
     * multiple of 32 floats (128 bytes) apart, and at most {@value #IN_PLACE_MAX_ROWS} rows of C
     * in the block. Rows whose distance is a multiple of a large power of two fall into a few
     * L1 sets, so a sliver read in place would evict itself. A B sliver is read once per MR
     * rows of A: for a convolution's 16 or 32 output channels the packing copy costs as much
     * as the arithmetic, but for the mlp's ∂W = ∂Yᵀ·X (256 rows) the contiguous packed sliver
     * pays for itself (an mlp epoch ran about 15 % slower with every row-major B in place).
     * With at most MR rows (one A sliver) every B element is read exactly once, so a row-major
     * B is read in place whatever its row distance: 10x128x128 TN went from 72 to 108 GFLOPS
     * (512-bit, one thread).
     */
    private static boolean readsBInPlace(boolean transB, int ldb, int rows) {
        return !transB && (rows <= MR || ldb % 32 != 0 && rows <= IN_PLACE_MAX_ROWS);
    }

    /**
     * Whether whole slivers of A are read in place by {@link #kernel12x2InPlaceA} rather than
     * packed: the 512-bit kernel, A row-major, its rows not a multiple of 1024 floats (4 KiB)
     * apart, and at most {@value #IN_PLACE_A_MAX_COLUMNS} columns of C. Packing a row-major A
     * is a transpose, about half a nanosecond a float here, as much as the arithmetic of two B
     * slivers against it; the kernel reading its twelve rows in place ran 3–6 % slower than on
     * packed slivers (a probe, A in L2). So it pays where A meets few B slivers: the mlp's first
     * layer (x·Wᵀ, 8 slivers, where each thread packed the whole of x for its column units) spent
     * about a third of the product packing. Twelve rows 4 KiB apart share one L1 set, which
     * the kernel would then thrash. The products and their order are the packed path's, so the
     * bits are the same ({@code GemmTest.rowMajorAReadInPlaceGivesThePackedBits}).
     *
     * <p>Measured (session 21, GemmTimer, alternated with the jar before): 128×784×256 NT
     * 397–468 → 327–335 µs on one thread and 216–253 → 173–218 µs on two, 128×256×128 NT 66–79 →
     * 51 µs and 128×128×256 NN 50–62 → 41 µs on one; an mlp step's median over epochs 4–8 came
     * out 4–26 % shorter in five of six alternated rounds (longer in one), the cnn's the same within noise.
     */
    private static boolean readsAInPlace(boolean transA, int lda, int n) {
        return KERNEL == K_12X2 && !transA && lda % 1024 != 0 && n <= IN_PLACE_A_MAX_COLUMNS;
    }

    /**
     * The {@code mt} rows of the packed A block (from {@code pa[pai]}) × the {@code nt} columns
     * of the current B panel; or, when {@code lda > 0}, of A itself read in place (row r at step
     * p is {@code pa[pai + r·lda + p]}, {@code mt} a multiple of 4; see {@code readsAInPlace}).
     * The B sliver is the outer loop so it stays in L1 while the A slivers of the block
     * stream from L2. A full sliver of B is read from {@code b} itself,
     * row p at {@code bDirect + p·ldb + jr}, when {@code bDirect ≥ 0} (a row-major B, not
     * packed); partial slivers, and every sliver of a transposed B, from the packed {@code pb}.
     */
    private static void tile(float[] pa, int pai, int lda, float[] pb, float[] b, int bDirect, int ldb, int kc, int mt, int nt,
            float[] c, int cBase, int ldc, boolean add, float[] sums) {
        for (int jr = 0; jr < nt; jr += NR) {
            int nr = Math.min(NR, nt - jr);
            boolean direct = bDirect >= 0 && nr == NR;
            float[] bp = direct ? b : pb;
            int bi = direct ? bDirect + jr : (jr / NR) * kc * NR, bs = direct ? ldb : NR;
            for (int ir = 0, rows; ir < mt; ir += rows) {
                // Padding in the packed slivers is zero, so the full kernel is safe on an edge
                // tile; only its valid corner goes to C, with the single add a full tile does.
                // In place there is no padding: twelve rows while they last, then four.
                rows = lda > 0 && ir + MR > mt ? 4 : MR;
                int ci = cBase + ir * ldc + jr;
                boolean full = nr == NR && ir + rows <= mt;
                float[] out = full ? c : sums;
                int o = full ? ci : 0, os = full ? ldc : NR;
                if (lda == 0) microTile(pa, pai + (ir / MR) * kc * MR, bp, bi, bs, kc, out, o, os, full && add);
                else if (rows == MR) kernel12x2InPlaceA(pa, pai + ir * lda, lda, bp, bi, bs, kc, out, o, os, full && add);
                else kernel4x2InPlaceA(pa, pai + ir * lda, lda, 1, bp, bi, bs, kc, out, o, os, full && add);
                if (!full) mergeTile(sums, Math.min(rows, mt - ir), nr, c, ci, ldc, add);
            }
        }
    }

    /**
     * C's {@code mr × nr} corner at {@code ci} gets an edge tile of partial sums (row r at
     * {@code sums[r·NR]}), or has it added ({@code add}): one float32 store or add per element.
     *
     * <p>Each kernel stores (or adds) its accumulators itself, into C for a full tile and into
     * the scratch tile for an edge one, rather than handing them to a helper, because any
     * method that takes them as arguments may be compiled out of line, and then every
     * accumulator is boxed into a fresh object per tile. C2 left a one-vector store helper out
     * of line ("low call site frequency", after the hot loop: a third of the GEMM samples of an
     * MLP epoch) and, in some processes only, a four-row one ("already compiled into a big
     * method", when that helper had been compiled on its own first): the CNN's convolution
     * products then ran 10× slower for the whole run. This method takes arrays only, so out of
     * line it costs a call.
     */
    private static void mergeTile(float[] sums, int mr, int nr, float[] c, int ci, int ldc, boolean add) {
        for (int r = 0; r < mr; r++) {
            int row = ci + r * ldc, at = r * NR, q = 0;
            if (Simd.ENABLED && nr == NR) {
                for (; q < NR; q += L) {
                    FloatVector v = FloatVector.fromArray(S, sums, at + q);
                    if (add) v = v.add(FloatVector.fromArray(S, c, row + q));
                    v.intoArray(c, row + q);
                }
            }
            for (; q < nr; q++) c[row + q] = add ? c[row + q] + sums[at + q] : sums[at + q];
        }
    }

    /**
     * How many rows of A the in-place path reads per micro-tile, or 0 where A is packed. A is
     * read in place when the B panel is one sliver, so each element of A meets B once and
     * packing it would only copy it (that copy took 40 % of the 128×128×10 product at 256-bit):
     * on the 4×2 kernel (256- and 128-bit) when {@code nc ≤ NR}, MR rows at a time; on the
     * 512-bit width when {@code nc ≤ L}, where the 12×2 kernel would fill 10 of its 32 columns
     * for the mlp's logits (n = 10) and {@link #kernel8x1InPlaceA}, one vector wide, fills 10
     * of 16, 8 rows at a time. The products and their order are those of the packed path, so
     * the bits do not depend on which path a panel takes (a panel this narrow can arise from
     * the thread split alone).
     */
    private static int inPlaceARows(int nc) {
        if (KERNEL == K_4X2 && nc <= NR) return MR;
        if (KERNEL == K_12X2 && nc <= L) return ROWS_8X1;
        return 0;
    }

    /**
     * Rows [0, rows) (a multiple of {@code unit}, {@link #inPlaceARows}) of C's single sliver of
     * {@code nc} columns for k-block {@code [p0, p0+kc)}: the kernel reads op(A)'s rows in
     * place — row i at step p is {@code a[aOff + i·lda + p]}, or {@code a[aOff + p·lda + i]}
     * when transposed — and B as {@link #tile} does (in place, or packed in {@code pb}).
     */
    private static void singleSliver(boolean transA, float[] a, int aOff, int lda, int rows, int unit, int p0, int kc,
            float[] pb, float[] b, int bDirect, int ldb, int nc, float[] c, int cBase, int ldc, boolean add, float[] sums) {
        boolean direct = bDirect >= 0 && nc == NR;
        float[] bp = direct ? b : pb;
        int bi = direct ? bDirect : 0, bs = direct ? ldb : NR;
        int rowStep = transA ? 1 : lda, kStep = transA ? lda : 1;
        for (int ir = 0; ir < rows; ir += unit) {
            int ai = aOff + (transA ? p0 * lda + ir : ir * lda + p0), ci = cBase + ir * ldc;
            // Only a 4×2 tile can be full here (the 8-row kernel's L columns are fewer than NR).
            boolean full = unit == MR && nc == NR;
            if (unit == ROWS_8X1) kernel8x1InPlaceA(a, ai, rowStep, kStep, bp, bi, bs, kc, sums);
            else kernel4x2InPlaceA(a, ai, rowStep, kStep, bp, bi, bs, kc, full ? c : sums, full ? ci : 0, full ? ldc : NR, full && add);
            if (!full) mergeTile(sums, unit, nc, c, ci, ldc, add);
        }
    }

    /**
     * Computes one {@code MR × NR} block of partial sums over {@code kc} steps from a packed A
     * sliver and a B sliver whose step p is the NR floats at {@code bi + p·bs} ({@code bs} =
     * NR when packed), and stores it at {@code out[o + r·os + j]} (row r, column j), or adds
     * it to what is there ({@code add}): into C for a full tile, into the scratch tile
     * ({@code os} = NR, no add) for an edge one. Storing the block from the kernel spared a
     * store and reload per element; the 128×10×128 product, whose k of 10 makes tiles short,
     * went from 76–88 to 99–103 GFLOPS on one thread (512-bit, side by side).
     */
    private static void microTile(float[] ap, int ai, float[] bp, int bi, int bs, int kc, float[] out, int o, int os,
            boolean add) {
        switch (KERNEL) {
            case K_4X2 -> {
                if (bs == NR) kernel4x2(ap, ai, bp, bi, kc, out, o, os, add);
                else kernel4x2Strided(ap, ai, bp, bi, bs, kc, out, o, os, add);
            }
            case K_12X2 -> kernel12x2(ap, ai, bp, bi, bs, kc, out, o, os, add);
            default -> kernelScalar(ap, ai, bp, bi, bs, kc, out, o, os, add);
        }
    }

    /**
     * Packs rows {@code [i0, i0+mc)} × k-range {@code [p0, p0+kc)} of op(A) as slivers of MR
     * rows: row {@code i0 + t·MR + r} at step p goes to {@code dst[dOff + t·kc·MR + p·MR + r]}, the
     * last sliver zero-padded to MR rows.
     *
     * <p>Both loops read whole cache lines and write each sliver front to back. A transposed A
     * holds each k step's rows contiguously, so one step's 16 floats (a cache line) feed
     * {@code 16 / MR} slivers at once; packing sliver by sliver would read every line MR floats
     * at a time, and the lines of one sliver, {@code lda} floats apart, evict each other when
     * lda is a multiple of 1024 (measured: the 1024³ TN product's packing took 2.8 ms of 33).
     * A row-major A is read MR rows side by side, so the writes are contiguous.
     */
    private static void packA(boolean trans, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
            float[] dst, int dOff) {
        int slivers = ceilDiv(mc, MR);
        if (trans) {
            // op(A)[i][p] = a[p·lda + i]: step p of rows i0.. is one contiguous run.
            int group = Math.max(1, 16 / MR), full = mc / MR, sk = kc * MR;
            for (int t0 = 0; t0 < slivers; t0 += group) {
                int t1 = Math.min(slivers, t0 + group);
                if (t1 <= full && QUAD_COPY) {
                    for (int p = 0; p < kc; p++) {
                        int src = aOff + (p0 + p) * lda + i0 + t0 * MR, o = dOff + t0 * sk + p * MR;
                        for (int t = t0; t < t1; t++, src += MR, o += sk) {
                            for (int r = 0; r < MR; r += 4) FloatVector.fromArray(Q, a, src + r).intoArray(dst, o + r);
                        }
                    }
                    continue;
                }
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + i0;
                    for (int t = t0; t < t1; t++) {
                        int o = dOff + t * sk + p * MR, first = t * MR, rows = Math.min(MR, mc - first);
                        for (int r = 0; r < rows; r++) dst[o + r] = a[src + first + r];
                        for (int r = rows; r < MR; r++) dst[o + r] = 0f;
                    }
                }
            }
        } else {
            for (int t = 0; t < slivers; t++) {
                int first = i0 + t * MR, rows = Math.min(MR, mc - t * MR), d = dOff + t * kc * MR;
                int src = aOff + first * lda + p0;
                if (rows == 4 && MR == 4) {
                    // Unrolled: the loop below with r innermost took 0.7–1.3 ms for a 1024² A,
                    // this one 0.55–0.8 ms (measured side by side).
                    int s1 = src + lda, s2 = s1 + lda, s3 = s2 + lda;
                    for (int p = 0; p < kc; p++) {
                        int o = d + p * 4;
                        dst[o] = a[src + p]; dst[o + 1] = a[s1 + p]; dst[o + 2] = a[s2 + p]; dst[o + 3] = a[s3 + p];
                    }
                    continue;
                }
                if (rows == 12 && MR == 12) {
                    // The same for the 512-bit kernel's 12 rows: twelve invariant row bases let
                    // C2 hoist every range check, where the loop below checks each element.
                    packTwelveRows(a, src, lda, kc, dst, d);
                    continue;
                }
                for (int p = 0; p < kc; p++) {
                    int o = d + p * MR;
                    for (int r = 0; r < rows; r++) dst[o + r] = a[src + r * lda + p];
                    for (int r = rows; r < MR; r++) dst[o + r] = 0f;
                }
            }
        }
    }

    /**
     * Twelve rows of A from {@code src}, {@code lda} apart: steps [0, kc) interleaved into
     * {@code dst[d + p·12 + r]}.
     */
    private static void packTwelveRows(float[] a, int src, int lda, int kc, float[] dst, int d) {
        int s1 = src + lda, s2 = s1 + lda, s3 = s2 + lda, s4 = s3 + lda, s5 = s4 + lda;
        int s6 = s5 + lda, s7 = s6 + lda, s8 = s7 + lda, s9 = s8 + lda, s10 = s9 + lda, s11 = s10 + lda;
        for (int p = 0, o = d; p < kc; p++, o += 12) {
            dst[o] = a[src + p]; dst[o + 1] = a[s1 + p]; dst[o + 2] = a[s2 + p]; dst[o + 3] = a[s3 + p];
            dst[o + 4] = a[s4 + p]; dst[o + 5] = a[s5 + p]; dst[o + 6] = a[s6 + p]; dst[o + 7] = a[s7 + p];
            dst[o + 8] = a[s8 + p]; dst[o + 9] = a[s9 + p]; dst[o + 10] = a[s10 + p]; dst[o + 11] = a[s11 + p];
        }
    }

    /**
     * Packs k-range {@code [p0, p0+kc)} × columns {@code [j0, j0+nr)} of op(B) as
     * {@code dst[d + p·NR + q]}, zero-padding columns {@code nr..NR-1}.
     */
    private static void packB(boolean trans, float[] b, int bOff, int ldb, int j0, int nr, int p0, int kc,
            float[] dst, int d) {
        if (!trans) {
            for (int p = 0; p < kc; p++) {
                int src = bOff + (p0 + p) * ldb + j0, o = d + p * NR;
                if (nr == NR && Simd.ENABLED) {
                    // A sliver row is NR / L vectors: moving them beats System.arraycopy's set-up.
                    for (int q = 0; q < NR; q += L) FloatVector.fromArray(S, b, src + q).intoArray(dst, o + q);
                    continue;
                }
                System.arraycopy(b, src, dst, o, nr);
                for (int q = nr; q < NR; q++) dst[o + q] = 0f;
            }
        } else {
            // op(B)[p][j] = b[j·ldb + p]: on 512-bit vectors whole blocks of 16 rows × 16 steps
            // are transposed in registers; the rest reads each stored row contiguously and
            // scatters it by NR.
            if (TRANSPOSE_SIXTEEN && nr == NR && kc >= TRANSPOSE_MIN_STEPS) {
                int pv = kc - kc % 16;
                for (int q0 = 0; q0 < NR; q0 += 16) {
                    for (int p = 0; p < pv; p += 16) transposeSixteen(b, bOff + (j0 + q0) * ldb + p0 + p, ldb, dst, d + p * NR + q0);
                }
                for (int q = 0; q < NR; q++) {
                    int src = bOff + (j0 + q) * ldb + p0;
                    for (int p = pv; p < kc; p++) dst[d + p * NR + q] = b[src + p];
                }
                return;
            }
            for (int q = 0; q < nr; q++) {
                int src = bOff + (j0 + q) * ldb + p0;
                for (int p = 0; p < kc; p++) dst[d + p * NR + q] = b[src + p];
            }
            // The padding step by step: each step's padding is one contiguous run.
            if (nr < NR) {
                for (int p = 0; p < kc; p++) java.util.Arrays.fill(dst, d + p * NR + nr, d + (p + 1) * NR, 0f);
            }
        }
    }

    /**
     * {@link #transposeSixteen}'s round k: HIGH[k] the lanes whose bit k is set, DOWN[k] takes
     * lane l − 2ᵏ there (l elsewhere), UP[k] lane l + 2ᵏ where bit k is clear (l elsewhere).
     */
    private static final VectorMask<Float>[] HIGH = transposeMasks();
    private static final VectorShuffle<Float>[] DOWN = transposeShuffles(-1), UP = transposeShuffles(1);

    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] transposeMasks() {
        VectorMask<Float>[] m = new VectorMask[4];
        for (int k = 0; k < 4; k++) {
            boolean[] set = new boolean[L];
            for (int l = 0; l < L; l++) set[l] = (l >> k & 1) == 1;
            m[k] = VectorMask.fromArray(S, set, 0);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] transposeShuffles(int direction) {
        VectorShuffle<Float>[] sh = new VectorShuffle[4];
        for (int k = 0; k < 4; k++) {
            int[] at = new int[L];
            for (int l = 0; l < L; l++) {
                boolean high = (l >> k & 1) == 1;
                at[l] = direction < 0 ? (high ? l - (1 << k) : l) : (high ? l : l + (1 << k));
            }
            sh[k] = VectorShuffle.fromArray(S, at, 0);
        }
        return sh;
    }

    /**
     * Sixteen stored rows of a transposed B, 16 steps each, into a sliver: {@code dst[d + p·NR +
     * q] = b[src + q·ldb + p]} for q, p &lt; 16. Four rounds each swap one bit of the row number
     * with one bit of the lane: in round k, rows x and y = x + 2ᵏ become x' (lanes with bit k
     * clear keep x, the others take y's lane − 2ᵏ) and y' (x's lane + 2ᵏ where bit k is clear,
     * y elsewhere), one permute and one blend each; after the four rounds vector p holds step p
     * of the sixteen rows. Sixteen locals, not an array: an array of vectors would be boxed.
     */
    private static void transposeSixteen(float[] b, int src, int ldb, float[] dst, int d) {
        FloatVector v0 = FloatVector.fromArray(S, b, src);
        FloatVector v1 = FloatVector.fromArray(S, b, src + 1 * ldb);
        FloatVector v2 = FloatVector.fromArray(S, b, src + 2 * ldb);
        FloatVector v3 = FloatVector.fromArray(S, b, src + 3 * ldb);
        FloatVector v4 = FloatVector.fromArray(S, b, src + 4 * ldb);
        FloatVector v5 = FloatVector.fromArray(S, b, src + 5 * ldb);
        FloatVector v6 = FloatVector.fromArray(S, b, src + 6 * ldb);
        FloatVector v7 = FloatVector.fromArray(S, b, src + 7 * ldb);
        FloatVector v8 = FloatVector.fromArray(S, b, src + 8 * ldb);
        FloatVector v9 = FloatVector.fromArray(S, b, src + 9 * ldb);
        FloatVector v10 = FloatVector.fromArray(S, b, src + 10 * ldb);
        FloatVector v11 = FloatVector.fromArray(S, b, src + 11 * ldb);
        FloatVector v12 = FloatVector.fromArray(S, b, src + 12 * ldb);
        FloatVector v13 = FloatVector.fromArray(S, b, src + 13 * ldb);
        FloatVector v14 = FloatVector.fromArray(S, b, src + 14 * ldb);
        FloatVector v15 = FloatVector.fromArray(S, b, src + 15 * ldb);
        // Round 0: rows 2^0 apart swap bit 0 with the lane's.
        { FloatVector x = v0, y = v1; v0 = x.blend(y.rearrange(DOWN[0]), HIGH[0]); v1 = x.rearrange(UP[0]).blend(y, HIGH[0]); }
        { FloatVector x = v2, y = v3; v2 = x.blend(y.rearrange(DOWN[0]), HIGH[0]); v3 = x.rearrange(UP[0]).blend(y, HIGH[0]); }
        { FloatVector x = v4, y = v5; v4 = x.blend(y.rearrange(DOWN[0]), HIGH[0]); v5 = x.rearrange(UP[0]).blend(y, HIGH[0]); }
        { FloatVector x = v6, y = v7; v6 = x.blend(y.rearrange(DOWN[0]), HIGH[0]); v7 = x.rearrange(UP[0]).blend(y, HIGH[0]); }
        { FloatVector x = v8, y = v9; v8 = x.blend(y.rearrange(DOWN[0]), HIGH[0]); v9 = x.rearrange(UP[0]).blend(y, HIGH[0]); }
        { FloatVector x = v10, y = v11; v10 = x.blend(y.rearrange(DOWN[0]), HIGH[0]); v11 = x.rearrange(UP[0]).blend(y, HIGH[0]); }
        { FloatVector x = v12, y = v13; v12 = x.blend(y.rearrange(DOWN[0]), HIGH[0]); v13 = x.rearrange(UP[0]).blend(y, HIGH[0]); }
        { FloatVector x = v14, y = v15; v14 = x.blend(y.rearrange(DOWN[0]), HIGH[0]); v15 = x.rearrange(UP[0]).blend(y, HIGH[0]); }
        // Round 1: rows 2^1 apart swap bit 1 with the lane's.
        { FloatVector x = v0, y = v2; v0 = x.blend(y.rearrange(DOWN[1]), HIGH[1]); v2 = x.rearrange(UP[1]).blend(y, HIGH[1]); }
        { FloatVector x = v1, y = v3; v1 = x.blend(y.rearrange(DOWN[1]), HIGH[1]); v3 = x.rearrange(UP[1]).blend(y, HIGH[1]); }
        { FloatVector x = v4, y = v6; v4 = x.blend(y.rearrange(DOWN[1]), HIGH[1]); v6 = x.rearrange(UP[1]).blend(y, HIGH[1]); }
        { FloatVector x = v5, y = v7; v5 = x.blend(y.rearrange(DOWN[1]), HIGH[1]); v7 = x.rearrange(UP[1]).blend(y, HIGH[1]); }
        { FloatVector x = v8, y = v10; v8 = x.blend(y.rearrange(DOWN[1]), HIGH[1]); v10 = x.rearrange(UP[1]).blend(y, HIGH[1]); }
        { FloatVector x = v9, y = v11; v9 = x.blend(y.rearrange(DOWN[1]), HIGH[1]); v11 = x.rearrange(UP[1]).blend(y, HIGH[1]); }
        { FloatVector x = v12, y = v14; v12 = x.blend(y.rearrange(DOWN[1]), HIGH[1]); v14 = x.rearrange(UP[1]).blend(y, HIGH[1]); }
        { FloatVector x = v13, y = v15; v13 = x.blend(y.rearrange(DOWN[1]), HIGH[1]); v15 = x.rearrange(UP[1]).blend(y, HIGH[1]); }
        // Round 2: rows 2^2 apart swap bit 2 with the lane's.
        { FloatVector x = v0, y = v4; v0 = x.blend(y.rearrange(DOWN[2]), HIGH[2]); v4 = x.rearrange(UP[2]).blend(y, HIGH[2]); }
        { FloatVector x = v1, y = v5; v1 = x.blend(y.rearrange(DOWN[2]), HIGH[2]); v5 = x.rearrange(UP[2]).blend(y, HIGH[2]); }
        { FloatVector x = v2, y = v6; v2 = x.blend(y.rearrange(DOWN[2]), HIGH[2]); v6 = x.rearrange(UP[2]).blend(y, HIGH[2]); }
        { FloatVector x = v3, y = v7; v3 = x.blend(y.rearrange(DOWN[2]), HIGH[2]); v7 = x.rearrange(UP[2]).blend(y, HIGH[2]); }
        { FloatVector x = v8, y = v12; v8 = x.blend(y.rearrange(DOWN[2]), HIGH[2]); v12 = x.rearrange(UP[2]).blend(y, HIGH[2]); }
        { FloatVector x = v9, y = v13; v9 = x.blend(y.rearrange(DOWN[2]), HIGH[2]); v13 = x.rearrange(UP[2]).blend(y, HIGH[2]); }
        { FloatVector x = v10, y = v14; v10 = x.blend(y.rearrange(DOWN[2]), HIGH[2]); v14 = x.rearrange(UP[2]).blend(y, HIGH[2]); }
        { FloatVector x = v11, y = v15; v11 = x.blend(y.rearrange(DOWN[2]), HIGH[2]); v15 = x.rearrange(UP[2]).blend(y, HIGH[2]); }
        // Round 3: rows 2^3 apart swap bit 3 with the lane's.
        { FloatVector x = v0, y = v8; v0 = x.blend(y.rearrange(DOWN[3]), HIGH[3]); v8 = x.rearrange(UP[3]).blend(y, HIGH[3]); }
        { FloatVector x = v1, y = v9; v1 = x.blend(y.rearrange(DOWN[3]), HIGH[3]); v9 = x.rearrange(UP[3]).blend(y, HIGH[3]); }
        { FloatVector x = v2, y = v10; v2 = x.blend(y.rearrange(DOWN[3]), HIGH[3]); v10 = x.rearrange(UP[3]).blend(y, HIGH[3]); }
        { FloatVector x = v3, y = v11; v3 = x.blend(y.rearrange(DOWN[3]), HIGH[3]); v11 = x.rearrange(UP[3]).blend(y, HIGH[3]); }
        { FloatVector x = v4, y = v12; v4 = x.blend(y.rearrange(DOWN[3]), HIGH[3]); v12 = x.rearrange(UP[3]).blend(y, HIGH[3]); }
        { FloatVector x = v5, y = v13; v5 = x.blend(y.rearrange(DOWN[3]), HIGH[3]); v13 = x.rearrange(UP[3]).blend(y, HIGH[3]); }
        { FloatVector x = v6, y = v14; v6 = x.blend(y.rearrange(DOWN[3]), HIGH[3]); v14 = x.rearrange(UP[3]).blend(y, HIGH[3]); }
        { FloatVector x = v7, y = v15; v7 = x.blend(y.rearrange(DOWN[3]), HIGH[3]); v15 = x.rearrange(UP[3]).blend(y, HIGH[3]); }
        v0.intoArray(dst, d);
        v1.intoArray(dst, d + 1 * NR);
        v2.intoArray(dst, d + 2 * NR);
        v3.intoArray(dst, d + 3 * NR);
        v4.intoArray(dst, d + 4 * NR);
        v5.intoArray(dst, d + 5 * NR);
        v6.intoArray(dst, d + 6 * NR);
        v7.intoArray(dst, d + 7 * NR);
        v8.intoArray(dst, d + 8 * NR);
        v9.intoArray(dst, d + 9 * NR);
        v10.intoArray(dst, d + 10 * NR);
        v11.intoArray(dst, d + 11 * NR);
        v12.intoArray(dst, d + 12 * NR);
        v13.intoArray(dst, d + 13 * NR);
        v14.intoArray(dst, d + 14 * NR);
        v15.intoArray(dst, d + 15 * NR);
    }

    /**
     * The scalar micro-kernel (4 × 4) for {@code -Dlethe.simd=scalar}. {@link Math#fma} keeps
     * its rounding identical to the vector lanes'.
     */
    private static void kernelScalar(float[] ap, int ai, float[] bp, int bi, int bs, int kc, float[] out, int o, int os,
            boolean add) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++, ai += 4, bi += bs) {
            float b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
            float a0 = ap[ai], a1 = ap[ai + 1], a2 = ap[ai + 2], a3 = ap[ai + 3];
            c00 = Math.fma(a0, b0, c00); c01 = Math.fma(a0, b1, c01); c02 = Math.fma(a0, b2, c02); c03 = Math.fma(a0, b3, c03);
            c10 = Math.fma(a1, b0, c10); c11 = Math.fma(a1, b1, c11); c12 = Math.fma(a1, b2, c12); c13 = Math.fma(a1, b3, c13);
            c20 = Math.fma(a2, b0, c20); c21 = Math.fma(a2, b1, c21); c22 = Math.fma(a2, b2, c22); c23 = Math.fma(a2, b3, c23);
            c30 = Math.fma(a3, b0, c30); c31 = Math.fma(a3, b1, c31); c32 = Math.fma(a3, b2, c32); c33 = Math.fma(a3, b3, c33);
        }
        if (add) {
            c00 += out[o]; c01 += out[o + 1]; c02 += out[o + 2]; c03 += out[o + 3];
            c10 += out[o + os]; c11 += out[o + os + 1]; c12 += out[o + os + 2]; c13 += out[o + os + 3];
            c20 += out[o + 2 * os]; c21 += out[o + 2 * os + 1]; c22 += out[o + 2 * os + 2]; c23 += out[o + 2 * os + 3];
            c30 += out[o + 3 * os]; c31 += out[o + 3 * os + 1]; c32 += out[o + 3 * os + 2]; c33 += out[o + 3 * os + 3];
        }
        out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03;
        out[o + os] = c10; out[o + os + 1] = c11; out[o + os + 2] = c12; out[o + os + 3] = c13;
        out[o + 2 * os] = c20; out[o + 2 * os + 1] = c21; out[o + 2 * os + 2] = c22; out[o + 2 * os + 3] = c23;
        out[o + 3 * os] = c30; out[o + 3 * os + 1] = c31; out[o + 3 * os + 2] = c32; out[o + 3 * os + 3] = c33;
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /** x rounded up to a multiple of y (x ≥ 0, y > 0). */
    static int roundUp(int x, int y) {
        return ceilDiv(x, y) * y;
    }

    // The vector micro-kernels below are written out by hand (one variable per accumulator)
    // because C2 keeps only named locals in registers; an array of vectors would spill.

    /**
     * The 4-row × 2-vector micro-kernel for a packed B sliver; see {@link #microTile}. B's step
     * is the constant NR, so C2 proves every B load in range before the loop and drops the two
     * range checks per step that {@link #kernel4x2Strided} keeps: with them the loop issued
     * about as many instructions as the FMA units could retire (alone in L1: 82–84 GFLOPS
     * against 95–97 without, AVX2, one thread, side by side). It is a method of its own rather
     * than a branch in the strided one: with both loops hot in one method (a convolution's
     * in-place products next to packed ones) C2 compiled both slower, the 1024³ product by a
     * quarter.
     */
    private static void kernel4x2(float[] ap, int ai, float[] bp, int bi, int kc, float[] out, int o, int os, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 4, bi += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ai]), a1 = FloatVector.broadcast(S, ap[ai + 1]);
            FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]), a3 = FloatVector.broadcast(S, ap[ai + 3]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
        }
        // Written out here, not passed to a helper: see mergeTile.
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, out, o)); c01 = c01.add(FloatVector.fromArray(S, out, o + L));
            c10 = c10.add(FloatVector.fromArray(S, out, o + os)); c11 = c11.add(FloatVector.fromArray(S, out, o + os + L));
            c20 = c20.add(FloatVector.fromArray(S, out, o + 2 * os)); c21 = c21.add(FloatVector.fromArray(S, out, o + 2 * os + L));
            c30 = c30.add(FloatVector.fromArray(S, out, o + 3 * os)); c31 = c31.add(FloatVector.fromArray(S, out, o + 3 * os + L));
        }
        c00.intoArray(out, o); c01.intoArray(out, o + L); c10.intoArray(out, o + os); c11.intoArray(out, o + os + L);
        c20.intoArray(out, o + 2 * os); c21.intoArray(out, o + 2 * os + L); c30.intoArray(out, o + 3 * os); c31.intoArray(out, o + 3 * os + L);
    }

    /** {@link #kernel4x2} for a B sliver read in place, step p at {@code bi + p·bs}. */
    private static void kernel4x2Strided(float[] ap, int ai, float[] bp, int bi, int bs, int kc, float[] out, int o, int os, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 4, bi += bs) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ai]), a1 = FloatVector.broadcast(S, ap[ai + 1]);
            FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]), a3 = FloatVector.broadcast(S, ap[ai + 3]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
        }
        // Written out here, not passed to a helper: see mergeTile.
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, out, o)); c01 = c01.add(FloatVector.fromArray(S, out, o + L));
            c10 = c10.add(FloatVector.fromArray(S, out, o + os)); c11 = c11.add(FloatVector.fromArray(S, out, o + os + L));
            c20 = c20.add(FloatVector.fromArray(S, out, o + 2 * os)); c21 = c21.add(FloatVector.fromArray(S, out, o + 2 * os + L));
            c30 = c30.add(FloatVector.fromArray(S, out, o + 3 * os)); c31 = c31.add(FloatVector.fromArray(S, out, o + 3 * os + L));
        }
        c00.intoArray(out, o); c01.intoArray(out, o + L); c10.intoArray(out, o + os); c11.intoArray(out, o + os + L);
        c20.intoArray(out, o + 2 * os); c21.intoArray(out, o + 2 * os + L); c30.intoArray(out, o + 3 * os); c31.intoArray(out, o + 3 * os + L);
    }

    /**
     * {@link #kernel4x2Strided} with A read in place: its four rows at step p are
     * {@code a[ai + p·kStep + r·rowStep]}, r = 0..3. Each C element takes the same products in
     * the same order as from a packed sliver. With rowStep 1 and kStep MR it would serve for
     * the strided kernel too, but not as fast: the convolution forward's products (16×9×784
     * and 32×144×196, B in place) ran 12–42 % slower on it than on the kernel whose A offsets
     * are constants (session 10, three alternated rounds of fresh processes).
     */
    private static void kernel4x2InPlaceA(float[] a, int ai, int rowStep, int kStep, float[] bp, int bi, int bs, int kc,
            float[] out, int o, int os, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int r1 = rowStep, r2 = 2 * rowStep, r3 = 3 * rowStep;
        for (int p = 0; p < kc; p++, ai += kStep, bi += bs) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]), a1 = FloatVector.broadcast(S, a[ai + r1]);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + r2]), a3 = FloatVector.broadcast(S, a[ai + r3]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
        }
        // Written out here, not passed to a helper: see mergeTile.
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, out, o)); c01 = c01.add(FloatVector.fromArray(S, out, o + L));
            c10 = c10.add(FloatVector.fromArray(S, out, o + os)); c11 = c11.add(FloatVector.fromArray(S, out, o + os + L));
            c20 = c20.add(FloatVector.fromArray(S, out, o + 2 * os)); c21 = c21.add(FloatVector.fromArray(S, out, o + 2 * os + L));
            c30 = c30.add(FloatVector.fromArray(S, out, o + 3 * os)); c31 = c31.add(FloatVector.fromArray(S, out, o + 3 * os + L));
        }
        c00.intoArray(out, o); c01.intoArray(out, o + L); c10.intoArray(out, o + os); c11.intoArray(out, o + os + L);
        c20.intoArray(out, o + 2 * os); c21.intoArray(out, o + 2 * os + L); c30.intoArray(out, o + 3 * os); c31.intoArray(out, o + 3 * os + L);
    }

    /**
     * {@link #kernel4x2InPlaceA}'s one-vector-wide sibling for the 512-bit width: 8 rows × L
     * columns, A read in place (row r at step p is {@code a[ai + p·kStep + r·rowStep]}), B's
     * first L floats of each step at {@code bi + p·bs}. Eight independent accumulators cover
     * the fused multiply-add's latency on two pipes.
     */
    private static void kernel8x1InPlaceA(float[] a, int ai, int rowStep, int kStep, float[] bp, int bi, int bs, int kc,
            float[] sums) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        int r1 = rowStep, r2 = 2 * rowStep, r3 = 3 * rowStep, r4 = 4 * rowStep, r5 = 5 * rowStep, r6 = 6 * rowStep, r7 = 7 * rowStep;
        for (int p = 0; p < kc; p++, ai += kStep, bi += bs) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            c0 = FloatVector.broadcast(S, a[ai]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[ai + r1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[ai + r2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[ai + r3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[ai + r4]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[ai + r5]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, a[ai + r6]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, a[ai + r7]).fma(b0, c7);
        }
        // Written out here, not passed to a helper: see mergeTile.
        c0.intoArray(sums, 0); c1.intoArray(sums, NR); c2.intoArray(sums, 2 * NR); c3.intoArray(sums, 3 * NR);
        c4.intoArray(sums, 4 * NR); c5.intoArray(sums, 5 * NR); c6.intoArray(sums, 6 * NR); c7.intoArray(sums, 7 * NR);
    }

    /** The 12-row × 2-vector micro-kernel; see {@link #microTile}. */
    private static void kernel12x2(float[] ap, int ai, float[] bp, int bi, int bs, int kc, float[] out, int o, int os, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        FloatVector c80 = FloatVector.zero(S), c81 = FloatVector.zero(S);
        FloatVector c90 = FloatVector.zero(S), c91 = FloatVector.zero(S);
        FloatVector c100 = FloatVector.zero(S), c101 = FloatVector.zero(S);
        FloatVector c110 = FloatVector.zero(S), c111 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 12, bi += bs) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(S, ap[ai + 8]);
            c80 = a8.fma(b0, c80); c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(S, ap[ai + 9]);
            c90 = a9.fma(b0, c90); c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(S, ap[ai + 10]);
            c100 = a10.fma(b0, c100); c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(S, ap[ai + 11]);
            c110 = a11.fma(b0, c110); c111 = a11.fma(b1, c111);
        }
        // Written out here, not passed to a helper: see mergeTile.
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, out, o)); c01 = c01.add(FloatVector.fromArray(S, out, o + L));
            c10 = c10.add(FloatVector.fromArray(S, out, o + os)); c11 = c11.add(FloatVector.fromArray(S, out, o + os + L));
            c20 = c20.add(FloatVector.fromArray(S, out, o + 2 * os)); c21 = c21.add(FloatVector.fromArray(S, out, o + 2 * os + L));
            c30 = c30.add(FloatVector.fromArray(S, out, o + 3 * os)); c31 = c31.add(FloatVector.fromArray(S, out, o + 3 * os + L));
            c40 = c40.add(FloatVector.fromArray(S, out, o + 4 * os)); c41 = c41.add(FloatVector.fromArray(S, out, o + 4 * os + L));
            c50 = c50.add(FloatVector.fromArray(S, out, o + 5 * os)); c51 = c51.add(FloatVector.fromArray(S, out, o + 5 * os + L));
            c60 = c60.add(FloatVector.fromArray(S, out, o + 6 * os)); c61 = c61.add(FloatVector.fromArray(S, out, o + 6 * os + L));
            c70 = c70.add(FloatVector.fromArray(S, out, o + 7 * os)); c71 = c71.add(FloatVector.fromArray(S, out, o + 7 * os + L));
            c80 = c80.add(FloatVector.fromArray(S, out, o + 8 * os)); c81 = c81.add(FloatVector.fromArray(S, out, o + 8 * os + L));
            c90 = c90.add(FloatVector.fromArray(S, out, o + 9 * os)); c91 = c91.add(FloatVector.fromArray(S, out, o + 9 * os + L));
            c100 = c100.add(FloatVector.fromArray(S, out, o + 10 * os)); c101 = c101.add(FloatVector.fromArray(S, out, o + 10 * os + L));
            c110 = c110.add(FloatVector.fromArray(S, out, o + 11 * os)); c111 = c111.add(FloatVector.fromArray(S, out, o + 11 * os + L));
        }
        c00.intoArray(out, o); c01.intoArray(out, o + L);
        c10.intoArray(out, o + os); c11.intoArray(out, o + os + L);
        c20.intoArray(out, o + 2 * os); c21.intoArray(out, o + 2 * os + L);
        c30.intoArray(out, o + 3 * os); c31.intoArray(out, o + 3 * os + L);
        c40.intoArray(out, o + 4 * os); c41.intoArray(out, o + 4 * os + L);
        c50.intoArray(out, o + 5 * os); c51.intoArray(out, o + 5 * os + L);
        c60.intoArray(out, o + 6 * os); c61.intoArray(out, o + 6 * os + L);
        c70.intoArray(out, o + 7 * os); c71.intoArray(out, o + 7 * os + L);
        c80.intoArray(out, o + 8 * os); c81.intoArray(out, o + 8 * os + L);
        c90.intoArray(out, o + 9 * os); c91.intoArray(out, o + 9 * os + L);
        c100.intoArray(out, o + 10 * os); c101.intoArray(out, o + 10 * os + L);
        c110.intoArray(out, o + 11 * os); c111.intoArray(out, o + 11 * os + L);
    }

    /**
     * {@link #kernel12x2} reading A in place: row r at step p is {@code a[ai + r·lda + p]}
     * (twelve rows of a row-major A) instead of a packed sliver. The same products in the same
     * order, so the same bits. A copy of that kernel rather than one kernel with a row step for
     * both: packed slivers read at constant offsets, and a kernel taking its offsets as
     * arguments ran 12–42 % slower on them (see {@link #kernel4x2InPlaceA}).
     */
    private static void kernel12x2InPlaceA(float[] a, int ai, int lda, float[] bp, int bi, int bs, int kc, float[] out, int o, int os,
            boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        FloatVector c80 = FloatVector.zero(S), c81 = FloatVector.zero(S), c90 = FloatVector.zero(S), c91 = FloatVector.zero(S);
        FloatVector c100 = FloatVector.zero(S), c101 = FloatVector.zero(S), c110 = FloatVector.zero(S), c111 = FloatVector.zero(S);
        int r1 = lda, r2 = 2 * lda, r3 = 3 * lda, r4 = 4 * lda, r5 = 5 * lda, r6 = 6 * lda;
        int r7 = 7 * lda, r8 = 8 * lda, r9 = 9 * lda, r10 = 10 * lda, r11 = 11 * lda;
        for (int p = 0; p < kc; p++, ai++, bi += bs) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + r1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + r2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + r3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ai + r4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + r5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, a[ai + r6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[ai + r7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(S, a[ai + r8]);
            c80 = a8.fma(b0, c80); c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(S, a[ai + r9]);
            c90 = a9.fma(b0, c90); c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(S, a[ai + r10]);
            c100 = a10.fma(b0, c100); c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(S, a[ai + r11]);
            c110 = a11.fma(b0, c110); c111 = a11.fma(b1, c111);
        }
        // Written out here, not passed to a helper: see mergeTile.
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, out, o)); c01 = c01.add(FloatVector.fromArray(S, out, o + L));
            c10 = c10.add(FloatVector.fromArray(S, out, o + os)); c11 = c11.add(FloatVector.fromArray(S, out, o + os + L));
            c20 = c20.add(FloatVector.fromArray(S, out, o + 2 * os)); c21 = c21.add(FloatVector.fromArray(S, out, o + 2 * os + L));
            c30 = c30.add(FloatVector.fromArray(S, out, o + 3 * os)); c31 = c31.add(FloatVector.fromArray(S, out, o + 3 * os + L));
            c40 = c40.add(FloatVector.fromArray(S, out, o + 4 * os)); c41 = c41.add(FloatVector.fromArray(S, out, o + 4 * os + L));
            c50 = c50.add(FloatVector.fromArray(S, out, o + 5 * os)); c51 = c51.add(FloatVector.fromArray(S, out, o + 5 * os + L));
            c60 = c60.add(FloatVector.fromArray(S, out, o + 6 * os)); c61 = c61.add(FloatVector.fromArray(S, out, o + 6 * os + L));
            c70 = c70.add(FloatVector.fromArray(S, out, o + 7 * os)); c71 = c71.add(FloatVector.fromArray(S, out, o + 7 * os + L));
            c80 = c80.add(FloatVector.fromArray(S, out, o + 8 * os)); c81 = c81.add(FloatVector.fromArray(S, out, o + 8 * os + L));
            c90 = c90.add(FloatVector.fromArray(S, out, o + 9 * os)); c91 = c91.add(FloatVector.fromArray(S, out, o + 9 * os + L));
            c100 = c100.add(FloatVector.fromArray(S, out, o + 10 * os)); c101 = c101.add(FloatVector.fromArray(S, out, o + 10 * os + L));
            c110 = c110.add(FloatVector.fromArray(S, out, o + 11 * os)); c111 = c111.add(FloatVector.fromArray(S, out, o + 11 * os + L));
        }
        c00.intoArray(out, o); c01.intoArray(out, o + L);
        c10.intoArray(out, o + os); c11.intoArray(out, o + os + L);
        c20.intoArray(out, o + 2 * os); c21.intoArray(out, o + 2 * os + L);
        c30.intoArray(out, o + 3 * os); c31.intoArray(out, o + 3 * os + L);
        c40.intoArray(out, o + 4 * os); c41.intoArray(out, o + 4 * os + L);
        c50.intoArray(out, o + 5 * os); c51.intoArray(out, o + 5 * os + L);
        c60.intoArray(out, o + 6 * os); c61.intoArray(out, o + 6 * os + L);
        c70.intoArray(out, o + 7 * os); c71.intoArray(out, o + 7 * os + L);
        c80.intoArray(out, o + 8 * os); c81.intoArray(out, o + 8 * os + L);
        c90.intoArray(out, o + 9 * os); c91.intoArray(out, o + 9 * os + L);
        c100.intoArray(out, o + 10 * os); c101.intoArray(out, o + 10 * os + L);
        c110.intoArray(out, o + 11 * os); c111.intoArray(out, o + 11 * os + L);
    }
}
