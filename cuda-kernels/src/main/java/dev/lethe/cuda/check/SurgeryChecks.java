package dev.lethe.cuda.check;

import dev.lethe.cuda.CudaSelect;
import dev.lethe.cuda.CudaSurgery;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

import static dev.lethe.cuda.check.Compare.GPU;
import static dev.lethe.cuda.check.Compare.randn;

/** The unlearning kernels against plain Java computations of their formulas. */
final class SurgeryChecks {
    private static final int[] SIZES = {1, 3, 7, 17, 33, 1001, 100_003};

    private SurgeryChecks() {}

    static List<Check> all() {
        return List.of(
                new Check("radix select: k-th largest and exact top-k masks (saliency |∇|)", SurgeryChecks::topK),
                new Check("magnitude pruning and masks", SurgeryChecks::pruning),
                new Check("dot products and gradient projection", SurgeryChecks::projection),
                new Check("Fisher accumulation and SSD dampening", SurgeryChecks::fisherAndSsd));
    }

    /** Values with many ties (a fifth of them 0.5) around Gaussian noise. */
    private static Tensor tied(long seed, int n) {
        float[] v = randn(seed, n).toFloatArray();
        for (int i = 0; i < n; i += 5) v[i] = 0.5f;
        return Tensor.fromArray(v, n);
    }

    private static void topK() {
        for (int n : SIZES) {
            Tensor x = tied(n, n);
            float[] v = x.toFloatArray();
            for (boolean abs : new boolean[] {false, true}) {
                float[] keys = new float[n];
                for (int i = 0; i < n; i++) keys[i] = abs ? Math.abs(v[i]) : v[i];
                float[] sorted = keys.clone();
                Arrays.sort(sorted);
                for (int k : new int[] {1, (n + 1) / 2, n}) {
                    String d = "n=" + n + " k=" + k + (abs ? " |x|" : "");
                    Tensor g = x.to(GPU);
                    Expect.equal(sorted[n - k], CudaSelect.kthLargest(g, k, abs).value(), "k-th largest " + d);
                    float[] mask = CudaSelect.topKMask(g, k, abs).toFloatArray();
                    // exactly k ones: every key above the k-th, and the first ties by index
                    float kth = sorted[n - k];
                    int greater = 0;
                    for (float key : keys) if (key > kth) greater++;
                    int tiesLeft = k - greater, ones = 0;
                    for (int i = 0; i < n; i++) {
                        float want = keys[i] > kth ? 1 : keys[i] == kth && tiesLeft-- > 0 ? 1 : 0;
                        Expect.isTrue(mask[i] == want, "top-k mask " + d + ": element " + i + " (key " + keys[i] + ") is " + mask[i]);
                        ones += (int) mask[i];
                    }
                    Expect.equal(k, ones, "ones in the mask " + d);
                }
            }
        }
    }

    private static void pruning() {
        for (int n : SIZES) {
            Tensor w = randn(n + 3, n);
            Tensor g = w.to(GPU);
            float tau = CudaSelect.kthLargest(g, Math.max(1, n / 3), true).value();
            float[] keep = CudaSurgery.prune(g, tau).toFloatArray(), pruned = g.toFloatArray(), v = w.toFloatArray();
            float[] keepExpected = new float[n], prunedExpected = new float[n];
            for (int i = 0; i < n; i++) {
                boolean k = Math.abs(v[i]) >= tau;
                keepExpected[i] = k ? 1 : 0;
                prunedExpected[i] = k ? v[i] : 0f; // removed weights are +0, as tensor-core's pruning writes them
            }
            Expect.same("prune keep n=" + n, keepExpected, keep);
            Expect.same("prune weights n=" + n, prunedExpected, pruned);
            Tensor m = Tensor.rand(n, n).gt(0.5), x = randn(n + 4, n), xg = x.to(GPU);
            CudaSurgery.applyMask(xg, m.to(GPU));
            float[] xv = x.toFloatArray(), mv = m.toFloatArray(), masked = new float[n];
            for (int i = 0; i < n; i++) masked[i] = mv[i] == 0 ? 0f : xv[i];
            Expect.same("applyMask n=" + n, masked, xg.toFloatArray());
        }
    }

    private static void projection() {
        for (int n : SIZES) {
            Tensor a = randn(n + 5, n), b = randn(n + 6, n);
            float[] av = a.toFloatArray(), bv = b.toFloatArray();
            double dot = 0, bb = 0;
            for (int i = 0; i < n; i++) {
                dot += (double) av[i] * bv[i];
                bb += (double) bv[i] * bv[i];
            }
            Tensor ag = a.to(GPU), bg = b.to(GPU);
            Expect.close("dot n=" + n, new float[] {(float) dot}, new float[] {(float) CudaSurgery.dot(ag, bg)}, 1e-4 * Math.sqrt(n), 1e-5);
            // make g conflict with r, then project: g·r must become 0
            Tensor conflict = dot < 0 ? a : a.neg();
            Tensor gg = conflict.to(GPU);
            double coef = CudaSurgery.project(gg, bg);
            Expect.isTrue(coef < 0 || n == 0, "a conflicting g gets a negative coefficient, got " + coef);
            double after = CudaSurgery.dot(gg, bg);
            Expect.isTrue(Math.abs(after) <= 1e-4 * Math.sqrt(bb) * Math.sqrt(n), "g·r after projection n=" + n + " is " + after);
            Tensor agree = conflict.neg().to(GPU);
            Expect.equal(0.0, CudaSurgery.project(agree, bg), "no conflict, no change n=" + n);
        }
    }

    private static void fisherAndSsd() {
        for (int n : SIZES) {
            Tensor f = Tensor.rand(n + 7, n), g = randn(n + 8, n);
            Tensor fg = f.to(GPU);
            CudaSurgery.fisherAccumulate(fg, g.to(GPU), 0.25);
            Expect.close("fisher n=" + n, f.add(g.square().mul(0.25)).toFloatArray(), fg.toFloatArray(), 1e-7, 1e-6);
            Tensor theta = randn(n + 9, n), ff = Tensor.rand(n + 10, n), fd = Tensor.rand(n + 11, n);
            float[] t = theta.toFloatArray(), a = ff.toFloatArray(), d = fd.toFloatArray();
            float alpha = 1.5f, lambda = 0.8f;
            for (int i = 0; i < n; i++) if (a[i] > alpha * d[i]) t[i] *= Math.min(lambda * d[i] / a[i], 1f);
            Tensor tg = theta.to(GPU);
            CudaSurgery.ssdDampen(tg, ff.to(GPU), fd.to(GPU), alpha, lambda);
            Expect.close("ssd n=" + n, t, tg.toFloatArray(), 1e-7, 1e-6);
        }
    }
}
