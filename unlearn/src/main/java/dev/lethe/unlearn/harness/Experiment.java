package dev.lethe.unlearn.harness;

import dev.lethe.data.Dataset;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.tensor.Device;
import dev.lethe.train.Recipe;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.Scenario;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * One grid to run: every method on every request of every scenario, for every seed.
 *
 * @param modelName    the architecture, a name {@link Models#byName} knows
 * @param recipe       how the original is trained; for seed s the harness uses it with its
 *                     shuffle seed replaced by s, and Retrain repeats exactly that recipe
 * @param train        D, the training set
 * @param test         the full test set (class-wise requests drop the forgotten class for TA;
 *                     the per-class accuracies use every class)
 * @param numClasses   K
 * @param scenarios    the deletion requests
 * @param methods      the methods, each name unique; the one named {@value Harness#RETRAIN} is the
 *                     reference every average gap is measured against
 * @param seeds        one run per seed s: θ0's init seed, the recipe's shuffle seed, the scenarios'
 *                     and the methods' seed and the attacker's sample seed are all s
 * @param noiseFloor   also run Retrain with init seed s + {@value Harness#NOISE_FLOOR_OFFSET}: its gap to
 *                     Retrain is the gap two equally good retrained models have (needs a method
 *                     named {@value Harness#RETRAIN})
 * @param original     null: train θ0 on D with the recipe; otherwise θ0 for a seed (e.g. weights read
 *                     from a checkpoint whose init seed was that seed); the harness never modifies it
 * @param miaSampleCap caps the attacker's n (see {@link dev.lethe.unlearn.metrics.Evaluator});
 *                     {@link Integer#MAX_VALUE} for the reference protocol
 * @param sparsity     prune-then-unlearn: 0 for dense models; s ∈ (0, 1) prunes the fraction s of
 *                     θ0's conv and linear weights by one-shot global magnitude pruning (OMP) and
 *                     every method — Retrain included, from its fresh init — keeps that mask
 * @param device       where θ0 is trained and every method runs (θ0 supplied by {@code original}
 *                     runs on the device it lives on)
 */
public record Experiment(String modelName, Recipe recipe, Dataset train, Dataset test, int numClasses, List<Scenario> scenarios,
                         List<Method> methods, List<Long> seeds, boolean noiseFloor, LongFunction<Module> original, int miaSampleCap,
                         double sparsity, Device device) {
    /** Checks the grid is not empty, method names are unique, and a noise floor has a Retrain to re-run. */
    public Experiment {
        scenarios = List.copyOf(scenarios);
        methods = List.copyOf(methods);
        seeds = List.copyOf(seeds);
        if (scenarios.isEmpty()) throw new IllegalArgumentException("experiment: no scenario given");
        if (methods.isEmpty()) throw new IllegalArgumentException("experiment: no method given");
        if (seeds.isEmpty()) throw new IllegalArgumentException("experiment: no seed given");
        if (new HashSet<>(seeds).size() != seeds.size()) throw new IllegalArgumentException("experiment: seeds repeat: " + seeds);
        if (numClasses < 2) throw new IllegalArgumentException("experiment: numClasses must be ≥ 2, got " + numClasses);
        if (!(sparsity >= 0 && sparsity < 1)) throw new IllegalArgumentException("experiment: sparsity must be in [0, 1), got " + sparsity);
        Objects.requireNonNull(device, "experiment: device");
        if (miaSampleCap < 1) throw new IllegalArgumentException("experiment: the MIA sample cap must be ≥ 1, got " + miaSampleCap);
        Models.byName(modelName, 0); // fails early, listing the valid names
        Set<String> names = new HashSet<>();
        for (Method m : methods) {
            if (!names.add(m.name())) throw new IllegalArgumentException("experiment: two methods are named '" + m.name() + "'");
            if (Harness.reservedName(m.name())) throw new IllegalArgumentException("experiment: '" + m.name() + "' names a reference row, not a method");
        }
        if (noiseFloor && !names.contains(Harness.RETRAIN)) {
            throw new IllegalArgumentException("experiment: the noise floor re-runs the method named '" + Harness.RETRAIN + "', which is not among "
                    + names);
        }
    }

    /** A grid with the original trained by the harness and the reference MIA protocol. */
    public static Experiment of(String modelName, Recipe recipe, Dataset train, Dataset test, int numClasses, List<Scenario> scenarios,
                                List<Method> methods, List<Long> seeds, boolean noiseFloor) {
        return new Experiment(modelName, recipe, train, test, numClasses, scenarios, methods, seeds, noiseFloor, null, Integer.MAX_VALUE, 0, Device.CPU);
    }

    /** This grid with θ0 supplied by the caller for each seed instead of trained. */
    public Experiment withOriginal(LongFunction<Module> original) {
        return new Experiment(modelName, recipe, train, test, numClasses, scenarios, methods, seeds, noiseFloor, original, miaSampleCap, sparsity, device);
    }

    /** This grid with the attacker's n capped. */
    public Experiment withMiaSampleCap(int cap) {
        return new Experiment(modelName, recipe, train, test, numClasses, scenarios, methods, seeds, noiseFloor, original, cap, sparsity, device);
    }

    /** This grid as prune-then-unlearn at sparsity {@code s} (0: dense). */
    public Experiment withSparsity(double s) {
        return new Experiment(modelName, recipe, train, test, numClasses, scenarios, methods, seeds, noiseFloor, original, miaSampleCap, s, device);
    }

    /** This grid on {@code d}: θ0 trained there, every method run there. */
    public Experiment withDevice(Device d) {
        return new Experiment(modelName, recipe, train, test, numClasses, scenarios, methods, seeds, noiseFloor, original, miaSampleCap, sparsity, d);
    }

    /** The recipe of seed s: the given one with shuffle seed s. */
    public Recipe recipeFor(long seed) {
        return new Recipe(recipe.epochs(), recipe.batchSize(), recipe.lr(), recipe.schedule(), recipe.momentum(), recipe.weightDecay(), seed);
    }
}
