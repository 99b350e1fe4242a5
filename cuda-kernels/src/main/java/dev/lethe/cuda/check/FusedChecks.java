package dev.lethe.cuda.check;

import dev.lethe.autograd.NoGrad;
import dev.lethe.cpu.MaxPoolKernel;
import dev.lethe.cpu.SoftmaxCrossEntropyKernel;
import dev.lethe.cuda.CudaOptimizerSteps;
import dev.lethe.cuda.CudaPooling;
import dev.lethe.cuda.CudaSoftmax;
import dev.lethe.optim.Adam;
import dev.lethe.optim.AdamW;
import dev.lethe.optim.Optimizer;
import dev.lethe.optim.SGD;
import dev.lethe.tensor.Tensor;

import java.util.List;

import static dev.lethe.cuda.check.Compare.GPU;
import static dev.lethe.cuda.check.Compare.distinct;
import static dev.lethe.cuda.check.Compare.randn;

/** The fused kernels (softmax, cross-entropy, max pooling, optimiser steps) against tensor-core's CPU kernels. */
final class FusedChecks {
    private FusedChecks() {}

    static List<Check> all() {
        return List.of(
                new Check("fused softmax and log-softmax rows", FusedChecks::softmax),
                new Check("fused softmax cross-entropy forward and backward, with label smoothing", FusedChecks::crossEntropy),
                new Check("max pooling forward and backward", FusedChecks::maxPool),
                new Check("masked SGD, Adam and AdamW steps", FusedChecks::optimizers));
    }

    private static void softmax() {
        for (int[] s : new int[][] {{1, 1}, {3, 7}, {33, 10}, {5, 1001}, {2, 5000}}) {
            Tensor x = randn(s[0] * 31L + s[1], s[0], s[1]).mul(3);
            Tensor g = x.to(GPU);
            Expect.close("softmax " + s[0] + "x" + s[1], x.softmax(1).toFloatArray(), CudaSoftmax.softmax(g, false).toFloatArray(), 1e-7, 1e-5);
            Expect.close("log-softmax " + s[0] + "x" + s[1], x.logSoftmax(1).toFloatArray(), CudaSoftmax.softmax(g, true).toFloatArray(), 1e-6, 1e-5);
        }
    }

    private static void crossEntropy() {
        for (int[] s : new int[][] {{1, 1}, {3, 7}, {33, 10}, {17, 1001}}) {
            int n = s[0], c = s[1];
            Tensor x = randn(n * 7L + c, n, c).mul(2);
            int[] targets = new int[n];
            for (int i = 0; i < n; i++) targets[i] = (i * 5 + 3) % c;
            for (double eps : new double[] {0, 0.1}) {
                String d = n + "x" + c + " ε=" + eps;
                float[] probs = new float[n * c];
                float[] losses = SoftmaxCrossEntropyKernel.forward(x.toFloatArray(), 0, n, c, targets, eps, probs);
                CudaSoftmax.CrossEntropyForward f = CudaSoftmax.crossEntropy(x.to(GPU), targets, eps, true);
                Expect.close("losses " + d, losses, f.losses().toFloatArray(), 1e-5, 1e-5);
                Expect.close("probs " + d, probs, f.probs().toFloatArray(), 1e-7, 1e-5);
                float[] g = randn(3, n).toFloatArray(), dx = new float[n * c];
                SoftmaxCrossEntropyKernel.backward(probs, n, c, targets, eps, g, 0, 1, 1f / n, dx);
                Tensor gdx = CudaSoftmax.crossEntropyBackward(f.probs(), targets, eps, Tensor.fromArray(g, n).to(GPU), 1f / n);
                Expect.close("∂logits " + d, dx, gdx.toFloatArray(), 1e-7, 1e-5);
            }
        }
    }

