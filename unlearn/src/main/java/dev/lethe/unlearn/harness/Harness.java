package dev.lethe.unlearn.harness;

import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.tensor.Tensor;
import dev.lethe.train.Recipe;
import dev.lethe.train.Trainer;
import dev.lethe.unlearn.Divergence;
import dev.lethe.unlearn.ForgetSplit;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.Metrics;
import dev.lethe.unlearn.Scenario;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;
import dev.lethe.unlearn.methods.Sparsity;
import dev.lethe.unlearn.metrics.Evaluator;
import dev.lethe.unlearn.metrics.ModelEvaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an {@link Experiment}: for each seed s
 * <ol>
 *   <li>θ0: trained on D with the recipe (init seed s, shuffle seed s) or supplied by the caller;</li>
 *   <li>for each scenario, for each of its requests: evaluate θ0 (row {@value #ORIGINAL}); for each
 *       method, unlearn — timed, wall clock around {@link Method#unlearn} only — and evaluate;
 *       with the noise floor, re-run the method named {@value #RETRAIN} with init seed
 *       s + {@value #NOISE_FLOOR_OFFSET} (row {@value #NOISE_FLOOR_NAME}); then every row's average gap
 *       to the Retrain row.</li>
 * </ol>
 * In a sequence each method continues from its own previous output (request i+1's context
 * holds the model the method returned for request i); the {@value #ORIGINAL} row always
 * evaluates θ0. A method that throws, or returns non-finite weights (it diverged), gets a row with NaN metrics and its error; the grid goes
 * on (in a sequence its later requests are skipped as failed). A method that modifies the
 * model it was given breaks the contract every later row relies on, so the harness checks θ0
 * after each method and stops with an {@link IllegalStateException} naming it.
 *
 * <p>All splits of a seed are built before θ0 is trained, so a bad scenario fails at once;
 * they stay in memory during the seed (a sequence of n requests holds n retain sets).
 */
public final class Harness {
    /** The name of the reference method every gap is measured against. */
    public static final String RETRAIN = "retrain";
    /** The row of θ0. */
    public static final String ORIGINAL = "original";
    /** What the noise floor adds to the init seed. */
    public static final long NOISE_FLOOR_OFFSET = 1000;
    /** The row of Retrain from init seed s + {@value #NOISE_FLOOR_OFFSET}; the same name for every seed so rows aggregate. */
    public static final String NOISE_FLOOR_NAME = "retrain (init seed + 1000)";

    private final Experiment e;
    private final HarnessListener listener;
    private int phaseIndex;
    private int phaseTotal;

    private Harness(Experiment e, HarnessListener listener) {
        this.e = e;
        this.listener = listener;
    }

    /** True for the names of the reference rows the harness adds itself. */
    static boolean reservedName(String name) {
        return name.equals(ORIGINAL) || name.equals(NOISE_FLOOR_NAME);
    }

    /** Runs the whole grid, reporting progress to {@code listener}. */
    public static ExperimentResult run(Experiment experiment, HarnessListener listener) {
        return new Harness(experiment, listener).run();
    }

    private ExperimentResult run() {
        List<RunResult> runs = new ArrayList<>();
        for (int si = 0; si < e.seeds().size(); si++) {
            long seed = e.seeds().get(si);
            Map<Scenario, List<ForgetSplit>> splits = new LinkedHashMap<>();
            for (Scenario s : e.scenarios()) splits.put(s, s.splits(e.train(), e.test(), seed));
            if (si == 0) {
                phaseTotal = e.seeds().size() * phasesPerSeed(splits);
                listener.planned(phaseTotal);
            }
            Recipe recipe = e.recipeFor(seed);
            double trainSeconds = Double.NaN;
            Module original;
            if (e.original() == null) {
                original = Models.byName(e.modelName(), seed).to(e.device());
                Trainer trainer = new Trainer(original, e.train(), recipe);
                Phase p = begin(Phase.Kind.TRAIN_ORIGINAL, seed, "", ORIGINAL, (long) recipe.epochs() * trainer.stepsPerEpoch());
                long t0 = System.nanoTime();
                trainer.fit(null, listener::step, r -> {});
                trainSeconds = seconds(t0);
                listener.phaseFinished(p, trainSeconds);
            } else {
                original = e.original().apply(seed);
            }
            Map<String, Tensor> mask = e.sparsity() == 0 ? Map.of() : Sparsity.omp(original, e.sparsity());
            Evaluator evaluator = new Evaluator(seed, e.miaSampleCap());
            for (Map.Entry<Scenario, List<ForgetSplit>> s : splits.entrySet()) {
                Map<String, Module> chain = new HashMap<>();
                List<ForgetSplit> requests = s.getValue();
                for (int r = 0; r < requests.size(); r++) {
                    RunResult run = request(seed, s.getKey().spec(), r, requests.size(), requests.get(r), original, mask, recipe, trainSeconds, evaluator,
                            chain);
                    runs.add(run);
                    listener.runFinished(run);
                }
            }
        }
        return new ExperimentResult(e.modelName(), e.recipe(), e.seeds(), e.numClasses(), runs, e.sparsity(), e.device().toString());
    }

    private int phasesPerSeed(Map<Scenario, List<ForgetSplit>> splits) {
        int requests = 0;
        for (List<ForgetSplit> l : splits.values()) requests += l.size();
        int perRequest = 1 + 2 * e.methods().size() + (e.noiseFloor() ? 2 : 0);
        return (e.original() == null ? 1 : 0) + requests * perRequest;
    }

    /** Every row of one request. */
    private RunResult request(long seed, String spec, int r, int n, ForgetSplit split, Module original, Map<String, Tensor> mask, Recipe recipe,
                              double trainSeconds, Evaluator evaluator, Map<String, Module> chain) {
        String label = n == 1 ? spec : spec + " (request " + (r + 1) + "/" + n + ")";
        List<MethodResult> rows = new ArrayList<>();
        ModelEvaluation base = evaluate(seed, label, ORIGINAL, original, split, Double.NaN, evaluator);
        rows.add(new MethodResult(ORIGINAL, Role.ORIGINAL, base.metrics(), Double.NaN, base.perClassTestAcc(), Map.of(), null));
        Method retrain = null;
        for (Method m : e.methods()) {
            if (m.name().equals(RETRAIN)) retrain = m;
            Role role = m.name().equals(RETRAIN) ? Role.RETRAIN : Role.METHOD;
            rows.add(unlearnAndEvaluate(m, m.name(), role, seed, seed, label, split, original, mask, recipe, evaluator, chain));
        }
        if (e.noiseFloor()) {
            rows.add(unlearnAndEvaluate(retrain, NOISE_FLOOR_NAME, Role.NOISE_FLOOR, seed + NOISE_FLOOR_OFFSET, seed, label, split, original, mask,
                    recipe, evaluator, chain));
        }
        return new RunResult(seed, spec, r, n, split.forget().size(), split.retain().size(), split.test().size(), split.forgottenClass(),
                base.miaSamples(), trainSeconds, withGaps(rows));
    }

    private MethodResult unlearnAndEvaluate(Method m, String name, Role role, long initSeed, long seed, String label, ForgetSplit split, Module original,
                                            Map<String, Tensor> mask, Recipe recipe, Evaluator evaluator, Map<String, Module> chain) {
        Phase p = begin(Phase.Kind.UNLEARN, seed, label, name, -1);
        Module start = chain.getOrDefault(name, original);
        if (start == null) {
            listener.phaseFinished(p, 0);
            skip(seed, label, name);
            return failed(name, role, "skipped: an earlier request of this sequence failed");
        }
        long[] steps = {0};
        UnlearnContext ctx = new UnlearnContext(e.modelName(), initSeed, start, recipe, split, e.numClasses(), seed, mask,
                () -> listener.step(++steps[0]));
        long fingerprint = fingerprint(start);
        Unlearned u;
        long t0 = System.nanoTime();
        try {
            u = m.unlearn(ctx);
        } catch (RuntimeException ex) {
            listener.phaseFinished(p, seconds(t0));
            listener.methodFailed(p, ex);
            chain.put(name, null);
            skip(seed, label, name);
            return failed(name, role, ex instanceof Divergence ? "diverged: " + ex.getMessage() : ex.toString());
        }
        double secs = seconds(t0);
        listener.phaseFinished(p, secs);
        if (fingerprint(start) != fingerprint) {
            throw new IllegalStateException("method '" + m.name() + "' modified the model it was given (" + label + ", seed " + seed
                    + "); a method must return a new model and leave ctx.original() unchanged");
        }
        if (u == null || u.model() == null) throw new IllegalStateException("method '" + m.name() + "' returned no model (" + label + ", seed " + seed + ")");
        String diverged = Divergence.firstNonFinite(u.model());
        if (diverged != null) {
            chain.put(name, null);
            skip(seed, label, name);
            return failed(name, role, "diverged: " + diverged + " is not finite after unlearning (try a smaller learning rate)");
        }
        chain.put(name, u.model());
        ModelEvaluation ev = evaluate(seed, label, name, u.model(), split, secs, evaluator);
        return new MethodResult(name, role, ev.metrics(), Double.NaN, ev.perClassTestAcc(), u.notes(), null);
    }

    /** Accounts for the evaluation phase a failed method does not get. */
    private void skip(long seed, String label, String name) {
        Phase p = begin(Phase.Kind.EVALUATE, seed, label, name, 0);
        listener.phaseFinished(p, 0);
    }

    private MethodResult failed(String name, Role role, String error) {
        double nan = Double.NaN;
        double[] perClass = new double[e.numClasses()];
        Arrays.fill(perClass, nan);
        return new MethodResult(name, role, new Metrics(nan, nan, nan, nan, nan), nan, perClass, Map.of(), error);
    }

    private ModelEvaluation evaluate(long seed, String label, String name, Module model, ForgetSplit split, double secs, Evaluator evaluator) {
        Phase p = begin(Phase.Kind.EVALUATE, seed, label, name, -1);
        long t0 = System.nanoTime();
        ModelEvaluation ev = evaluator.evaluate(model, split, e.test(), e.numClasses(), secs);
        listener.phaseFinished(p, seconds(t0));
        return ev;
    }

    /** Every row with its average gap to the Retrain row (NaN when there is none or it failed). */
    private static List<MethodResult> withGaps(List<MethodResult> rows) {
        MethodResult retrain = null;
        for (MethodResult r : rows) if (r.role() == Role.RETRAIN && !r.failed()) retrain = r;
        List<MethodResult> out = new ArrayList<>(rows.size());
        for (MethodResult r : rows) out.add(r.withAvgGap(retrain == null || r.failed() ? Double.NaN : r.metrics().avgGap(retrain.metrics())));
        return out;
    }

    private Phase begin(Phase.Kind kind, long seed, String label, String method, long totalSteps) {
        Phase p = new Phase(phaseIndex++, phaseTotal, kind, seed, label, method);
        listener.phaseStarted(p, totalSteps);
        return p;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }


    /** A hash of every parameter and buffer value, to notice a method writing into the model it was handed. */
    static long fingerprint(Module m) {
        long h = 1;
        for (Map.Entry<String, Tensor> t : m.stateDict().entrySet()) {
            h = 31 * h + t.getKey().hashCode();
            h = 31 * h + Arrays.hashCode(t.getValue().toFloatArray());
        }
        return h;
    }
}
