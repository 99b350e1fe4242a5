package dev.lethe.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * float32 im2row: one image's windows as <em>patches</em>, one row per output pixel, the
 * transpose of {@link Im2Col}'s columns with the row's entries in (i, j, c) order:
 * <pre>
 *   patches[p·K + (i·kw + j)·C + c] = x[c, y·sh − ph + i, z·sw − pw + j]   (p = y·ow + z, K = C·kh·kw)
 * </pre>
 * or 0 in the padding. The image is first made channels-last ({@code xT[(u·W + v)·C + c] =
 * x[c, u, v]}); then the kw window pixels of one kernel row i are adjacent in xT, so each
 * (output pixel, i) is one contiguous run of kw·C floats, copied by vectors ({@link #copyRun}).
 *
 * <p>Why: {@link ConvKernel#backwardWeight} needs ∂W = Σ_n ∂y_n·cols_nᵀ. With columns that is a
 * product with a transposed B, whose packing gathers each of its K·oh·ow entries one by one
 * (conv2 of the cnn: 23–26 µs per image on one thread, against 16–18 µs for the same product
 * reading a row-major B in place). Patches are that B row-major, so the product reads them in
 * place. Each ∂W entry is the same sum in the same order either way; only its column moves,
 * to (i·kw + j)·C + c, which the caller maps back.
 */
final class Im2Row {
    private Im2Row() {}

    /**
     * dst[d .. d + n) ← src[s .. s + n), by whole vectors and then one by one: a run is a few
     * vectors (48 floats for the cnn's conv2), where System.arraycopy's call costs more. Not
     * the identity elementwise row ({@code ElementwiseKernels.unaryRow}): in training that
     * method serves every unary op, and there its 588 calls per image of conv2 took 8.5 % of a
     * one-thread cnn step's samples, this loop 2.8 % (JFR profiles of {@code TrainingPhases cnn
     * 1 8}, execution samples after the first 7 s).
     */
    private static void copyRun(float[] src, int s, float[] dst, int d, int n) {
        int k = 0;
        for (int bound = Simd.loopBound(n); k < bound; k += Simd.F.length()) {
            FloatVector.fromArray(Simd.F, src, s + k).intoArray(dst, d + k);
        }
        for (; k < n; k++) dst[d + k] = src[s + k];
    }

    /**
     * patches [oh·ow, C·kh·kw] ← the windows of the image at x[off]. Only entries inside the
     * image are written: the padding entries keep what the caller put there (0); they are the
     * same entries for every image of one geometry. {@code xT} is scratch of C·H·W floats.
     */
    static void unfold(ConvKernel.Shape s, float[] x, int off, float[] xT, float[] patches) {
        int c = s.c(), h = s.h(), w = s.w(), plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            for (int q = 0, src = off + ch * plane; q < plane; q++) xT[q * c + ch] = x[src + q];
        }
        int kh = s.kh(), kw = s.kw(), sh = s.sh(), sw = s.sw(), ph = s.ph(), pw = s.pw();
        int oh = s.oh(), ow = s.ow(), k = c * kh * kw;
        for (int y = 0; y < oh; y++) {
            for (int i = 0; i < kh; i++) {
                int u = y * sh - ph + i;
                if (u < 0 || u >= h) continue; // a padding row: untouched
                for (int z = 0; z < ow; z++) {
                    int v = z * sw - pw, jLo = Math.max(0, -v), jHi = Math.min(kw, w - v);
                    if (jLo >= jHi) continue;
                    copyRun(xT, (u * w + v + jLo) * c, patches, (y * ow + z) * k + (i * kw + jLo) * c, (jHi - jLo) * c);
                }
            }
        }
    }
}
