package dev.lethe.unlearn.methods;

import dev.lethe.data.DataLoader;
import dev.lethe.data.Dataset;
import dev.lethe.nn.Module;
import dev.lethe.optim.Optimizer;
import dev.lethe.tensor.Tensor;
import dev.lethe.train.Evaluation;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GA (gradient ascent): starting from θ0, minimise −CE on D_f,
 * θ ← θ + η·∇θ CE(D_f batch), SGD with momentum 0.9, batch 128.
 *
 * <p>GA is very sensitive to the learning rate, so the rate and the number of epochs are chosen
 * per request from a grid (default lr ∈ {1e-5, 2e-5, 5e-5, 1e-4, 2e-4} × epochs ∈ {3, 5}) by a
 * rule that never looks at Retrain: among candidates with finite weights whose RA is at most
 * {@code maxRaDrop} (5) points below the original's, the highest UA wins (ties: the earlier
 * candidate, i.e. the smaller lr, then fewer epochs). If none keeps RA, the finite candidate
 * with the highest RA is taken and the notes say so. UA is measured on all of D_f; RA on a
 * seeded sample of D_r ({@code raSample} items, default 5000, the same sample for the original
 * and every candidate) to keep ten evaluations cheap.
 *
 * <p>Each learning rate is trained once for the largest epoch count: with a constant rate and
 * the same batch order, the 3-epoch candidate is exactly the 5-epoch run after 3 epochs.
 * {@link Unlearned#notes()} report lr, epochs, UA, RA (sample) and the original's RA (sample).
 */
public final class GradientAscent implements Method {
    /** One trained candidate: its settings, UA on D_f, RA on the sample, whether all weights are finite. */
    public record Candidate(double lr, int epochs, double ua, double ra, boolean finite) {}

    private final double[] lrs;
    private final int[] epochs;
    private final SgdSettings base;
    private final double maxRaDrop;
    private final int raSample;

    /** The default grid and rule. */
    public GradientAscent() {
        this(new double[] {1e-5, 2e-5, 5e-5, 1e-4, 2e-4}, new int[] {3, 5}, SgdSettings.of(0, 0), 5, 5000);
    }

    /** A fixed learning rate and epoch count (a grid of one: the rule only reports). */
    public GradientAscent(double lr, int epochs) {
        this(new double[] {lr}, new int[] {epochs}, SgdSettings.of(0, 0), 5, 5000);
    }

    /**
     * @param lrs       candidate learning rates
     * @param epochs    candidate epoch counts, each ≥ 1
     * @param base      momentum, weight decay and batch size (its epochs and lr are ignored)
     * @param maxRaDrop how many points of RA a candidate may lose against the original
     * @param raSample  the size of the D_r sample RA is measured on
     */
    public GradientAscent(double[] lrs, int[] epochs, SgdSettings base, double maxRaDrop, int raSample) {
        if (lrs.length == 0 || epochs.length == 0) throw new IllegalArgumentException("ga: the grid needs at least one lr and one epoch count");
        for (double lr : lrs) base.withLr(lr); // rejects a negative or infinite rate
        for (int e : epochs) if (e < 1) throw new IllegalArgumentException("ga: epoch counts must be ≥ 1, got " + e);
        if (!(maxRaDrop >= 0)) throw new IllegalArgumentException("ga: maxRaDrop must be ≥ 0, got " + maxRaDrop);
        if (raSample < 1) throw new IllegalArgumentException("ga: raSample must be ≥ 1, got " + raSample);
        this.lrs = lrs.clone();
        this.epochs = epochs.clone();
        Arrays.sort(this.epochs);
        this.base = base;
        this.maxRaDrop = maxRaDrop;
        this.raSample = raSample;
    }

    @Override
    public String name() {
        return "ga";
    }

    @Override
    public Unlearned unlearn(UnlearnContext ctx) {
        Dataset forget = ctx.split().forget();
        Dataset raSet = Batches.sample(ctx.split().retain(), raSample, Batches.seed(ctx, "ga/ra-sample"));
        double raOriginal = Evaluation.accuracy(Sparsity.start(ctx), raSet);
        DataLoader loader = Batches.shuffled(forget, base.batchSize(), Batches.seed(ctx, name()));
        List<Candidate> candidates = new ArrayList<>();
        List<Map<String, Tensor>> states = new ArrayList<>();
        for (double lr : lrs) {
            Module model = Sparsity.start(ctx);
            Optimizer opt = base.withLr(lr).optimizer(model, ctx.sparsityMask());
            for (int e = 0, next = 0; next < epochs.length; e++) {
                TrainingLoop.epoch(model, opt, loader.epoch(e), BatchLoss.NEGATIVE_CROSS_ENTROPY, ctx.onStep());
                if (e + 1 < epochs[next]) continue;
                boolean finite = finite(model);
                candidates.add(new Candidate(lr, e + 1, finite ? 100 - Evaluation.accuracy(model, forget) : Double.NaN,
                        finite ? Evaluation.accuracy(model, raSet) : Double.NaN, finite));
                states.add(model.stateDict());
                next++;
            }
        }
        int chosen = choose(candidates, raOriginal, maxRaDrop);
        Candidate c = candidates.get(chosen);
        Module model = ctx.freshModel();
        model.loadStateDict(states.get(chosen));
        LinkedHashMap<String, String> notes = new LinkedHashMap<>();
        notes.put("lr", number(c.lr()));
        notes.put("epochs", Integer.toString(c.epochs()));
        notes.put("ua", percent(c.ua()));
        notes.put("raSample", percent(c.ra()));
        notes.put("raOriginalSample", percent(raOriginal));
        notes.put("raSampleSize", Integer.toString(raSet.size()));
        if (!(c.ra() >= raOriginal - maxRaDrop)) notes.put("rule", "no candidate kept RA within " + number(maxRaDrop) + " points; took the highest RA");
        return new Unlearned(model, notes);
    }

    /**
     * The selection rule: the index of the candidate with the highest UA among those with
     * finite weights and RA ≥ raOriginal − maxRaDrop (the first on ties); if there is none, the
     * finite candidate with the highest RA.
     *
     * @throws IllegalStateException if every candidate diverged
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
        if (best < 0) throw new IllegalStateException("ga: every candidate diverged (non-finite weights): " + candidates);
        return best;
    }

    private static boolean finite(Module model) {
        for (Tensor p : model.parameters()) for (float v : p.toFloatArray()) if (!Float.isFinite(v)) return false;
        return true;
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** 1e-4 rather than 1.0E-4; 5 rather than 5.0. */
    static String number(double v) {
        return Double.toString(v).replace(".0E", "e").replace("E", "e").replaceAll("\\.0$", "");
    }
}
