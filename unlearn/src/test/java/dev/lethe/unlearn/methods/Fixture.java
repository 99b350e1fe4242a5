package dev.lethe.unlearn.methods;

import dev.lethe.data.Dataset;
import dev.lethe.data.FashionMnist;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.train.Recipe;
import dev.lethe.train.Trainer;
import dev.lethe.unlearn.ForgetSplit;
import dev.lethe.unlearn.UnlearnContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

/**
 * One small request shared by the method tests, built once: 600 bundled Fashion-MNIST training
 * items (60 per class), 200 test items, an mlp trained 3 epochs as the original, and a seeded
 * random forget set of 60 items (10 %).
 */
final class Fixture {
    static final long INIT_SEED = 7;
    static final Recipe RECIPE = new Recipe(30, 32, 0.05, Recipe.Schedule.COSINE, 0.9, 0, 11);
    private static UnlearnContext ctx;

    private Fixture() {}

    /** The shared context with a 2-epoch recipe, to keep Retrain cheap where only its contract is tested. */
    static UnlearnContext quick() {
        UnlearnContext c = ctx();
        Recipe r = new Recipe(2, RECIPE.batchSize(), RECIPE.lr(), RECIPE.schedule(), RECIPE.momentum(), RECIPE.weightDecay(), RECIPE.seed());
        return new UnlearnContext(c.modelName(), c.initSeed(), c.original(), r, c.split(), c.numClasses(), c.seed(), c.sparsityMask(), c.onStep());
    }

    /** {@link #quick()} with the OMP mask of the original at 50 % sparsity (prune-then-unlearn). */
    static UnlearnContext sparse() {
        UnlearnContext c = quick();
        return new UnlearnContext(c.modelName(), c.initSeed(), c.original(), c.recipe(), c.split(), c.numClasses(), c.seed(),
                Sparsity.omp(c.original(), 0.5), c.onStep());
    }

    /** Mean cross-entropy of {@code model} on {@code data}, in eval mode, without a graph. */
    static double loss(Module model, Dataset data) {
        boolean training = model.isTraining();
        model.eval();
        try (var g = dev.lethe.autograd.NoGrad.enter()) {
            return model.forward(data.inputs()).crossEntropy(data.labels()).item();
        } finally {
            model.train(training);
        }
    }

    /** The shared context (dense, seed 3). */
    static synchronized UnlearnContext ctx() {
        if (ctx == null) ctx = build();
        return ctx;
    }

    private static UnlearnContext build() {
        FashionMnist data;
        try {
            data = FashionMnist.bundled();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Dataset train = data.train().subset(Dataset.firstPerClass(data.train().labels(), 50));
        Dataset test = data.test().subset(Dataset.firstPerClass(data.test().labels(), 20));
        Module original = Models.mlp(INIT_SEED);
        new Trainer(original, train, RECIPE).fit(null, s -> {}, e -> {});
        int[] order = new dev.lethe.data.DataLoader(train, 1, true, 5, false).order(0);
        int[] forgetIdx = Arrays.copyOf(order, 50);
        Arrays.sort(forgetIdx);
        int[] retainIdx = Arrays.stream(order, 50, order.length).sorted().toArray();
        ForgetSplit split = new ForgetSplit("random:0.1", train, forgetIdx, train.subset(forgetIdx), train.subset(retainIdx), test, -1);
        return new UnlearnContext("mlp", INIT_SEED, original, RECIPE, split, 10, 3, Map.of(), null);
    }
}
