package dev.lethe.surgery;

import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The unlearning kernels written the plain way — scalar loops over copied arrays, a full sort
 * for top-k — as the independent reference the fast kernels are tested against, and the
 * scalar baseline the benchmarks compare with. Same formulas, same float32 operation order
 * and same tie rule as the fast kernels; no input checks beyond NaN scores.
 */
public final class SurgeryReference {
    private SurgeryReference() {}

    /** The flattened elements of {@code list} (tensor 0 row-major, then tensor 1, ...). */
    static float[] flatten(List<Tensor> list) {
        int n = 0;
        for (Tensor t : list) n += t.numel();
        float[] out = new float[n];
        int at = 0;
        for (Tensor t : list) {
            float[] a = t.toFloatArray();
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }

    /** Cuts a flat array back into tensors shaped like {@code like}. */
    static List<Tensor> unflatten(float[] flat, List<Tensor> like) {
        List<Tensor> out = new ArrayList<>();
        int at = 0;
        for (Tensor t : like) {
            out.add(Tensor.fromArray(Arrays.copyOfRange(flat, at, at + t.numel()), t.shape()));
            at += t.numel();
        }
        return out;
    }

    private static float rankValue(float x, TopK.Rank rank) {
        return rank == TopK.Rank.MAGNITUDE ? Math.abs(x) : x + 0f; // x + 0f turns −0 into +0
    }

    /** The k-th largest rank value by sorting a copy, and the counts TopK defines. */
    public static TopK.Selection select(List<Tensor> scores, long k, TopK.Rank rank) {
        float[] s = flatten(scores);
        for (int i = 0; i < s.length; i++) {
            if (Float.isNaN(s[i])) throw new IllegalArgumentException("reference top-k: flattened score " + i + " is NaN");
            s[i] = rankValue(s[i], rank);
        }
        if (k == 0) return new TopK.Selection(Float.POSITIVE_INFINITY, 0, 0, 0);
        float[] sorted = s.clone();
        Arrays.sort(sorted);
        float tau = sorted[s.length - (int) k];
        long above = 0, ties = 0;
        for (float v : s) {
            if (v > tau) above++;
            else if (v == tau) ties++;
        }
        return new TopK.Selection(tau, above, k - above, ties);
    }

    /** The top-k masks: ones where s &gt; τ, then on the first (k − above) entries equal to τ. */
    public static List<Tensor> topKMask(List<Tensor> scores, long k, TopK.Rank rank) {
        TopK.Selection sel = select(scores, k, rank);
        float[] s = flatten(scores), m = new float[s.length];
        long ties = sel.tiesKept();
        for (int i = 0; i < s.length && k > 0; i++) {
            float v = rankValue(s[i], rank);
            if (v > sel.threshold()) m[i] = 1;
            else if (v == sel.threshold() && ties > 0) {
                m[i] = 1;
                ties--;
            }
        }
        return unflatten(m, scores);
    }

    /** g_u·g_r, ‖g_u‖², ‖g_r‖² summed in float64 in flattened order. */
    public static GradientSurgery.Dots dots(List<Tensor> unlearn, List<Tensor> retain) {
        float[] u = flatten(unlearn), r = flatten(retain);
        double ur = 0, uu = 0, rr = 0;
        for (int i = 0; i < u.length; i++) {
            ur += (double) u[i] * r[i];
            uu += (double) u[i] * u[i];
            rr += (double) r[i] * r[i];
        }
        return new GradientSurgery.Dots(ur, uu, rr);
    }

    /** d = fma(a, g_u, b·g_r) in float32 with a, b from {@code d}'s coefficients for α. */
    public static List<Tensor> combine(List<Tensor> unlearn, List<Tensor> retain, GradientSurgery.Dots d, double alpha) {
        float[] u = flatten(unlearn), r = flatten(retain), out = new float[u.length];
        float a = (float) d.unlearnCoefficient(alpha), b = (float) d.retainCoefficient(alpha);
        for (int i = 0; i < u.length; i++) out[i] = Math.fma(a, u[i], b * r[i]);
        return unflatten(out, unlearn);
    }

    /** The Fisher diagonal (1/B)·Σ_b g_b² (or |g_b|): float32 running sum, then sum / B. */
    public static List<Tensor> fisher(List<List<Tensor>> batches, FisherDiagonal.Mode mode) {
        float[] sum = flatten(batches.get(0));
        Arrays.fill(sum, 0f);
        for (List<Tensor> g : batches) {
            float[] a = flatten(g);
            for (int i = 0; i < a.length; i++) sum[i] = sum[i] + (mode == FisherDiagonal.Mode.SQUARED ? a[i] * a[i] : Math.abs(a[i]));
        }
        float b = batches.size();
        for (int i = 0; i < sum.length; i++) sum[i] = sum[i] / b;
        return unflatten(sum, batches.get(0));
    }

    /** SSD: the dampened parameters (fresh tensors) and, in count[0], how many were selected. */
    public static List<Tensor> dampen(List<Tensor> params, List<Tensor> forget, List<Tensor> full, double alpha, double lambda, long[] count) {
        float[] th = flatten(params), f = flatten(forget), d = flatten(full);
        float a = (float) alpha, l = (float) lambda;
        long n = 0;
        for (int i = 0; i < th.length; i++) {
            if (f[i] > a * d[i]) {
                th[i] = th[i] * Math.min(l * d[i] / f[i], 1f);
                n++;
            }
        }
        count[0] = n;
        return unflatten(th, params);
    }

    /** WAGLE: s = |(θ − g_r/μ)·g_f| in float32. */
    public static List<Tensor> wagle(List<Tensor> params, List<Tensor> retainGrads, List<Tensor> forgetGrads, double mu) {
        float[] th = flatten(params), r = flatten(retainGrads), f = flatten(forgetGrads), s = new float[th.length];
        float m = (float) mu;
        for (int i = 0; i < th.length; i++) s[i] = Math.abs((th[i] - r[i] / m) * f[i]);
        return unflatten(s, params);
    }
}
