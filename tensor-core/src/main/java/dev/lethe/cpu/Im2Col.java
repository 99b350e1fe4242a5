package dev.lethe.cpu;

import dev.lethe.tensor.Shapes;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 im2col ({@link #unfold}) and col2im ({@link #fold}) between an image [N, C, H, W]
 * and columns [N, C·kh·kw, oh·ow], both contiguous. Row (c, i, j) of image n holds, at column
 * (y, x), pixel (y·sh − ph + i, x·sw − pw + j) of plane (n, c), or 0 in the padding.
 *
 * <p>The columns of plane (n, c) are the contiguous block of rows [(n·C + c)·kh·kw, +kh·kw),
 * so both directions run plane by plane: planes are split into chunks fixed by the shape, and
 * one thread does a whole plane. For each row and output line y the pixels that fall inside
 * the image form one run of x; at stride 1 that run is contiguous in both arrays (a copy for
 * unfold, a vector add for fold). fold adds into each pixel in (i, j) order, as the reference
 * does, whatever the thread count.
 */
final class Im2Col {
    private static final VectorSpecies<Float> F = Simd.F;
    /** About this many column entries per parallel chunk. */
    private static final int GRAIN = 1 << 15;

    private Im2Col() {}

    /** cols (zeroed, length N·C·kh·kw·oh·ow) ← the windows of image x (from {@code off}). */
    static void unfold(float[] x, int off, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, float[] cols) {
        int oh = Shapes.windows(h, kh, sh, ph), ow = Shapes.windows(w, kw, sw, pw);
        int perPlane = kh * kw * oh * ow;
        Parallel.forChunks(planes, Math.max(1, GRAIN / perPlane), (start, end) -> {
            for (int p = start; p < end; p++) unfoldPlane(x, off + p * h * w, h, w, kh, kw, sh, sw, ph, pw, cols, p * perPlane, oh * ow);
        });
    }

    /** image (zeroed, length N·C·H·W) += every column entry at the pixel it came from. */
    static void fold(float[] cols, int off, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, float[] image) {
        int oh = Shapes.windows(h, kh, sh, ph), ow = Shapes.windows(w, kw, sw, pw);
        int perPlane = kh * kw * oh * ow;
        Parallel.forChunks(planes, Math.max(1, GRAIN / perPlane), (start, end) -> {
            for (int p = start; p < end; p++) planeRuns(image, p * h * w, h, w, kh, kw, sh, sw, ph, pw, cols, off + p * perPlane, oh * ow, true, false);
        });
    }

    /**
     * The kh·kw rows of one plane (from x[plane]): row (i, j) goes to cols[dst + (i·kw + j)·ld ..
     * + oh·ow). Only pixels inside the image are written, so the padding entries keep whatever
     * the caller put there (zero); they are the same entries for every plane of one geometry.
     */
    static void unfoldPlane(float[] x, int plane, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                            float[] cols, int dst, int ld) {
        planeRuns(x, plane, h, w, kh, kw, sh, sw, ph, pw, cols, dst, ld, false, false);
    }

    /**
     * The inverse scatter of {@link #unfoldPlane}: image[plane + pixel] += each entry of rows
     * cols[src + (i·kw + j)·ld ..], in (i, j) order. The columns are scratch: their padding
     * entries (which belong to no pixel) may be set to 0. The image's entries must not be
     * −0.0 (true of an image zeroed by the caller and added to only by this fold: a float sum
     * that starts at +0.0 never becomes −0.0), as a same-size block adds +0.0 to the pixels
     * at the edges of its rows, which leaves every other float's bits as they are.
     */
    static void foldPlane(float[] cols, int src, int ld, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                          float[] image, int plane) {
        planeRuns(image, plane, h, w, kh, kw, sh, sw, ph, pw, cols, src, ld, true, true);
    }

    /**
     * The walk unfold and fold share: for each row (i, j) of a plane (at cols[colsOff + (i·kw +
     * j)·ld]) and output line y, the x whose pixel (y·sh − ph + i, x·sw − pw + j) lies inside the
     * image form one run; {@code fold} adds the run of cols into the image, otherwise the run of
     * the image is copied into cols.
     *
     * <p>Same-size windows at stride 1 (ow = w, as a 3×3 convolution with padding 1 has) put
     * line y of row (i, j) at cols[row + y·w ..] and its pixels at image[plane + (y − ph + i)·w
     * + j − pw ..]: one offset for every line, so the lines inside the image are one block in
     * both arrays, and one copy (or one vector add) moves it instead of a call per line of a
     * dozen floats. The block also spans the w − len padding entries between two lines: unfold
     * zeroes them again after the copy; fold, when the columns are scratch ({@code
     * clearPadding}), zeroes them before the add, so the pixels there get +0.0.
     */
    private static void planeRuns(float[] image, int plane, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                                  float[] cols, int colsOff, int ld, boolean fold, boolean clearPadding) {
        int oh = Shapes.windows(h, kh, sh, ph), ow = Shapes.windows(w, kw, sw, pw);
        boolean blocks = sh == 1 && sw == 1 && ow == w && (!fold || clearPadding);
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                int row = colsOff + (i * kw + j) * ld;
                int zLo = firstInside(j, pw, sw), zHi = endInside(j, pw, sw, w, ow), len = zHi - zLo;
                if (len <= 0) continue;
                if (blocks) {
                    int yLo = Math.max(0, ph - i), yHi = Math.min(oh, h + ph - i);
                    if (yLo >= yHi) continue;
                    int cx = row + yLo * w + zLo, px = plane + (yLo - ph + i) * w + zLo - pw + j, n = (yHi - 1 - yLo) * w + len;
                    if (fold) {
                        clearBetweenLines(cols, row, yLo, yHi, w, zLo, zHi);
                        addInto(image, px, cols, cx, n);
                    } else {
                        System.arraycopy(image, px, cols, cx, n);
                        clearBetweenLines(cols, row, yLo, yHi, w, zLo, zHi);
                    }
                    continue;
                }
                for (int y = 0; y < oh; y++) {
                    int iy = y * sh - ph + i;
                    if (iy < 0 || iy >= h) continue; // padding rows: untouched
                    int px = plane + iy * w + zLo * sw - pw + j, cx = row + y * ow + zLo;
                    if (fold) {
                        if (sw == 1) addInto(image, px, cols, cx, len);
                        else for (int z = 0; z < len; z++) image[px + z * sw] += cols[cx + z];
                    } else {
                        if (sw == 1) System.arraycopy(image, px, cols, cx, len);
                        else for (int z = 0; z < len; z++) cols[cx + z] = image[px + z * sw];
                    }
                }
            }
        }
    }

    /**
     * cols[row + y·w + zHi .. row + (y + 1)·w + zLo) ← 0 for lines yLo ≤ y &lt; yHi − 1: the
     * padding inside a block, w − (zHi − zLo) entries between two lines (one, for a 3×3
     * kernel), set column by column down the lines.
     */
    private static void clearBetweenLines(float[] cols, int row, int yLo, int yHi, int w, int zLo, int zHi) {
        for (int g = zHi; g < w + zLo; g++) {
            for (int c = row + yLo * w + g, end = row + (yHi - 1) * w + g; c < end; c += w) cols[c] = 0f;
        }
    }

    /** The first output column x whose pixel x·sw − pw + j is ≥ 0. */
    private static int firstInside(int j, int pw, int sw) {
        return Math.max(0, Math.ceilDiv(pw - j, sw));
    }

    /** One past the last output column x whose pixel x·sw − pw + j is &lt; w. */
    private static int endInside(int j, int pw, int sw, int w, int ow) {
        return Math.min(ow, Math.floorDiv(w - 1 + pw - j, sw) + 1);
    }

    /** d[dOff .. +n) += s[sOff .. +n), elementwise (the same bits as the scalar loop). */
    private static void addInto(float[] d, int dOff, float[] s, int sOff, int n) {
        int k = 0;
        int bound = Simd.loopBound(n);
        for (; k < bound; k += F.length()) {
            FloatVector.fromArray(F, d, dOff + k).add(FloatVector.fromArray(F, s, sOff + k)).intoArray(d, dOff + k);
        }
        for (; k < n; k++) d[dOff + k] += s[sOff + k];
    }
}
