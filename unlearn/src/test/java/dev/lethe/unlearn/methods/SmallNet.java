package dev.lethe.unlearn.methods;

import dev.lethe.data.Dataset;
import dev.lethe.nn.Linear;
import dev.lethe.nn.Module;
import dev.lethe.nn.ReLU;
import dev.lethe.nn.Sequential;
import dev.lethe.tensor.Tensor;

/** A small classifier and data for it (6 features, 4 classes), for the machinery's device tests. */
final class SmallNet {
    private SmallNet() {}

    /** A fresh 6 → 9 → 4 ReLU network, the same weights every call. */
    static Module net() {
        return new Sequential(new Linear(6, 9, 5), new ReLU(), new Linear(9, 4, 6));
    }

    /** n items of seeded Gaussian features, item i labelled (i·3 + 2) mod 4. */
    static Dataset data(long seed, int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = (i * 3 + 2) % 4;
        return new Dataset(Tensor.randn(seed, n, 6), y);
    }
}
