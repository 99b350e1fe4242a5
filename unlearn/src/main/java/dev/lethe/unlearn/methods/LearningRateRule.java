package dev.lethe.unlearn.methods;

import dev.lethe.data.Dataset;
import dev.lethe.nn.Module;
import dev.lethe.tensor.Tensor;
import dev.lethe.train.Evaluation;
import dev.lethe.unlearn.Divergence;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * How a learning-rate-sensitive method picks its rate and length per request, never looking
 * at Retrain (the rule the issue gives GA, shared by every method that ascends a loss on D_f):
 * <pre>
 *   for each rate η ∈ lrs: train from θ0 with the same batches, keeping a candidate (η, e)
 *       after every epoch e ∈ epochs
 *   UA(η, e) = 100 − acc(D_f),  RA(η, e) = acc(S)  for a seeded sample S ⊂ D_r of raSample items
 *   choose argmax UA over candidates with finite weights and RA ≥ RA(θ0) − maxRaDrop
 *          (ties: the earlier candidate, i.e. the smaller rate, then fewer epochs);
 *   if none keeps RA: the finite candidate with the highest RA (the notes say so)
 * </pre>
 * Ascent on −CE is unbounded: once the forget loss takes off, the logits grow geometrically
 * and reach infinity within an epoch or two (measured on the full Fashion-MNIST set, class 0,
 * GradDiff at lr 1e-4: forget CE 2.4 after 111 steps, 35 after 141, ∞ after 235). So the
 * rate that suits a random 10 % of the bundled subset sends a class-wise request on the full
 * set to NaN, and the length matters as much as the rate: checkpoints after each epoch cost
 * one evaluation each, not a run. A run that stops with a {@link Divergence} keeps the
 * candidates of the epochs it finished; the later ones count as diverged. With one rate and
 * one epoch count the rule has nothing to choose and the method simply runs.
 *
 * @param lrs       the candidate rates, in the order ties are broken
 * @param epochs    the epoch counts kept as candidates (sorted; each ≥ 1)
 * @param maxRaDrop how many points of RA a candidate may lose against the original, ≥ 0
 * @param raSample  the size of the D_r sample RA is measured on, ≥ 1
 */
public record LearningRateRule(double[] lrs, int[] epochs, double maxRaDrop, int raSample) {
    /** One trained candidate: its rate and epochs, UA on D_f, RA on the sample, whether all weights are finite. */
    public record Candidate(double lr, int epochs, double ua, double ra, boolean finite) {}

    /** A method's training from θ0 at one rate, reporting the model after every epoch. */
    @FunctionalInterface
    public interface Training {
        /**
         * Trains a new model from θ0 at rate {@code lr} for {@code epochs} epochs, calling
         * {@code after.done(e, model, notes)} after epoch e = 1 … epochs.
         *
         * @throws Divergence when a loss leaves the finite numbers
         */
        void run(double lr, int epochs, EpochEnd after);
    }

    /** Called after each epoch with the model so far and what the method notes about it. */
    @FunctionalInterface
    public interface EpochEnd {
        void done(int epoch, Module model, Map<String, String> notes);
    }

    /** RA may drop 5 points; RA is measured on 5000 retain samples. */
    public static final double MAX_RA_DROP = 5;
    public static final int RA_SAMPLE = 5000;

    public LearningRateRule {
        if (lrs.length == 0) throw new IllegalArgumentException("learning-rate rule: no candidate rates");
        for (double lr : lrs) if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("learning rates must be finite and ≥ 0, got " + lr);
        if (epochs.length == 0) throw new IllegalArgumentException("learning-rate rule: no epoch count");
        for (int e : epochs) if (e < 1) throw new IllegalArgumentException("epoch counts must be ≥ 1, got " + e);
        if (!(maxRaDrop >= 0)) throw new IllegalArgumentException("max_ra_drop must be ≥ 0, got " + maxRaDrop);
        if (raSample < 1) throw new IllegalArgumentException("ra_sample must be ≥ 1, got " + raSample);
        lrs = lrs.clone();
        epochs = epochs.clone();
        Arrays.sort(epochs);
    }

    /** A single rate and length: nothing to choose. */
    public static LearningRateRule fixed(double lr, int epochs) {
        return new LearningRateRule(new double[] {lr}, new int[] {epochs}, MAX_RA_DROP, RA_SAMPLE);
    }

    /**
     * The rule's hyperparameters: {@code lr} and {@code epochs} (candidates), then
     * {@code max_ra_drop} and {@code ra_sample}.
     */
    static List<Hyperparameter> hyperparameters(String lrs, String epochs, String epochsMeaning) {
        return List.of(new Hyperparameter("lr", lrs, "learning rate; a list (a:b:…) is candidates, chosen per request with the epochs: highest UA keeping RA within max_ra_drop of the original's"),
                new Hyperparameter("epochs", epochs, epochsMeaning + "; a list is candidates (checkpoints of one run per rate)"),
                new Hyperparameter("max_ra_drop", MethodSettings.text(MAX_RA_DROP), "points of RA (on the sample) a candidate may lose against the original"),
                new Hyperparameter("ra_sample", Integer.toString(RA_SAMPLE), "retain samples RA is measured on when choosing"));
    }

