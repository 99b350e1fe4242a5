package dev.lethe.cpu;

import dev.lethe.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * maxPool2d over float32 planes: x [P, H, W] (P = N·C planes, contiguous from {@code off}) →
 * out [P, oh, ow] with oh = ⌊(H − k)/s⌋ + 1, and for each output the flat index (into x's
 * [P, H, W], from 0) of the element it took.
 *
 * <p>Ties: the window is scanned row by row, left to right, and a later element replaces the
 * current maximum only when strictly greater, so the <em>first</em> maximum wins (as PyTorch's
 * max_pool2d). The backward then gives that one element the whole gradient; the composed
 * unfold + max form splits it evenly between tied elements instead. NaN wins over numbers
 * (and the first NaN over later ones), so a NaN in a window propagates like the composed max.
 *
 * <p>The forward gathers the window elements of {@code F.length()} consecutive outputs of a
 * plane at once and keeps the maximum with compare + blend (no branches to mispredict); the
 * 2×2 stride-2 window, the CNN's, loads rows as vectors and splits even and odd lanes
 * instead of gathering (3–5× the scalar loop it replaced, on the CNN's two pools). The backward
 * is a scalar scatter.
 *
 * <p>Planes are independent and each is done by one thread, in chunks fixed by the shape, so
 * the backward's sums where windows overlap (s &lt; k) run in output order whatever the thread
 * count.
 */
public final class MaxPoolKernel {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Even and odd lanes of two concatenated vectors (lanes 0, 2, … and 1, 3, … of 2·L). */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(F, i -> 2 * i), ODD = VectorShuffle.fromOp(F, i -> 2 * i + 1);
    /** 0, 2, 4, …: where each output's window starts, relative to the first one's. */
    private static final IntVector TWICE_IOTA = IntVector.fromArray(I, java.util.stream.IntStream.range(0, I.length()).map(i -> 2 * i).toArray(), 0);
    /** About this many input elements per parallel chunk. */
    private static final int GRAIN = 1 << 14;

    private MaxPoolKernel() {}

    private static int planeGrain(int h, int w) {
        return Math.max(1, GRAIN / Math.max(1, h * w));
    }

    /** Fills {@code out} [P, oh, ow] and {@code argmax} (same length) from x. */
    public static void forward(float[] x, int off, int planes, int h, int w, int k, int s, float[] out, int[] argmax) {
        int[] start = windowStarts(h, w, k, s);
        Parallel.forChunks(planes, planeGrain(h, w), (first, end) -> forwardPlanes(x, off, first, end, h, w, k, s, start, out, argmax));
    }

    /**
     * Where each output's window starts within its plane, for the general path: vectors run
     * over a plane's outputs in order, across output rows, gathering by this table. Null for
     * the 2×2 stride-2 window, which {@link #forward2x2} reads by rows instead.
     */
    static int[] windowStarts(int h, int w, int k, int s) {
        if (k == 2 && s == 2) return null;
        int oh = (h - k) / s + 1, ow = (w - k) / s + 1;
        int[] start = new int[oh * ow];
        for (int q = 0; q < start.length; q++) start[q] = (q / ow) * s * w + (q % ow) * s;
        return start;
    }

    /**
     * Planes [first, end) on the calling thread: plane p is read from {@code x[off + p·H·W]}
     * and written to out and argmax at p·oh·ow (its argmax indices are p·H·W-based whatever
     * off is). {@code start} is {@link #windowStarts} (null for the 2×2 stride-2 window).
     */
    private static void forwardPlanes(float[] x, int off, int first, int end, int h, int w, int k, int s, int[] start,
            float[] out, int[] argmax) {
        if (start == null) {
            forward2x2(x, off, first, end, h, w, false, out, argmax);
            return;
        }
        int per = start.length;
        for (int p = first; p < end; p++) {
            int plane = p * h * w, o = p * per;
            int q = 0;
            if (Simd.ENABLED) {
                int bound = F.loopBound(per);
                for (; q < bound; q += F.length()) vectorBlock(x, off, plane, start, q, w, k, out, argmax, o + q);
            }
            for (; q < per; q++) scalarOne(x, off, plane + start[q], w, k, out, argmax, o + q);
        }
    }

    /**
     * maxPool2d of relu(x) with non-overlapping k×k windows (stride k), without writing
     * relu(x) out: the 2×2 window rectifies each value as it loads it (v where v &gt; 0, else
     * +0, NaN included: relu's rule); other windows rectify each chunk of planes into a
     * per-thread buffer with relu's own kernel and pool it from there while it is in cache (the
     * 2×2 window did too: the cnn's first pool, 128 images on one thread, took 0.78–0.88 ms that
     * way and 0.57–0.61 ms rectifying as it loads). The same values, argmax and tie rule as
     * {@link #forward} run on relu(x).
     */
    public static void forwardAfterRelu(float[] x, int off, int planes, int h, int w, int k, float[] out, int[] argmax) {
        int[] start = windowStarts(h, w, k, k);
        Parallel.forChunks(planes, planeGrain(h, w), (first, end) -> forwardAfterRelu(x, off, first, end, h, w, k, start, out, argmax));
    }

    /**
     * {@link #forwardAfterRelu} for planes [first, end) on the calling thread: plane p is read
     * from {@code x[off + p·H·W]} and written to out and argmax at p·oh·ow, its argmax indices
     * p·H·W-based (so {@code off} may be negative, for a buffer holding only these planes);
     * {@code start} is {@link #windowStarts}{@code (h, w, k, k)}.
     */
    static void forwardAfterRelu(float[] x, int off, int first, int end, int h, int w, int k, int[] start, float[] out,
            int[] argmax) {
        if (start == null) {
            forward2x2(x, off, first, end, h, w, true, out, argmax);
            return;
        }
        int plane = h * w;
        float[] r = RECTIFIED.atLeast((end - first) * plane);
        ElementwiseKernels.unaryRow(UnaryOp.RELU, 0f, 0f, (end - first) * plane, r, 0, 1, x, off + first * plane, 1);
        // Plane p sits at r[(p − first)·H·W]: the offset −first·H·W keeps indices p-based.
        forwardPlanes(r, -first * plane, first, end, h, w, k, k, start, out, argmax);
    }

    /** Each thread's rectified planes for {@link #forwardAfterRelu}. */
    private static final ThreadFloats RECTIFIED = new ThreadFloats();

    /**
     * The common 2×2 window at stride 2, planes [first, end) on the calling thread, of x or,
     * {@code relu}, of relu(x) (each loaded value rectified first, as relu's kernels do). Output z
     * of a row pair takes x[2z], x[2z + 1] of the top row and the same two of the bottom row,
     * so {@code F.length()} outputs come from two vectors of each row, split into their even
     * and odd lanes ({@link #EVEN}, {@link #ODD}): the first maximum of each row pair, then of
     * the two rows (the scalar path's {@link #after}, lane by lane), chosen by blends, so the
     * values are x's own bits and no branch depends on the data. Everything is written out in
     * the loop, with no helper taking or returning a vector: C2 may compile such a helper on
     * its own and then refuse to inline it, and every vector crossing the call is then boxed
     * (see {@code Gemm.mergeTile}).
     *
     * <p>A row's last vector may run past its ow outputs: its extra lanes read the next row
     * (or, at the end of x, are masked off) and are stored only where the next output row
     * overwrites them later on the same thread; the chunk's very last row finishes its tail
     * with the scalar {@link #twoByTwo}.
     */
    private static void forward2x2(float[] x, int off, int first, int end, int h, int w, boolean relu, float[] out,
            int[] argmax) {
        if (Simd.ENABLED && 2 * (w / 2) <= F.length()) {
            forward2x2RowPairs(x, off, first, end, h, w, relu, out, argmax);
            return;
        }
        int oh = h / 2, ow = w / 2, L = F.length();
        FloatVector zero = FloatVector.zero(F);
        int chunkEnd = end * oh * ow;
        IntVector right = IntVector.broadcast(I, 1), below = IntVector.broadcast(I, w), belowRight = IntVector.broadcast(I, w + 1);
        for (int p = first; p < end; p++) {
            for (int y = 0; y < oh; y++) {
                int top = p * h * w + 2 * y * w, o = (p * oh + y) * ow;
                int z = 0;
                if (Simd.ENABLED) {
                    for (; z < ow && o + z + L <= chunkEnd; z += L) {
                        int at = off + top + 2 * z;
                        FloatVector t0, t1, b0, b1;
                        if (at + w + 2 * L <= x.length) {
                            t0 = FloatVector.fromArray(F, x, at);
                            t1 = FloatVector.fromArray(F, x, at + L);
                            b0 = FloatVector.fromArray(F, x, at + w);
                            b1 = FloatVector.fromArray(F, x, at + w + L);
                        } else {
                            // At the end of x: lanes past it read as 0 (their outputs are not kept).
                            t0 = FloatVector.fromArray(F, x, at, F.indexInRange(at, x.length));
                            t1 = FloatVector.fromArray(F, x, at + L, F.indexInRange(at + L, x.length));
                            b0 = FloatVector.fromArray(F, x, at + w, F.indexInRange(at + w, x.length));
                            b1 = FloatVector.fromArray(F, x, at + w + L, F.indexInRange(at + w + L, x.length));
                        }
                        if (relu) {
                            t0 = zero.blend(t0, t0.compare(VectorOperators.GT, 0f));
                            t1 = zero.blend(t1, t1.compare(VectorOperators.GT, 0f));
                            b0 = zero.blend(b0, b0.compare(VectorOperators.GT, 0f));
                            b1 = zero.blend(b1, b1.compare(VectorOperators.GT, 0f));
                        }
                        FloatVector te = t0.rearrange(EVEN, t1), to = t0.rearrange(ODD, t1);
                        FloatVector be = b0.rearrange(EVEN, b1), bo = b0.rearrange(ODD, b1);
                        // after(v, m) lane by lane: m is not NaN and not v ≤ m (v > m, or v NaN).
                        VectorMask<Float> up = te.compare(VectorOperators.EQ, te).andNot(to.compare(VectorOperators.LE, te));
                        VectorMask<Float> down = be.compare(VectorOperators.EQ, be).andNot(bo.compare(VectorOperators.LE, be));
                        FloatVector mt = te.blend(to, up), mb = be.blend(bo, down);
                        VectorMask<Float> low = mt.compare(VectorOperators.EQ, mt).andNot(mb.compare(VectorOperators.LE, mt));
                        IntVector upper = IntVector.zero(I).blend(right, up.cast(I)), lower = below.blend(belowRight, down.cast(I));
                        mt.blend(mb, low).intoArray(out, o + z);
                        upper.blend(lower, low.cast(I)).add(TWICE_IOTA).add(top + 2 * z).intoArray(argmax, o + z);
                    }
                }
                for (; z < ow; z++) twoByTwo(x, off, top + 2 * z, w, relu, out, argmax, o + z);
            }
        }
    }

    /**
     * {@link #forward2x2} for planes whose output rows are at most half a vector (ow ≤ L/2: the
     * cnn's second pool, 7 outputs a row): each vector takes two output rows, lanes 0 … ow − 1
     * from input rows 2y, 2y + 1 and lanes ow … 2·ow − 1 from rows 2y + 2, 2y + 3, split into
     * even and odd columns by shuffles that pick from the two rows' vectors, so the cnn's
     * second pool fills 14 lanes of 16 instead of 7. The same compares and blends, so the same
     * values, argmax and tie rule. The lanes past 2·ow, and the second row's lanes after a
     * plane's last row, are stored where later outputs of the chunk overwrite them.
     *
     * <p>Its loop repeats forward2x2's body with other loads, shuffles and window starts. One
     * loop for both, with the shuffles and starts chosen per call, made both pools slower
     * (128 images, one thread: 0.54–0.59 → 0.67–0.70 ms and 0.20–0.27 → 0.40–0.45 ms): C2 no
     * longer saw forward2x2's shuffles as constants.
     */
    private static void forward2x2RowPairs(float[] x, int off, int first, int end, int h, int w, boolean relu, float[] out,
            int[] argmax) {
        int oh = h / 2, ow = w / 2, L = F.length();
        int[] even = new int[L], odd = new int[L], start = new int[L];
        for (int l = 0; l < 2 * ow; l++) {
            boolean second = l >= ow;
            even[l] = second ? L + 2 * (l - ow) : 2 * l;
            odd[l] = even[l] + 1;
            start[l] = second ? 2 * w + 2 * (l - ow) : 2 * l;
        }
        VectorShuffle<Float> evens = VectorShuffle.fromArray(F, even, 0), odds = VectorShuffle.fromArray(F, odd, 0);
        IntVector starts = IntVector.fromArray(I, start, 0);
        FloatVector zero = FloatVector.zero(F);
        int chunkEnd = end * oh * ow;
        IntVector right = IntVector.broadcast(I, 1), below = IntVector.broadcast(I, w), belowRight = IntVector.broadcast(I, w + 1);
        for (int p = first; p < end; p++) {
            for (int y = 0; y < oh; y += 2) {
                int top = p * h * w + 2 * y * w, o = (p * oh + y) * ow;
                if (o + L > chunkEnd) {
                    for (int r = y; r < Math.min(oh, y + 2); r++) {
                        for (int z = 0; z < ow; z++) twoByTwo(x, off, top + 2 * (r - y) * w + 2 * z, w, relu, out, argmax, o + (r - y) * ow + z);
                    }
                    continue;
                }
                int at = off + top;
                FloatVector t0, t1, b0, b1;
                if (at + 3 * w + L <= x.length) {
                    t0 = FloatVector.fromArray(F, x, at);
                    t1 = FloatVector.fromArray(F, x, at + 2 * w);
                    b0 = FloatVector.fromArray(F, x, at + w);
                    b1 = FloatVector.fromArray(F, x, at + 3 * w);
                } else {
                    // At the end of x: lanes past it read as 0 (their outputs are not kept).
                    t0 = FloatVector.fromArray(F, x, at, F.indexInRange(at, x.length));
                    t1 = FloatVector.fromArray(F, x, at + 2 * w, F.indexInRange(at + 2 * w, x.length));
                    b0 = FloatVector.fromArray(F, x, at + w, F.indexInRange(at + w, x.length));
                    b1 = FloatVector.fromArray(F, x, at + 3 * w, F.indexInRange(at + 3 * w, x.length));
                }
                if (relu) {
                    t0 = zero.blend(t0, t0.compare(VectorOperators.GT, 0f));
                    t1 = zero.blend(t1, t1.compare(VectorOperators.GT, 0f));
                    b0 = zero.blend(b0, b0.compare(VectorOperators.GT, 0f));
                    b1 = zero.blend(b1, b1.compare(VectorOperators.GT, 0f));
                }
                FloatVector te = t0.rearrange(evens, t1), to = t0.rearrange(odds, t1);
                FloatVector be = b0.rearrange(evens, b1), bo = b0.rearrange(odds, b1);
                // As in forward2x2: after(v, m) lane by lane, the row pairs first, then the rows.
                VectorMask<Float> up = te.compare(VectorOperators.EQ, te).andNot(to.compare(VectorOperators.LE, te));
                VectorMask<Float> down = be.compare(VectorOperators.EQ, be).andNot(bo.compare(VectorOperators.LE, be));
                FloatVector mt = te.blend(to, up), mb = be.blend(bo, down);
                VectorMask<Float> low = mt.compare(VectorOperators.EQ, mt).andNot(mb.compare(VectorOperators.LE, mt));
                IntVector upper = IntVector.zero(I).blend(right, up.cast(I)), lower = below.blend(belowRight, down.cast(I));
                mt.blend(mb, low).intoArray(out, o);
                upper.blend(lower, low.cast(I)).add(starts).add(top).intoArray(argmax, o);
            }
        }
    }

    /**
     * One 2×2 output, scalar: the window starts at x[off + top], its values rectified first
     * when {@code relu}. The choice is made on indices (integer conditional moves) and the
     * winner re-read, because a float select compiles to a branch, and on random data those
     * branches mispredict (3× slower, measured). {@link #after} applies the general path's
     * rule: the first of each row pair, then of the two rows.
     */
    private static void twoByTwo(float[] x, int off, int top, int w, boolean relu, float[] out, int[] argmax, int o) {
        int at = off + top;
        int up = after(value(x, at + 1, relu), value(x, at, relu)) ? 1 : 0;
        int down = after(value(x, at + w + 1, relu), value(x, at + w, relu)) ? w + 1 : w;
        int best = after(value(x, at + down, relu), value(x, at + up, relu)) ? down : up;
        out[o] = value(x, at + best, relu);
        argmax[o] = top + best;
    }

    /** x[i], rectified when {@code relu}, by masking its bits (no float select, so no branch). */
    private static float value(float[] x, int i, boolean relu) {
        float v = x[i];
        return relu ? Float.intBitsToFloat(Float.floatToRawIntBits(v) & -(v > 0 ? 1 : 0)) : v;
    }

    /**
     * True when v, coming later in the window, replaces the current maximum m: strictly
     * greater, or a NaN replacing a number (so the first maximum, or first NaN, stays).
     */
    private static boolean after(float v, float m) {
        return v > m | (v != v & m == m); // no short circuit: no branches
    }

    /**
     * Outputs q .. q + F.length() of a plane: gathered window elements compared and blended,
     * the first maximum kept, without data-dependent branches (on random data a branch per
     * element mispredicts about half the time).
     */
    private static void vectorBlock(float[] x, int off, int plane, int[] start, int q, int w, int k,
                                    float[] out, int[] argmax, int o) {
        IntVector at = IntVector.fromArray(I, start, q);
        FloatVector m = FloatVector.fromArray(F, x, off + plane, start, q);
        IntVector best = at.add(plane);
        for (int i = 0; i < k; i++) {
            for (int j = i == 0 ? 1 : 0; j < k; j++) {
                int r = plane + i * w + j;
                FloatVector v = FloatVector.fromArray(F, x, off + r, start, q);
                // Strictly greater keeps the first maximum; NaN beats any number.
                VectorMask<Float> take = v.compare(VectorOperators.GT, m)
                        .or(v.test(VectorOperators.IS_NAN).andNot(m.test(VectorOperators.IS_NAN)));
                m = m.blend(v, take);
                best = best.blend(at.add(r), take.cast(I));
            }
        }
        m.intoArray(out, o);
        best.intoArray(argmax, o);
    }

    /** The output whose window starts at x[off + top], scalar. */
    private static void scalarOne(float[] x, int off, int top, int w, int k, float[] out, int[] argmax, int o) {
        int best = top;
        float m = x[off + top];
        for (int i = 0; i < k; i++) {
            for (int j = i == 0 ? 1 : 0; j < k; j++) {
                int r = top + i * w + j;
                float v = x[off + r];
                if (v > m || (v != v && m == m)) { // strictly greater: the first maximum stays
                    m = v;
                    best = r;
                }
            }
        }
        out[o] = m;
        argmax[o] = best;
    }

    /**
     * The backward of {@link #forwardAfterRelu}: dx [P, H, W] (zeroed by the caller) gets, at
     * each output's argmax i, (0 + g)·[x[i] &gt; 0], which is exactly what this class's
     * backward ({@code 0 + g}, as windows do not overlap) followed by relu's ({@link
     * ReluKernel}: the product with 1 or 0) writes there; every other entry stays +0, as there.
     *
     * <p>x itself is not read: out (the forward's output) is relu(x) at the argmax, so
     * out &gt; 0 exactly where x[i] &gt; 0, and out is read in order and is 1/k² of x's bytes.
     * For the cnn's first pool (128 images, one thread, three runs alternated) the backward went
     * from 1.48–1.54 to 1.07–1.29 ms, the fresh 6.4 MB dx (0.33–0.53 ms for the JVM to zero)
     * included. Writing every entry of the 2×2 windows with vectors instead (the argmax's
     * value, +0 beside it, interleaved) was slower, 1.46–1.85 ms: every line of dx is touched
     * either way.
     */
    public static void backwardAfterRelu(float[] g, int gOff, int[] argmax, float[] out, int planes, int h, int w, int k,
            float[] dx) {
        int per = (h / k) * (w / k);
        Parallel.forChunks(planes, planeGrain(h, w), (start, end) -> {
            for (int o = start * per; o < end * per; o++) dx[argmax[o]] = afterReluGradient(g[gOff + o], out[o]);
        });
    }

    /**
     * What {@link #backwardAfterRelu} writes at an output's argmax for its incoming gradient g
     * and its value out: (0 + g)·[out &gt; 0], the pool's sum into a zero then relu's product.
     */
    static float afterReluGradient(float g, float out) {
        // [out > 0] as 1f or 0f from an int select (a float select compiles to a branch, which
        // mispredicts on about half of relu's outputs): 0x3f800000 is 1f.
        return (0f + g) * Float.intBitsToFloat(0x3f800000 & -(out > 0 ? 1 : 0));
    }

    /**
     * dx [P, H, W] (zeroed by the caller) += g at each output's argmax, in output order; g is
     * [P, oh, ow] contiguous from {@code gOff}.
     */
    public static void backward(float[] g, int gOff, int[] argmax, int planes, int h, int w, int k, int s, float[] dx) {
        int per = ((h - k) / s + 1) * ((w - k) / s + 1);
        Parallel.forChunks(planes, planeGrain(h, w), (start, end) -> {
            for (int o = start * per; o < end * per; o++) dx[argmax[o]] += g[gOff + o];
        });
    }
}
