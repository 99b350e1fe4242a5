package dev.lethe.ops;

import dev.lethe.tensor.CounterRandom;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The neural-network ops against values computed by hand or by plain loops, in both dtypes
 * (float32 runs the fast backend, float64 the reference). The op table checks gradients;
 * these check that the forward computes the right thing in the first place.
 */
class NnOpsTest {

    private static double tol(DType dtype) {
        return dtype == DType.FLOAT32 ? 2e-5 : 1e-12;
    }

    private static void assertValues(double[] want, Tensor got) {
        double[] g = got.toDoubleArray();
        assertEquals(want.length, g.length, "element count");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], g[i], tol(got.dtype()) * Math.max(1, Math.abs(want[i])), "element " + i);
        }
    }

    private static Tensor tensor(DType dtype, double[] values, int... shape) {
        return Tensor.fromArray(values, shape).to(dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxRowsSumToOneAndMatchTheFormula(DType dtype) {
        Tensor x = Tensor.randn(11, dtype, 7, 17);
        Tensor y = x.softmax(1);
        assertValues(new double[] {1, 1, 1, 1, 1, 1, 1}, y.sum(new int[] {1}, false));
        double[] xs = x.toDoubleArray(), want = new double[xs.length];
        for (int r = 0; r < 7; r++) {
            double z = 0;
            for (int c = 0; c < 17; c++) z += Math.exp(xs[r * 17 + c]);
            for (int c = 0; c < 17; c++) want[r * 17 + c] = Math.exp(xs[r * 17 + c]) / z;
        }
        assertValues(want, y);
        assertValues(want, x.logSoftmax(1).exp());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxOfHugeLogitsStaysFinite(DType dtype) {
        Tensor y = tensor(dtype, new double[] {1000, 1001}, 1, 2).softmax(-1);
        double e = Math.E;
        assertValues(new double[] {1 / (1 + e), e / (1 + e)}, y);
        assertValues(new double[] {-Math.log1p(e), -Math.log1p(1 / e)}, tensor(dtype, new double[] {1000, 1001}, 1, 2).logSoftmax(1));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void crossEntropyIsMinusLogSoftmaxAtTheTarget(DType dtype) {
        Tensor logits = Tensor.randn(3, dtype, 5, 7);
        int[] targets = {6, 0, 3, 3, 1};
        Tensor logp = logits.logSoftmax(1);
        double[] each = new double[5];
        double mean = 0, smoothed = 0, eps = 0.2;
        for (int i = 0; i < 5; i++) {
            each[i] = -logp.get(i, targets[i]);
            mean += each[i] / 5;
            double uniform = 0;
            for (int c = 0; c < 7; c++) uniform -= logp.get(i, c) / 7;
            smoothed += ((1 - eps) * each[i] + eps * uniform) / 5;
        }
        assertValues(each, logits.crossEntropy(targets, Reduction.NONE, 0));
        assertValues(new double[] {mean}, logits.crossEntropy(targets));
        assertValues(new double[] {mean * 5}, logits.crossEntropy(targets, Reduction.SUM, 0));
        assertValues(new double[] {smoothed}, logits.crossEntropy(targets, Reduction.MEAN, eps));
        Tensor targetTensor = tensor(dtype, new double[] {6, 0, 3, 3, 1}, 5);
        assertValues(new double[] {mean}, logits.crossEntropy(targetTensor, Reduction.MEAN, 0));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void crossEntropyGradientIsSoftmaxMinusOneHot(DType dtype) {
        Tensor logits = Tensor.randn(5, dtype, 3, 4).requiresGrad(true);
        logits.crossEntropy(new int[] {2, 0, 3}, Reduction.SUM, 0).backward();
        Tensor p = logits.detach().softmax(1);
        double[] want = p.toDoubleArray();
        want[2] -= 1;
        want[4] -= 1;
        want[8 + 3] -= 1;
        assertValues(want, logits.grad());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void nllLossPicksTheTargetColumn(DType dtype) {
        Tensor logProbs = tensor(dtype, new double[] {-1, -2, -3, -4}, 2, 2);
        assertValues(new double[] {2.5}, logProbs.nllLoss(1, 0));
        assertValues(new double[] {5}, logProbs.nllLoss(new int[] {1, 0}, Reduction.SUM));
        assertValues(new double[] {2, 3}, logProbs.nllLoss(new int[] {1, 0}, Reduction.NONE));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void regressionLosses(DType dtype) {
        Tensor pred = tensor(dtype, new double[] {1, -2, 3.5}, 3), target = tensor(dtype, new double[] {0, 1, 3}, 3);
        assertValues(new double[] {(1 + 9 + 0.25) / 3}, pred.mseLoss(target));
        assertValues(new double[] {1, 9, 0.25}, pred.mseLoss(target, Reduction.NONE));
        assertValues(new double[] {4.5}, pred.l1Loss(target, Reduction.SUM));
        assertValues(new double[] {1.5}, pred.l1Loss(target));
    }

    /** out[n, o, y, x] = b[o] + Σ w[o, c, i, j]·x[n, c, y·sh − ph + i, x·sw − pw + j], zero outside. */
    private static double[] directConv(Tensor x, Tensor w, Tensor b, int sh, int sw, int ph, int pw) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
        int o = w.size(0), kh = w.size(2), kw = w.size(3);
        int oh = (h + 2 * ph - kh) / sh + 1, ow = (wd + 2 * pw - kw) / sw + 1;
        double[] out = new double[n * o * oh * ow];
        int k = 0;
        for (int bi = 0; bi < n; bi++)
            for (int oc = 0; oc < o; oc++)
                for (int y = 0; y < oh; y++)
                    for (int xx = 0; xx < ow; xx++) {
                        double s = b == null ? 0 : b.get(oc);
                        for (int ci = 0; ci < c; ci++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++) {
                                    int iy = y * sh - ph + i, ix = xx * sw - pw + j;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) s += w.get(oc, ci, i, j) * x.get(bi, ci, iy, ix);
                                }
                        out[k++] = s;
                    }
        return out;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void conv2dMatchesADirectConvolution(DType dtype) {
        Tensor x = Tensor.randn(1, dtype, 2, 3, 7, 9), w = Tensor.randn(2, dtype, 5, 3, 3, 3), b = Tensor.randn(3, dtype, 5);
        Tensor y = x.conv2d(w, b, 2, 1);
        assertArrayEquals(new int[] {2, 5, 4, 5}, y.shape());
        assertValues(directConv(x, w, b, 2, 2, 1, 1), y);
        Tensor y2 = x.conv2d(w.narrow(2, 0, 2), null, 1, 2, 0, 1);
        assertArrayEquals(new int[] {2, 5, 6, 5}, y2.shape());
        assertValues(directConv(x, w.narrow(2, 0, 2), null, 1, 2, 0, 1), y2);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void poolingByHand(DType dtype) {
        Tensor x = Tensor.arange(0, 16, 1, dtype).reshape(1, 1, 4, 4).detach().requiresGrad(true);
        Tensor max = x.maxPool2d(2);
        assertValues(new double[] {5, 7, 13, 15}, max);
        max.sum().backward();
        assertValues(new double[] {0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1}, x.grad());
        assertValues(new double[] {2.5, 4.5, 10.5, 12.5}, x.avgPool2d(2));
        assertValues(new double[] {10, 11, 14, 15}, x.maxPool2d(3, 1));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void dropoutIsSeededAndScaled(DType dtype) {
        double p = 0.3;
        Tensor x = Tensor.randn(7, dtype, 100, 100);
        Tensor y = x.dropout(p, 42, true);
        assertArrayEquals(y.toDoubleArray(), x.dropout(p, 42, true).toDoubleArray(), "same seed, same mask");
        assertFalse(java.util.Arrays.equals(y.toDoubleArray(), x.dropout(p, 43, true).toDoubleArray()), "another seed, another mask");
        double[] xs = x.toDoubleArray();
        double[] want = new double[xs.length];
        int dropped = 0;
        for (int i = 0; i < xs.length; i++) {
            boolean keep = CounterRandom.uniform(42, i) >= p;
            want[i] = keep ? xs[i] / (1 - p) : 0;
            if (!keep) dropped++;
        }
        assertValues(want, y);
        assertEquals(p, dropped / 10000.0, 0.02, "fraction dropped");
        assertSame(x, x.dropout(p, 42, false), "identity when not training");
        assertSame(x, x.dropout(0, 42, true), "identity for p = 0");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void layerNormByHand(DType dtype) {
        Tensor x = tensor(dtype, new double[] {1, 2, 3, 10, 10, 10}, 2, 3);
        double s = 1 / Math.sqrt(2.0 / 3 + 1e-5);
        assertValues(new double[] {-s, 0, s, 0, 0, 0}, x.layerNorm(new int[] {3}, null, null));
        Tensor w = tensor(dtype, new double[] {2, 3, 4}, 3), b = tensor(dtype, new double[] {1, 1, 1}, 3);
        assertValues(new double[] {1 - 2 * s, 1, 1 + 4 * s, 1, 1, 1}, x.layerNorm(new int[] {3}, w, b));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void indexingOpsAccumulateRepeatedIndices(DType dtype) {
        Tensor x = tensor(dtype, new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor sel = x.indexSelect(1, 2, 0, 2);
        assertValues(new double[] {3, 1, 3, 6, 4, 6}, sel);
        sel.sum().backward();
        assertValues(new double[] {1, 0, 2, 1, 0, 2}, x.grad());

        x.zeroGrad();
        Tensor index = tensor(dtype, new double[] {0, 0, 1, 0}, 2, 2);
        Tensor g = x.gather(1, index);
        assertValues(new double[] {1, 1, 5, 4}, g);
        g.sum().backward();
        assertValues(new double[] {2, 0, 0, 1, 1, 0}, x.grad());

        Tensor table = Tensor.arange(0, 12, 1, dtype).reshape(4, 3);
        Tensor e = Tensor.embedding(table, tensor(dtype, new double[] {3, 0, 3, 1}, 2, 2));
        assertArrayEquals(new int[] {2, 2, 3}, e.shape());
        assertValues(new double[] {9, 10, 11, 0, 1, 2, 9, 10, 11, 3, 4, 5}, e);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void concatAndStack(DType dtype) {
        Tensor a = tensor(dtype, new double[] {1, 2, 3, 4}, 2, 2).requiresGrad(true), b = tensor(dtype, new double[] {5, 6}, 2, 1);
        Tensor c = Tensor.concat(1, a, b);
        assertValues(new double[] {1, 2, 5, 3, 4, 6}, c);
        c.mul(tensor(dtype, new double[] {1, 2, 3, 4, 5, 6}, 2, 3)).sum().backward();
        assertValues(new double[] {1, 2, 4, 5}, a.grad());
        Tensor s = Tensor.stack(1, a.detach(), a.detach().mul(10));
        assertArrayEquals(new int[] {2, 2, 2}, s.shape());
        assertValues(new double[] {1, 2, 10, 20, 3, 4, 30, 40}, s);
    }
}
