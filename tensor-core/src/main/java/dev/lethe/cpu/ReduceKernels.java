package dev.lethe.cpu;

import dev.lethe.backend.ReduceOp;
import dev.lethe.tensor.Shapes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 reductions of a contiguous block viewed as [outer, r, inner]: out[o, i] = ⊕ over
 * r of x[o, r, i]. The summation order depends only on the shape and the vector width, never
 * on the thread count: with inner = 1 each output is one segment reduced by one thread (long
 * segments in fixed blocks whose partials are combined in order); with inner &gt; 1 each
 * output accumulates r in order, vectorised across i.
 */
final class ReduceKernels {
    private static final VectorSpecies<Float> F = Simd.F;
    /** Segments longer than this, with few outputs, are split into blocks reduced in parallel. */
    private static final int BLOCK = 1 << 15;

    private ReduceKernels() {}

    static void reduce(ReduceOp op, float[] x, int off, int outer, int r, int inner, float[] out) {
        if (inner == 1) {
            if (splitsSegments(outer, r)) {
                for (int o = 0; o < outer; o++) out[o] = blocked(op, x, off + o * r, r);
                return;
            }
            Parallel.forChunks(outer, segmentGrain(r), (s, e) -> {
                for (int o = s; o < e; o++) out[o] = segment(op, x, off + o * r, r);
            });
            return;
        }
        int iBlocks = (inner + StridedLoop.GRAIN - 1) / StridedLoop.GRAIN;
        Parallel.forChunks(outer * iBlocks, 1, (s, e) -> {
            for (int t = s; t < e; t++) {
                int o = t / iBlocks, i0 = (t % iBlocks) * StridedLoop.GRAIN;
                int n = Math.min(StridedLoop.GRAIN, inner - i0);
                columns(op, x, off + o * r * inner + i0, r, inner, n, out, o * inner + i0);
            }
        });
    }

    /** Whether segments of r with {@code outer} outputs are split into blocks reduced in parallel ({@link #blocked}). */
    static boolean splitsSegments(int outer, int r) {
        return outer < 4 && r > 4 * BLOCK;
    }

    /** Outputs per parallel chunk when each is one segment of r. */
    private static int segmentGrain(int r) {
        return Math.max(1, StridedLoop.GRAIN / Math.max(r, 1));
    }

    /**
     * Whether {@link #reduceGathered} takes {@code outer} segments of r: when each is reduced
     * by one thread ({@link #splitsSegments} false) and fits a buffer of at most {@value
     * #GATHER_MAX} floats.
     */
    static boolean gathers(int outer, int r) {
        return !splitsSegments(outer, r) && r <= GATHER_MAX;
    }

    /**
     * The largest segment {@link #reduceGathered} copies into a per-thread buffer (1 MB, kept
     * for the thread's life; a batch-128 bias gradient of 28×28 planes needs 100,352 floats).
     */
    static final int GATHER_MAX = 1 << 18;

    private static final ThreadFloats GATHERED = new ThreadFloats();

    /**
     * out[o] = ⊕ of the sub-tensor of x at kept index o, for x strided as [kept…, reduced…]
     * from {@code off}: each output's r values are copied in order (row-major over the reduced
     * dims) into a per-thread buffer and reduced by {@link #segment}, so the result has the
     * bits of {@link #reduce} on the same values copied into one contiguous tensor — without
     * writing that tensor (for a bias gradient, a copy of the whole incoming gradient).
     */
    static void reduceGathered(ReduceOp op, float[] x, int off, int[] keptShape, int[] keptStrides,
                               int[] redShape, int[] redStrides, float[] out) {
        int outer = Shapes.numel(keptShape), r = Shapes.numel(redShape);
        int[] dense = Shapes.contiguousStrides(redShape);
        Parallel.forChunks(outer, segmentGrain(r), (s, e) -> {
            float[] seg = GATHERED.atLeast(r);
            for (int o = s; o < e; o++) {
                int at = off;
                for (int d = keptShape.length - 1, rem = o; d >= 0; d--) {
                    at += (rem % keptShape[d]) * keptStrides[d];
                    rem /= keptShape[d];
                }
                StridedLoop.run(redShape, dense, 0, redStrides, at, redStrides, at, (n, oo, os, a, as, b, bs) -> {
                    if (os == 1 && as == 1) System.arraycopy(x, a, seg, oo, n);
                    else for (int k = 0; k < n; k++) seg[oo + k * os] = x[a + k * as];
                });
                out[o] = segment(op, seg, 0, r);
            }
        });
    }

