package dev.lethe.unlearn.harness;

import dev.lethe.train.Recipe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything a grid produced.
 *
 * @param model      the architecture name
 * @param recipe     the recipe as given (seed s replaces its shuffle seed in run s)
 * @param seeds      the seeds, in run order
 * @param numClasses K
 * @param runs       one per (seed, scenario, request), in run order
 * @param sparsity   the prune-then-unlearn sparsity every method kept (0: dense)
 * @param device     where θ0 was trained and the methods ran ("cpu", "cuda:0"; "cpu+cuda:0" for
 *                   merged runs of several devices): the seconds depend on it
 */
public record ExperimentResult(String model, Recipe recipe, List<Long> seeds, int numClasses, List<RunResult> runs, double sparsity,
                               String device) {
    public ExperimentResult {
        seeds = List.copyOf(seeds);
        runs = List.copyOf(runs);
    }

    /** The (scenario, request) pairs in first-seen order, each as the runs of every seed. */
    public List<List<RunResult>> groups() {
        Map<String, List<RunResult>> byRequest = new LinkedHashMap<>();
        for (RunResult r : runs) byRequest.computeIfAbsent(r.scenario() + "\u0000" + r.request(), k -> new ArrayList<>()).add(r);
        return List.copyOf(byRequest.values());
    }

    /** Mean ± std over seeds of every row, per (scenario, request), rows in first-seen order. */
    public List<AggregateRow> aggregate() {
        List<AggregateRow> out = new ArrayList<>();
        for (List<RunResult> group : groups()) {
            Set<String> methods = new LinkedHashSet<>();
            for (RunResult r : group) for (MethodResult m : r.results()) methods.add(m.method());
            for (String method : methods) out.add(aggregate(group, method));
        }
        return out;
    }

    private AggregateRow aggregate(List<RunResult> group, String method) {
        List<MethodResult> rows = new ArrayList<>();
        for (RunResult r : group) {
            MethodResult m = r.row(method);
            if (m != null) rows.add(m);
        }
        int n = rows.size();
        double[] ua = new double[n], ra = new double[n], ta = new double[n], mia = new double[n], sec = new double[n], gap = new double[n];
        double[] perClass = new double[numClasses];
        int[] perClassN = new int[numClasses];
        Map<String, Set<String>> notes = new TreeMap<>();
        int failures = 0;
        for (int i = 0; i < n; i++) {
            MethodResult m = rows.get(i);
            ua[i] = m.metrics().ua();
            ra[i] = m.metrics().ra();
            ta[i] = m.metrics().ta();
            mia[i] = m.metrics().miaEfficacy();
            sec[i] = m.metrics().seconds();
            gap[i] = m.avgGap();
            if (m.failed()) failures++;
            double[] pc = m.perClassTestAcc();
            for (int k = 0; k < numClasses && k < pc.length; k++) {
                if (Double.isFinite(pc[k])) {
                    perClass[k] += pc[k];
                    perClassN[k]++;
                }
            }
            m.notes().forEach((k, v) -> notes.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v));
        }
        for (int k = 0; k < numClasses; k++) perClass[k] = perClassN[k] == 0 ? Double.NaN : perClass[k] / perClassN[k];
        Map<String, String> joined = new LinkedHashMap<>();
        notes.forEach((k, vs) -> joined.put(k, String.join(", ", vs)));
        RunResult first = group.get(0);
        return new AggregateRow(first.scenario(), first.request(), first.requests(), method, rows.get(0).role(), n, Stat.of(ua), Stat.of(ra),
                Stat.of(ta), Stat.of(mia), Stat.of(sec), Stat.of(gap), perClass, joined, failures);
    }
}
