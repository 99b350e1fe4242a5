package dev.lethe.unlearn.scenario;

import dev.lethe.data.Dataset;

/**
 * {@code class:K}: forget every training sample labelled K; the test set then drops class K,
 * so TA measures the remaining classes.
 */
record ClassSelection(int k) implements Selection {
    ClassSelection {
        if (k < 0) throw new IllegalArgumentException("class:" + k + ": a class is a label ≥ 0");
    }

    @Override
    public String spec() {
        return "class:" + k;
    }

    @Override
    public int[] select(Dataset train, boolean[] gone, int numClasses, long seed) {
        if (k >= numClasses) {
            throw new IllegalArgumentException(spec() + ": class " + k + " is outside [0, " + numClasses + "), the classes of the data");
        }
        int[] all = train.classIndices(k);
        if (all.length == 0) throw new IllegalArgumentException(spec() + ": the training set holds no sample of class " + k);
        for (int i : all) {
            if (gone[i]) throw new IllegalArgumentException(spec() + ": class " + k + " was already forgotten by an earlier request");
        }
        return all;
    }

    @Override
    public int forgottenClass() {
        return k;
    }
}