    /** ⊕ x[off .. off+n) in blocks reduced in parallel, their partials combined in order (where {@link #splitsSegments}). */
    static float blocked(ReduceOp op, float[] x, int off, int n) {
        int blocks = Parallel.chunkCount(n, BLOCK);
        float[] partial = new float[blocks];
        Parallel.forChunks(n, BLOCK, (s, e) -> partial[s / BLOCK] = segment(op, x, off + s, e - s));
        float acc = (float) op.identity();
        for (float p : partial) acc = combine(op, acc, p);
        return acc;
    }

    private static float combine(ReduceOp op, float acc, float v) {
        return switch (op) {
            case SUM -> acc + v;
            case MAX -> Math.max(acc, v);
            case MIN -> Math.min(acc, v);
        };
    }

    /** ⊕ x[off .. off+n) with four vector accumulators, then the lanes, then the tail. */
    static float segment(ReduceOp op, float[] x, int off, int n) {
        float id = (float) op.identity();
        int k = 0;
        float acc = id;
        if (Simd.ENABLED && n >= 4 * F.length()) {
            int step = 4 * F.length();
            FloatVector a0 = FloatVector.broadcast(F, id), a1 = a0, a2 = a0, a3 = a0;
            int bound = n - n % step;
            for (; k < bound; k += step) {
                FloatVector v0 = FloatVector.fromArray(F, x, off + k);
                FloatVector v1 = FloatVector.fromArray(F, x, off + k + F.length());
                FloatVector v2 = FloatVector.fromArray(F, x, off + k + 2 * F.length());
                FloatVector v3 = FloatVector.fromArray(F, x, off + k + 3 * F.length());
                switch (op) {
                    case SUM -> { a0 = a0.add(v0); a1 = a1.add(v1); a2 = a2.add(v2); a3 = a3.add(v3); }
                    case MAX -> { a0 = a0.max(v0); a1 = a1.max(v1); a2 = a2.max(v2); a3 = a3.max(v3); }
                    case MIN -> { a0 = a0.min(v0); a1 = a1.min(v1); a2 = a2.min(v2); a3 = a3.min(v3); }
                }
            }
            FloatVector all = switch (op) {
                case SUM -> a0.add(a1).add(a2.add(a3));
                case MAX -> a0.max(a1).max(a2.max(a3));
                case MIN -> a0.min(a1).min(a2.min(a3));
            };
            acc = switch (op) {
                // Not reduceLanes(ADD): its order differs between the interpreter and C2, so the
                // bits would depend on JIT warm-up. Sum the lanes in index order instead.
                case SUM -> sumLanesInOrder(all);
                // reduceLanes(MAX) ignores NaN ordering subtleties; NaN propagation is checked below.
                case MAX -> all.reduceLanes(VectorOperators.MAX);
                case MIN -> all.reduceLanes(VectorOperators.MIN);
            };
        }
        for (; k < n; k++) acc = combine(op, acc, x[off + k]);
        return acc;
    }

    /** The lanes of v added in index order from 0 (the same bits interpreted and compiled). */
    static float sumLanesInOrder(FloatVector v) {
        float s = 0f;
        for (float lane : v.toArray()) s += lane;
        return s;
    }

    /** out[oo + i] = ⊕_q x[xo + q·stride + i] for i &lt; n, accumulating q in order. */
    private static void columns(ReduceOp op, float[] x, int xo, int r, int stride, int n, float[] out, int oo) {
        System.arraycopy(x, xo, out, oo, n);
        for (int q = 1; q < r; q++) {
            int row = xo + q * stride;
            int i = 0;
            int bound = Simd.loopBound(n);
            for (; i < bound; i += F.length()) {
                FloatVector acc = FloatVector.fromArray(F, out, oo + i);
                FloatVector v = FloatVector.fromArray(F, x, row + i);
                acc = switch (op) {
                    case SUM -> acc.add(v);
                    case MAX -> acc.max(v);
                    case MIN -> acc.min(v);
                };
                acc.intoArray(out, oo + i);
            }
            for (; i < n; i++) out[oo + i] = combine(op, out[oo + i], x[row + i]);
        }
    }
}
