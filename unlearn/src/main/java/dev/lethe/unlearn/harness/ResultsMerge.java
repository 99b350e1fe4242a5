package dev.lethe.unlearn.harness;

import dev.lethe.train.Recipe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One grid from several grids of the same experiment run with different seeds (for example
 * one process per seed, side by side): the seeds and runs are concatenated in the order
 * given, and {@link ExperimentResult#aggregate()} then gives mean ± std over all of them —
 * the same rows one process running every seed would have produced.
 *
 * <p>The parts must agree on the model, the recipe (its shuffle seed aside, which the
 * harness replaces per seed anyway), the prune-then-unlearn sparsity and the number of
 * classes, and no seed may appear twice; otherwise the merge is refused, naming the parts.
 * Parts run on different devices merge (their results agree to float32 rounding); the
 * merged device names each, as "cpu+cuda:0".
 */
public final class ResultsMerge {
    private ResultsMerge() {}

    /**
     * @param names a name per part for error messages (e.g. its file)
     * @param parts the grids, in the order their seeds should appear
     * @throws IllegalArgumentException if fewer than one part is given, or the parts disagree
     */
    public static ExperimentResult merge(List<String> names, List<ExperimentResult> parts) {
        if (parts.isEmpty() || names.size() != parts.size()) {
            throw new IllegalArgumentException("merge: expected one name per part and at least one part, got " + names.size() + " names and " + parts.size() + " parts");
        }
        ExperimentResult first = parts.get(0);
        List<Long> seeds = new ArrayList<>();
        List<RunResult> runs = new ArrayList<>();
        Map<Long, String> seedFrom = new HashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            ExperimentResult p = parts.get(i);
            String name = names.get(i), firstName = names.get(0);
            agree(firstName, name, "model", first.model(), p.model());
            agree(firstName, name, "recipe (shuffle seed aside)", unseeded(first.recipe()), unseeded(p.recipe()));
            agree(firstName, name, "sparsity", first.sparsity(), p.sparsity());
            agree(firstName, name, "number of classes", first.numClasses(), p.numClasses());
            for (long s : p.seeds()) {
                String earlier = seedFrom.putIfAbsent(s, name);
                if (earlier != null) throw new IllegalArgumentException("merge: seed " + s + " is in both " + earlier + " and " + name);
                seeds.add(s);
            }
            runs.addAll(p.runs());
        }
        Set<String> devices = new LinkedHashSet<>();
        for (ExperimentResult p : parts) devices.addAll(List.of(p.device().split("\\+")));
        return new ExperimentResult(first.model(), first.recipe(), seeds, first.numClasses(), runs, first.sparsity(), String.join("+", devices));
    }

    private static void agree(String firstName, String name, String what, Object expected, Object got) {
        if (!expected.equals(got)) {
            throw new IllegalArgumentException("merge: " + name + " has " + what + " " + got + " but " + firstName + " has " + expected);
        }
    }

    private static Recipe unseeded(Recipe r) {
        return new Recipe(r.epochs(), r.batchSize(), r.lr(), r.schedule(), r.momentum(), r.weightDecay(), 0);
    }
}
