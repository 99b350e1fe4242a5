package dev.lethe.nn;

import dev.lethe.autograd.NoGrad;
import dev.lethe.cpu.Parallel;
import dev.lethe.optim.Adam;
import dev.lethe.optim.Optimizer;
import dev.lethe.tensor.CounterRandom;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A tiny end-to-end run: the mlp fits a synthetic 10-class problem (labels from a fixed random
 * linear teacher), and the trained weights are bitwise the same on 1 thread and on 2.
 */
class TrainingTest {
    private static final int N = 512, BATCH = 64, EPOCHS = 3;
    private static final Tensor X = Tensor.randn(1, N, 784);
    private static final int[] LABELS = argmaxRows(X.matmul(Tensor.randn(2, 784, 10)));

    private static int[] argmaxRows(Tensor logits) {
        float[] a = logits.argmax(1, false).toFloatArray();
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (int) a[i];
        return out;
    }

    /** Trains mlp(seed) with Adam on seeded shuffled mini-batches. */
    private static Module train(long seed) {
        Module model = Models.mlp(seed);
        Optimizer opt = new Adam(model.parameters(), 2e-3);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            int[] order = permutation(Init.derive(seed, 1000 + epoch));
            for (int start = 0; start < N; start += BATCH) {
                int[] idx = java.util.Arrays.copyOfRange(order, start, start + BATCH);
                int[] y = new int[BATCH];
                for (int i = 0; i < BATCH; i++) y[i] = LABELS[idx[i]];
                opt.zeroGrad();
                model.forward(X.indexSelect(0, idx)).crossEntropy(y).backward();
                opt.step();
            }
        }
        return model;
    }

    /** A seeded Fisher–Yates shuffle of 0..N−1. */
    private static int[] permutation(long seed) {
        int[] p = new int[N];
        for (int i = 0; i < N; i++) p[i] = i;
        for (int i = N - 1; i > 0; i--) {
            int j = CounterRandom.below(seed, i, i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static double accuracy(Module model) {
        int[] pred;
        try (NoGrad g = NoGrad.enter()) {
            pred = argmaxRows(model.eval().forward(X));
        }
        int hits = 0;
        for (int i = 0; i < N; i++) if (pred[i] == LABELS[i]) hits++;
        return (double) hits / N;
    }

    @Test
    void mlpLearnsATeacherAndTrainsBitwiseIdenticallyOnOneAndTwoThreads() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Module one = train(42);
            Parallel.setThreads(2);
            Module two = train(42);
            double acc = accuracy(one);
            assertTrue(acc > 0.9, "train accuracy " + acc);
            List<Tensor> a = one.parameters(), b = two.parameters();
            for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).toFloatArray(), b.get(i).toFloatArray(), "parameter " + i);
        } finally {
            Parallel.setThreads(before);
        }
    }
}