    private static void maxPool() {
        for (int[] s : new int[][] {{2, 3, 9, 7, 2, 2}, {1, 2, 8, 8, 3, 1}, {2, 1, 17, 33, 3, 2}, {1, 1, 5, 5, 5, 5}}) {
            int planes = s[0] * s[1], h = s[2], w = s[3], k = s[4], st = s[5];
            Tensor x = distinct(h * 100L + w, s[0], s[1], h, w);
            int oh = (h - k) / st + 1, ow = (w - k) / st + 1;
            float[] out = new float[planes * oh * ow], dx = new float[planes * h * w];
            int[] argmax = new int[out.length];
            MaxPoolKernel.forward(x.toFloatArray(), 0, planes, h, w, k, st, out, argmax);
            float[] g = randn(5, out.length).toFloatArray();
            MaxPoolKernel.backward(g, 0, argmax, planes, h, w, k, st, dx);
            CudaPooling.MaxPoolForward f = CudaPooling.maxPool2d(x.to(GPU), k, st);
            String d = java.util.Arrays.toString(s);
            Expect.same("max pool out " + d, out, f.out().toFloatArray());
            Expect.same("max pool ∂x " + d, dx, CudaPooling.maxPool2dBackward(f, Tensor.fromArray(g, f.out().shape()).to(GPU)).toFloatArray());
        }
    }

    /** Three steps of the CPU optimiser against three fused GPU steps, half the entries masked. */
    private static void optimizers() {
        for (String kind : new String[] {"sgd", "sgd-nesterov", "adam", "adamw"}) {
            for (int n : new int[] {1, 7, 1001}) {
                Tensor p0 = randn(n, n), mask = Tensor.rand(n + 1, n).gt(0.5);
                Tensor pc = p0.clone().requiresGrad(true);
                Optimizer opt = switch (kind) {
                    case "sgd" -> new SGD(List.of(pc), 0.1, 0.9, 0.1, false, 1e-3);
                    case "sgd-nesterov" -> new SGD(List.of(pc), 0.1, 0.9, 0, true, 0);
                    case "adam" -> new Adam(List.of(pc), 0.01, 0.9, 0.999, 1e-8, 1e-2);
                    default -> new AdamW(List.of(pc), 0.01, 0.9, 0.999, 1e-8, 1e-2);
                };
                opt.setMask(pc, mask);
                Tensor pg = p0.to(GPU), mg = mask.to(GPU), s1 = Tensor.zeros(dev.lethe.tensor.DType.FLOAT32, GPU, n), s2 = Tensor.zeros(dev.lethe.tensor.DType.FLOAT32, GPU, n);
                for (int step = 1; step <= 3; step++) {
                    Tensor g = randn(100 + step, n);
                    pc.setGrad(g);
                    opt.step();
                    try (NoGrad ignored = NoGrad.enter()) {
                        switch (kind) {
                            case "sgd" -> CudaOptimizerSteps.sgd(pg, g.to(GPU), s1, mg, 0.1, 0.9, 0.1, false, 1e-3, step == 1);
                            case "sgd-nesterov" -> CudaOptimizerSteps.sgd(pg, g.to(GPU), s1, mg, 0.1, 0.9, 0, true, 0, step == 1);
                            case "adam" -> CudaOptimizerSteps.adam(pg, g.to(GPU), s1, s2, mg, step, 0.01, 0.9, 0.999, 1e-8, 1e-2, false);
                            default -> CudaOptimizerSteps.adam(pg, g.to(GPU), s1, s2, mg, step, 0.01, 0.9, 0.999, 1e-8, 1e-2, true);
                        }
                    }
                }
                float[] cpu = pc.toFloatArray(), gpu = pg.toFloatArray(), start = p0.toFloatArray(), m = mask.toFloatArray();
                Expect.close(kind + " n=" + n, cpu, gpu, 1e-6, 1e-5);
                for (int j = 0; j < n; j++) {
                    if (m[j] == 0) Expect.isTrue(gpu[j] == start[j], kind + ": masked element " + j + " moved from " + start[j] + " to " + gpu[j]);
                }
            }
        }
    }
}
