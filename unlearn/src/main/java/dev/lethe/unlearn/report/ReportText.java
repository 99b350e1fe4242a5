package dev.lethe.unlearn.report;

import dev.lethe.train.Recipe;
import dev.lethe.unlearn.harness.AggregateRow;
import dev.lethe.unlearn.harness.ExperimentResult;
import dev.lethe.unlearn.harness.MethodResult;
import dev.lethe.unlearn.harness.RunResult;
import dev.lethe.unlearn.harness.Stat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The sentences both report formats share (plain text; each format escapes it its own way). */
final class ReportText {
    private ReportText() {}

    /** Metric name and one sentence on what it measures and what good looks like. */
    static final List<String[]> METRICS = List.of(
            new String[] {"UA", "unlearning accuracy, 100 − accuracy on the forget set D_f; good is close to Retrain's UA, not 100: a model that never saw D_f still classifies much of it right."},
            new String[] {"RA", "accuracy on the retain set D_r; good is close to Retrain's RA — the model keeps what it should keep."},
            new String[] {"TA", "accuracy on the test set D_t (without the forgotten class for class-wise requests); good is close to Retrain's TA."},
            new String[] {"MIA-efficacy", "share of D_f that a membership-inference attacker (an RBF SVM, C = 3, γ = 1, on the true-label confidence, trained on n retain samples as members and n test samples as non-members) calls non-member; good is close to Retrain's value."},
            new String[] {"seconds", "wall-clock time of the unlearning step alone (not the evaluation); the point of unlearning is to be much faster than Retrain."},
            new String[] {"avg gap", "mean of |method − Retrain| over UA, RA, TA and MIA-efficacy, in percentage points: the ranking key, 0 is ideal. The noise-floor row (Retrain from another init seed) shows the gap two equally good retrained models have; gaps below it are noise."});

    static String recipe(Recipe r) {
        return String.format(Locale.ROOT, "%d epochs, batch %d, lr %s %s, momentum %s, weight decay %s", r.epochs(), r.batchSize(), num(r.lr()),
                r.schedule().name().toLowerCase(Locale.ROOT), num(r.momentum()), num(r.weightDecay()));
    }

    /** The recipe, the prune-then-unlearn sparsity when the grid had one, and the device when not the CPU. */
    static String setup(ExperimentResult r) {
        return recipe(r.recipe()) + (r.sparsity() == 0 ? ""
                : String.format(Locale.ROOT, "; prune-then-unlearn: %s%% of the conv/linear weights pruned (OMP on θ0), every method keeps the mask",
                        num(100 * r.sparsity())))
                + (r.device().equals("cpu") ? "" : "; computed on " + r.device());
    }

    static String seeds(ExperimentResult r) {
        return r.seeds().stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** Sizes of the request's sets and the attacker's n, e.g. {@code |D_f| = 1000, |D_r| = 9000, |D_t| = 2000, MIA n = 2000}. */
    static String sizes(List<RunResult> runs) {
        RunResult r = runs.get(0);
        String s = "|D_f| = " + r.forgetSize() + ", |D_r| = " + r.retainSize() + ", |D_t| = " + r.testSize() + ", MIA attacker n = " + r.miaSamples()
                + " members + " + r.miaSamples() + " non-members";
        if (r.forgottenClass() >= 0) s += ", forgotten class " + r.forgottenClass();
        double[] train = runs.stream().mapToDouble(RunResult::originalTrainSeconds).toArray();
        Stat t = Stat.of(train);
        if (t.n() > 0) s += "; original trained in " + Fmt.seconds(t) + " s";
        return s;
    }

    /** One line per row with notes: {@code method: key = value, …}. */
    static List<String> notes(List<AggregateRow> rows) {
        List<String> out = new ArrayList<>();
        for (AggregateRow r : rows) {
            if (r.notes().isEmpty()) continue;
            out.add(r.method() + ": " + r.notes().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining("; ")));
        }
        return out;
    }

    /** One line per failed (seed, row): {@code method, seed s: error}. */
    static List<String> failures(List<RunResult> runs) {
        List<String> out = new ArrayList<>();
        for (RunResult run : runs) {
            for (MethodResult m : run.results()) if (m.failed()) out.add(m.method() + ", seed " + run.seed() + ": " + m.error());
        }
        return out;
    }

    private static String num(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e6 ? Long.toString((long) x) : Double.toString(x);
    }
}
