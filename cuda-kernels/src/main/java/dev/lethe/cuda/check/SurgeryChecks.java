package dev.lethe.cuda.check;

import dev.lethe.cuda.CudaSelect;
import dev.lethe.cuda.CudaSurgery;
import dev.lethe.surgery.FisherDiagonal;
import dev.lethe.surgery.GradientSurgery;
import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
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
                new Check("Fisher accumulation and SSD dampening", SurgeryChecks::fisherAndSsd),
                new Check("tensor-core's gradient surgery and Fisher diagonal on the GPU's kernels equal the CPU's", SurgeryChecks::throughTensorCore));
    }

    /** Values with many ties (a fifth of them 0.5) around Gaussian noise. */
    private static Tensor tied(long seed, int n) {
        float[] v = randn(seed, n).toFloatArray();
        for (int i = 0; i < n; i += 5) v[i] = 0.5f;
        return Tensor.fromArray(v, n);
    }

    /**
     * The k-th largest and the exact top-k mask, on tied values (a fifth of them 0.5) and on
     * distinct ones, by value and by magnitude; from {@link CudaSelect#SAMPLED_MIN} keys the
     * distinct ones must take the sampled path (the tied ones may fall back to the radix path).
     */
    private static void topK() {
        int[] sizes = Arrays.copyOf(SIZES, SIZES.length + 1);
        sizes[SIZES.length] = 300_007;
        for (int n : sizes) {
            for (boolean distinct : new boolean[] {false, true}) {
                Tensor x = distinct ? randn(7 * n, n) : tied(n, n);
                for (boolean abs : new boolean[] {false, true}) {
                    for (int k : new int[] {1, Math.max(1, n / 10), (n + 1) / 2, n}) {
                        String d = "n=" + n + " k=" + k + (abs ? " |x|" : "") + (distinct ? "" : ", tied");
                        long sampledBefore = CudaSelect.sampledMasks();
                        topKAgainstSort(x, k, abs, d);
                        boolean sampled = CudaSelect.sampledMasks() > sampledBefore;
                        if (distinct && n >= CudaSelect.SAMPLED_MIN && k < n) Expect.isTrue(sampled, "the sampled path ran for " + d);
                        if (n < CudaSelect.SAMPLED_MIN) Expect.isTrue(!sampled, "no sampled path below " + CudaSelect.SAMPLED_MIN + " keys: " + d);
                    }
                }
            }
        }
        // A sample that misleads: every key it reads is large, the rest small, so its bracket
        // misses the median and the radix path must write the mask.
        int n = 300_007, stride = n / CudaSelect.SAMPLE;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i % stride == 0 ? 1000f + i : i * 1e-3f;
        long sampledBefore = CudaSelect.sampledMasks();
        topKAgainstSort(Tensor.fromArray(v, n), (n + 1) / 2, false, "n=" + n + ", a misleading sample");
        Expect.isTrue(CudaSelect.sampledMasks() == sampledBefore, "a missed bracket falls back to the radix path");
    }

    /** CudaSelect's k-th largest and top-k mask of x (or |x|) against a sort on the host. */
    private static void topKAgainstSort(Tensor x, int k, boolean abs, String d) {
        float[] v = x.toFloatArray();
        int n = v.length;
        float[] keys = new float[n];
        for (int i = 0; i < n; i++) keys[i] = abs ? Math.abs(v[i]) : v[i];
        float[] sorted = keys.clone();
        Arrays.sort(sorted);
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
            Expect.isTrue(!CudaSurgery.fisherAccumulate(fg, g.to(GPU)), "no NaN in g, none flagged n=" + n);
            float[] fisher = f.toFloatArray(), gv = g.toFloatArray();
            for (int i = 0; i < n; i++) fisher[i] = fisher[i] + gv[i] * gv[i]; // two roundings, as tensor-core's pass
            Expect.same("fisher n=" + n, fisher, fg.toFloatArray());
            Tensor theta = randn(n + 9, n), ff = Tensor.rand(n + 10, n), fd = Tensor.rand(n + 11, n);
            float[] t = theta.toFloatArray(), a = ff.toFloatArray(), d = fd.toFloatArray();
            float alpha = 1.5f, lambda = 0.8f;
            for (int i = 0; i < n; i++) if (a[i] > alpha * d[i]) t[i] *= Math.min(lambda * d[i] / a[i], 1f);
            Tensor tg = theta.to(GPU);
            CudaSurgery.ssdDampen(tg, ff.to(GPU), fd.to(GPU), alpha, lambda);
            Expect.close("ssd n=" + n, t, tg.toFloatArray(), 1e-7, 1e-6);
        }
    }

    /** One tensor of each odd size, a layer's worth of gradients. */
    private static List<Tensor> layers(long seed) {
        List<Tensor> out = new ArrayList<>();
        for (int n : SIZES) out.add(randn(seed + n, n));
        return out;
    }

    private static List<Tensor> onGpu(List<Tensor> list) {
        return list.stream().map(t -> t.to(GPU)).toList();
    }

    private static void sameBits(String what, List<Tensor> expected, List<Tensor> actual) {
        for (int t = 0; t < expected.size(); t++) Expect.same(what + ", tensor " + t, expected.get(t).toFloatArray(), actual.get(t).toFloatArray());
    }

    /**
     * GradientSurgery and FisherDiagonal on GPU tensors run {@link CudaSurgery#dots3}, {@link
     * CudaSurgery#combine} and {@link CudaSurgery#fisherAccumulate}: the direction and the
     * importance have the CPU passes' bits, the dots agree to float64 rounding, and a NaN
     * gradient is found and named as on the CPU.
     */
    private static void throughTensorCore() {
        for (boolean opposed : new boolean[] {true, false}) {
            List<Tensor> u = layers(20), r = new ArrayList<>();
            for (Tensor t : u) r.add((opposed ? t.neg() : t).add(randn(t.numel() + 21, t.numel()).mul(0.7)));
            List<Tensor> out = new ArrayList<>(), outGpu = new ArrayList<>();
            for (Tensor t : u) {
                out.add(Tensor.zeros(t.shape()));
                outGpu.add(Tensor.zeros(t.shape()).to(GPU));
            }
            GradientSurgery.Dots a = GradientSurgery.combine(u, r, 1.5, out), b = GradientSurgery.combine(onGpu(u), onGpu(r), 1.5, outGpu);
            Expect.equal(opposed, b.conflicting(), "conflict");
            // within float64 rounding: the dot's error scales with ‖g_u‖·‖g_r‖, not with |g_u·g_r|
            double scale = Math.sqrt(a.unlearnNormSq() * a.retainNormSq());
            for (double[] pair : new double[][] {{a.dot(), b.dot(), scale}, {a.unlearnNormSq(), b.unlearnNormSq(), a.unlearnNormSq()},
                    {a.retainNormSq(), b.retainNormSq(), a.retainNormSq()}}) {
                Expect.isTrue(Math.abs(pair[0] - pair[1]) <= 1e-12 * pair[2], "dots " + a + " on the CPU, " + b + " on the GPU");
            }
            Expect.equal((float) a.unlearnCoefficient(1.5), (float) b.unlearnCoefficient(1.5), "a as float32");
            Expect.equal((float) a.retainCoefficient(1.5), (float) b.retainCoefficient(1.5), "b as float32");
            sameBits("surgery direction, opposed " + opposed, out, outGpu);
            List<Tensor> inPlace = onGpu(u), inPlaceCpu = new ArrayList<>(u.stream().map(t -> t.detach().clone()).toList());
            GradientSurgery.combinePerTensor(inPlaceCpu, r, 0.5, inPlaceCpu);
            GradientSurgery.combinePerTensor(inPlace, onGpu(r), 0.5, inPlace);
            sameBits("per-tensor direction written over g_u, opposed " + opposed, inPlaceCpu, inPlace);
        }
        for (FisherDiagonal.Mode mode : FisherDiagonal.Mode.values()) {
            List<Tensor> like = layers(30);
            FisherDiagonal cpu = new FisherDiagonal(like, mode), gpu = new FisherDiagonal(onGpu(like), mode);
            for (int b = 0; b < 3; b++) {
                List<Tensor> g = layers(31 + b);
                cpu.accumulate(g);
                gpu.accumulate(onGpu(g));
            }
            sameBits("Fisher importance, " + mode, cpu.importance(), gpu.importance());
        }
        List<Tensor> bad = layers(40);
        float[] v = bad.get(5).toFloatArray();
        v[77] = Float.NaN;
        bad.set(5, Tensor.fromArray(v, v.length));
        FisherDiagonal gpu = new FisherDiagonal(onGpu(bad));
        try {
            gpu.accumulate(onGpu(bad));
            Expect.isTrue(false, "a NaN gradient was accumulated without an error");
        } catch (IllegalArgumentException e) {
            Expect.isTrue(e.getMessage().contains("batch 0 gradient tensor 5 element 77 is NaN"), "the NaN is named: " + e.getMessage());
        }
    }
}
