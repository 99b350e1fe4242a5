package dev.lethe.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * relu's backward in one float32 pass: ∂L/∂x = ∂L/∂y ⊙ [x &gt; 0], computed as the product
 * g · s with s = 1 where x &gt; 0 and 0 elsewhere (NaN included), exactly as the composed
 * {@code g.mul(step(x))} computes it, so the bits are the same (g · 0 is −0 for a negative g
 * and NaN for an infinite or NaN g, as there). One output instead of the step tensor and the
 * product: for the CNN's first layer those are two 6.4 MB arrays per step that were each
 * written to memory fresh from the allocator, and one of them read again.
 */
public final class ReluKernel {
    private static final VectorSpecies<Float> F = Simd.F;
    /** Elements per parallel chunk. */
    private static final int GRAIN = 1 << 14;

    private ReluKernel() {}

    /** out[i] = g[gOff + i] · [x[xOff + i] &gt; 0] for i &lt; n. */
    public static void backward(float[] g, int gOff, float[] x, int xOff, int n, float[] out) {
        Parallel.forChunks(n, GRAIN, (s, e) -> {
            int i = s;
            if (Simd.ENABLED) {
                FloatVector zero = FloatVector.zero(F);
                for (int bound = s + F.loopBound(e - s); i < bound; i += F.length()) {
                    FloatVector step = zero.blend(1f, FloatVector.fromArray(F, x, xOff + i).compare(VectorOperators.GT, 0f));
                    FloatVector.fromArray(F, g, gOff + i).mul(step).intoArray(out, i);
                }
            }
            for (; i < e; i++) out[i] = g[gOff + i] * (x[xOff + i] > 0 ? 1f : 0f);
        });
    }
}
