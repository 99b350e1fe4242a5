package dev.lethe.cpu;

import dev.lethe.backend.ReduceOp;
import dev.lethe.backend.UnaryOp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused softmax + cross-entropy over the rows of float32 logits [N, C] (contiguous, row i at
 * {@code off + i·C}), with label smoothing ε.
 *
 * <p>Forward, per row: m = max_c x_c, s = Σ_c e^(x_c − m), log p_c = (x_c − m) − ln s, and
 * lossᵢ = (1−ε)·(ln s − (x_t − m)) + ε·(ln s − mean_c (x_c − m)) — the same as
 * (1−ε)(lse − x_t) + ε(lse − mean_c x_c) with lse = m + ln s, but without rounding m + ln s
 * when m is large. The softmax p = e^(x − m)/s is kept for the backward.
 *
 * <p>Backward: ∂x_{i,c} = (p_{i,c} − (1−ε)·[c = tᵢ] − ε/C)·gᵢ, where gᵢ is the gradient of
 * lossᵢ (already divided by N for a mean); at c = tᵢ it is computed as
 * (p − 1)·gᵢ + ε(1 − 1/C)·gᵢ.
 *
 * <p>Rows are cut into fixed chunks ({@link Parallel#forChunks}) and each row is computed by
 * one thread in a fixed order, so the bits do not depend on the thread count.
 */
public final class SoftmaxCrossEntropyKernel {
    private static final VectorSpecies<Float> F = Simd.F;
    /** About this many logits per parallel chunk. */
    private static final int GRAIN = 1 << 12;

    private SoftmaxCrossEntropyKernel() {}

    /** Rows per chunk for rows of {@code c} logits: fixed by the shape alone. */
    private static int rowGrain(int c) {
        return Math.max(1, GRAIN / Math.max(c, 1));
    }

    /**
     * Per-row losses.
     *
     * @param probs where to write the softmax [N, C] (contiguous from 0), or null when no
     *              backward will need it
     * @return lossᵢ for each row, length N
     */
    public static float[] forward(float[] x, int off, int n, int c, int[] targets, double eps, float[] probs) {
        float[] loss = new float[n];
        float keep = (float) (1 - eps), smooth = (float) eps, invC = 1f / c;
        Parallel.forChunks(n, rowGrain(c), (start, end) -> {
            for (int i = start; i < end; i++) {
                int row = off + i * c;
                float m = ReduceKernels.segment(ReduceOp.MAX, x, row, c);
                // exp and the sums are scalar, in column order: deterministic in every JIT tier.
                float s = 0f, shiftedSum = 0f;
                if (probs != null) {
                    int p = i * c;
                    for (int j = 0; j < c; j++) {
                        float d = x[row + j] - m;
                        float e = VectorMath.exp(d);
                        probs[p + j] = e;
                        s += e;
                        shiftedSum += d;
                    }
                    // in-place p·(1/s): SCALE_SHIFT with shift 0 is the rounded product
                    ElementwiseKernels.unaryRow(UnaryOp.SCALE_SHIFT, 1f / s, 0f, c, probs, p, 1, probs, p, 1);
                } else {
                    for (int j = 0; j < c; j++) {
                        float d = x[row + j] - m;
                        s += VectorMath.exp(d);
                        shiftedSum += d;
                    }
                }
                float logS = VectorMath.log(s);
                float nll = logS - (x[row + targets[i]] - m);
                loss[i] = eps == 0 ? nll : keep * nll + smooth * (logS - shiftedSum * invC);
            }
        });
        return loss;
    }

    /**
     * ∂x from the saved softmax.
     *
     * @param g       the loss gradient: gᵢ = g[gOff + i·gStride] (gStride 0 for one shared value)
     * @param gScale  multiplies every gᵢ (1/N for a mean, else 1)
     * @param dx      the output [N, C], contiguous from 0
     */
    public static void backward(float[] probs, int n, int c, int[] targets, double eps,
                                float[] g, int gOff, int gStride, float gScale, float[] dx) {
        // At the target, (p − 1)·g + ε(1 − 1/C)·g: p − 1 is exact near p = 1, and for C = 1 the
        // gradient is exactly 0, as it should be (rounding (1−ε) and ε/C apart would not be).
        float perClass = (float) (eps / c), atTarget = (float) (eps * (1 - 1.0 / c));
        Parallel.forChunks(n, rowGrain(c), (start, end) -> {
            for (int i = start; i < end; i++) {
                float gi = g[gOff + i * gStride] * gScale;
                float bias = -perClass * gi;
                int p = i * c;
                int j = 0;
                if (Simd.ENABLED) {
                    FloatVector vg = FloatVector.broadcast(F, gi), vb = FloatVector.broadcast(F, bias);
                    int bound = F.loopBound(c);
                    for (; j < bound; j += F.length()) {
                        FloatVector.fromArray(F, probs, p + j).fma(vg, vb).intoArray(dx, p + j);
                    }
                }
                for (; j < c; j++) dx[p + j] = Math.fma(probs[p + j], gi, bias);
                int t = p + targets[i];
                dx[t] = Math.fma(probs[t] - 1f, gi, atTarget * gi);
            }
        });
    }

    /** Σᵢ lossᵢ in row order (the same bits for any thread count). */
    public static float sum(float[] loss) {
        float s = 0f;
        for (float v : loss) s += v;
        return s;
    }
}
