package dev.lethe.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a stream of n floats that arrives in chunks, with the bits {@link
 * ReduceKernels#segment} gives for SUM over the whole stream at once: four vector accumulators
 * take elements [0, bound) of the stream four vectors at a time (bound = n − n mod 4L, when
 * vectors are on and n ≥ 4L), then (a0 + a1) + (a2 + a3), its lanes added in order from 0, then
 * elements [bound, n) one by one. A chunk may end before bound only at a multiple of 4L, so that
 * each step of four vectors lies inside one chunk.
 *
 * <p>Why: a bias gradient's sum over a batch ({@code ConvReluPoolKernel#backwardBias}) can then
 * build its values a few images at a time in a buffer that stays in L1, instead of all of them
 * (400 KB for the cnn's first layer) in L2.
 */
final class StreamedSum {
    private static final VectorSpecies<Float> F = Simd.F;
    /** Floats per step of the four accumulators: 4L. */
    static final int STEP = 4 * F.length();

    private final int n, bound;
    /** The four accumulators between chunks: a0 at [0, L), a1 at [L, 2L), … */
    private final float[] lanes = new float[STEP];
    private int seen;
    private float acc;

    /** A stream of n floats. */
    StreamedSum(int n) {
        this.n = n;
        bound = Simd.ENABLED && n >= STEP ? n - n % STEP : 0;
    }

    /**
     * Adds x[off .. off + len), the stream's next len values.
     *
     * @throws IllegalArgumentException if the chunk runs past n, or ends before bound at other
     *         than a multiple of 4L
     */
    void add(float[] x, int off, int len) {
        if (len < 0 || len > n - seen)
            throw new IllegalArgumentException("chunk of " + len + " floats after " + seen + " of a stream of " + n);
        int k = 0;
        if (seen < bound) {
            int vectors = Math.min(len, bound - seen), L = F.length();
            if (vectors % STEP != 0)
                throw new IllegalArgumentException("a chunk ends at " + (seen + vectors) + ", before " + bound
                        + " but not at a multiple of " + STEP);
            FloatVector a0 = FloatVector.fromArray(F, lanes, 0), a1 = FloatVector.fromArray(F, lanes, L);
            FloatVector a2 = FloatVector.fromArray(F, lanes, 2 * L), a3 = FloatVector.fromArray(F, lanes, 3 * L);
            for (; k < vectors; k += STEP) {
                a0 = a0.add(FloatVector.fromArray(F, x, off + k));
                a1 = a1.add(FloatVector.fromArray(F, x, off + k + L));
                a2 = a2.add(FloatVector.fromArray(F, x, off + k + 2 * L));
                a3 = a3.add(FloatVector.fromArray(F, x, off + k + 3 * L));
            }
            seen += vectors;
            if (seen == bound) {
                acc = ReduceKernels.sumLanesInOrder(a0.add(a1).add(a2.add(a3))); // as segment
            } else {
                a0.intoArray(lanes, 0);
                a1.intoArray(lanes, L);
                a2.intoArray(lanes, 2 * L);
                a3.intoArray(lanes, 3 * L);
            }
        }
        seen += len - k;
        for (; k < len; k++) acc += x[off + k];
    }

    /**
     * The sum of the n values.
     *
     * @throws IllegalStateException if fewer than n arrived
     */
    float sum() {
        if (seen != n) throw new IllegalStateException("the stream has " + seen + " of its " + n + " floats");
        return acc;
    }
}