    /** The rule from {@code lr}, {@code epochs}, {@code max_ra_drop} and {@code ra_sample}. */
    static LearningRateRule from(MethodSettings s) {
        return new LearningRateRule(s.reals("lr"), s.integers("epochs"), s.real("max_ra_drop"), s.integer("ra_sample"));
    }

    @Override
    public double[] lrs() {
        return lrs.clone();
    }

    @Override
    public int[] epochs() {
        return epochs.clone();
    }

    /** The longest run. */
    int maxEpochs() {
        return epochs[epochs.length - 1];
    }

    /**
     * Runs {@code training} once per candidate rate and returns the chosen checkpoint, its notes
     * led by the rate, the epochs and the measurements that chose it.
     *
     * @param method the method's name: it seeds the RA sample ({@code method + "/ra-sample"})
     */
    Unlearned select(UnlearnContext ctx, String method, Training training) {
        if (lrs.length == 1 && epochs.length == 1) {
            Unlearned[] last = new Unlearned[1];
            training.run(lrs[0], epochs[0], (e, model, notes) -> last[0] = new Unlearned(model, notes));
            LinkedHashMap<String, String> notes = new LinkedHashMap<>(Map.of("lr", MethodSettings.text(lrs[0])));
            notes.putAll(last[0].notes());
            return new Unlearned(last[0].model(), notes);
        }
        Judge judge = judge(ctx, method);
        List<Candidate> candidates = new ArrayList<>();
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (double lr : lrs) {
            int reached = candidates.size();
            try {
                training.run(lr, maxEpochs(), (e, model, notes) -> {
                    if (Arrays.binarySearch(epochs, e) < 0) return;
                    candidates.add(judge.judge(lr, e, model));
                    checkpoints.add(new Checkpoint(model.stateDict(), notes));
                });
            } catch (Divergence d) {
                // The epochs this rate did not reach (a suffix of the sorted list) count as diverged.
            }
            for (int i = candidates.size() - reached; i < epochs.length; i++) {
                candidates.add(new Candidate(lr, epochs[i], Double.NaN, Double.NaN, false));
                checkpoints.add(null);
            }
        }
        int chosen = choose(candidates, judge.raOriginal(), maxRaDrop);
        LinkedHashMap<String, String> notes = new LinkedHashMap<>(notes(candidates.get(chosen), judge));
        notes.putAll(checkpoints.get(chosen).notes());
        Module model = ctx.freshModel();
        model.loadStateDict(checkpoints.get(chosen).state());
        return new Unlearned(model, notes);
    }

    /** A candidate's weights and buffers (copies, as {@code stateDict} gives them) and the method's notes on it. */
    private record Checkpoint(Map<String, Tensor> state, Map<String, String> notes) {}

    /** Measures candidates of {@code method} on {@code ctx}'s request. */
    Judge judge(UnlearnContext ctx, String method) {
        Dataset raSet = Batches.sample(ctx.split().retain(), raSample, Batches.seed(ctx, method + "/ra-sample"));
        return new Judge(ctx.split().forget(), raSet, Evaluation.accuracy(Sparsity.start(ctx), raSet));
    }
    /** UA on D_f and RA on the sample, for the original and for each candidate. */
    record Judge(Dataset forget, Dataset raSet, double raOriginal) {
        Candidate judge(double lr, int epochs, Module model) {
            boolean finite = Divergence.firstNonFinite(model) == null;
            return new Candidate(lr, epochs, finite ? 100 - Evaluation.accuracy(model, forget) : Double.NaN, finite ? Evaluation.accuracy(model, raSet) : Double.NaN, finite);
        }
    }

    /**
     * The selection rule: the index of the candidate with the highest UA among those with
     * finite weights and RA ≥ raOriginal − maxRaDrop (the first on ties); if there is none, the
     * finite candidate with the highest RA.
     *
     * @throws Divergence if every candidate diverged
     */
    public static int choose(List<Candidate> candidates, double raOriginal, double maxRaDrop) {
        int best = -1;
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            if (c.finite() && c.ra() >= raOriginal - maxRaDrop && (best < 0 || c.ua() > candidates.get(best).ua())) best = i;
        }
        if (best >= 0) return best;
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            if (c.finite() && (best < 0 || c.ra() > candidates.get(best).ra())) best = i;
        }
        if (best < 0) {
            throw new Divergence("every candidate left the finite numbers: " + candidates.stream().map(c -> "lr " + MethodSettings.text(c.lr()) + " × " + c.epochs() + " epochs")
                    .collect(java.util.stream.Collectors.joining(", ")) + " (try smaller learning rates)");
        }
        return best;
    }

    /** What the report shows about a choice: lr, epochs, UA, RA (sample), the original's RA (sample), and the fallback if taken. */
    Map<String, String> notes(Candidate c, Judge judge) {
        LinkedHashMap<String, String> notes = new LinkedHashMap<>();
        notes.put("lr", MethodSettings.text(c.lr()));
        notes.put("epochs", Integer.toString(c.epochs()));
        notes.put("ua", percent(c.ua()));
        notes.put("raSample", percent(c.ra()));
        notes.put("raOriginalSample", percent(judge.raOriginal()));
        notes.put("raSampleSize", Integer.toString(judge.raSet().size()));
        if (!(c.ra() >= judge.raOriginal() - maxRaDrop)) notes.put("rule", "no candidate kept RA within " + MethodSettings.text(maxRaDrop) + " points; took the highest RA");
        return notes;
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
