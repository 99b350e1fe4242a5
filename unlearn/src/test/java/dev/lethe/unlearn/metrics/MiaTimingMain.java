package dev.lethe.unlearn.metrics;

import dev.lethe.data.Dataset;
import dev.lethe.data.FashionMnist;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.train.Recipe;
import dev.lethe.train.Trainer;
import dev.lethe.unlearn.scenario.Sampling;

import java.nio.file.Path;

/**
 * Times the MIA attacker at the protocol's full size (10 000 retain members + the 10 000
 * test non-members) on an MLP trained on full Fashion-MNIST, with a random 10% as D_f:
 * {@code java -cp ... dev.lethe.unlearn.metrics.MiaTimingMain [fashion-mnist dir] [epochs]}.
 * Not a unit test: it needs the full data set and takes about a minute.
 */
public final class MiaTimingMain {
    public static void main(String[] args) throws Exception {
        FashionMnist data = FashionMnist.load(Path.of(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist"));
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Module model = Models.mlp(0);
        long t0 = System.nanoTime();
        new Trainer(model, data.train(), Recipe.defaults(epochs, 0)).fit(null, s -> {}, e -> {});
        System.out.printf("trained %d epochs in %.1f s%n", epochs, (System.nanoTime() - t0) / 1e9);
        Dataset train = data.train(), test = data.test();
        int[] forgetIdx = Sampling.indices(train.size(), train.size() / 10, 1);
        for (int rep = 0; rep < 3; rep++) {
            long a = System.nanoTime();
            double[] members = Evaluator.trueLabelConfidence(model, train.subset(Sampling.indices(train.size(), test.size(), 7 + rep)));
            double[] nonMembers = Evaluator.trueLabelConfidence(model, test);
            double[] forget = Evaluator.trueLabelConfidence(model, train.subset(forgetIdx));
            long b = System.nanoTime();
            RbfSvm svm = MiaEfficacy.attacker(members, nonMembers);
            long c = System.nanoTime();
            double eff = MiaEfficacy.efficacy(svm, forget);
            long d = System.nanoTime();
            System.out.printf("confidences %.2f s, fit %d+%d %.2f s (%d support vectors), predict %d %.2f s, efficacy %.2f%%%n",
                    (b - a) / 1e9, members.length, nonMembers.length, (c - b) / 1e9, svm.supportVectors(), forget.length, (d - c) / 1e9, eff);
        }
    }
}
