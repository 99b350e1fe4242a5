package dev.lethe.unlearn.harness;

import dev.lethe.io.AtomicWrite;
import dev.lethe.io.Json;
import dev.lethe.train.Recipe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results as JSON (metrics in percent, times in seconds, NaN written as null).
 *
 * <p>A grid of one run (one seed, one single-request scenario) is written as that run:
 * <pre>{"scenario", "model", "seed", "request", "requests", "recipe", "sparsity", "device", "forget_size", "retain_size",
 *  "test_size", "forgotten_class", "mia_samples", "original_train_seconds",
 *  "results": [{"method", "ua", "ra", "ta", "mia_efficacy", "seconds", "avg_gap", "role",
 *               "per_class_test_acc", "notes", "error"}, ...]}</pre>
 * ({@code request} counts from 1; {@code forgotten_class} is null unless class-wise; {@code error}
 * is null unless the method threw). A larger grid is written as
 * <pre>{"model", "recipe", "sparsity", "device", "seeds", "num_classes", "runs": [run, ...],
 *  "aggregate": [{"scenario", "request", "requests", "method", "role", "seeds",
 *                 "ua_mean", "ua_std", "ra_mean", ..., "avg_gap_std", "per_class_test_acc", "notes", "failures"}, ...]}</pre>
 * with the mean and sample standard deviation over seeds (std null for one seed). {@code device}
 * says where the run computed ("cpu", "cuda:0"); files written before it existed read as "cpu".
 */
public final class ResultsJson {
    private ResultsJson() {}

    /** The JSON tree of {@code r}: a single run, or the grid with its aggregate (see the class comment). */
    public static Map<String, Object> tree(ExperimentResult r) {
        if (r.runs().size() == 1) return run(r, r.runs().get(0));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", r.model());
        o.put("recipe", recipe(r.recipe()));
        o.put("sparsity", r.sparsity());
        o.put("device", r.device());
        o.put("seeds", new ArrayList<Object>(r.seeds()));
        o.put("num_classes", r.numClasses());
        List<Object> runs = new ArrayList<>();
        for (RunResult run : r.runs()) runs.add(run(r, run));
        o.put("runs", runs);
        List<Object> agg = new ArrayList<>();
        for (AggregateRow a : r.aggregate()) agg.add(aggregate(a));
        o.put("aggregate", agg);
        return o;
    }

    /** Writes {@link #tree} to {@code file} as indented JSON, atomically. */
    public static void write(Path file, ExperimentResult r) throws IOException {
        AtomicWrite.write(file, text(r).getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #tree} as indented JSON text. */
    public static String text(ExperimentResult r) {
        return Json.writeReport(tree(r));
    }

    private static Map<String, Object> run(ExperimentResult r, RunResult run) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("scenario", run.scenario());
        o.put("model", r.model());
        o.put("seed", run.seed());
        o.put("request", run.request() + 1);
        o.put("requests", run.requests());
        o.put("recipe", recipe(r.recipe()));
        o.put("sparsity", r.sparsity());
        o.put("device", r.device());
        o.put("forget_size", run.forgetSize());
        o.put("retain_size", run.retainSize());
        o.put("test_size", run.testSize());
        o.put("forgotten_class", run.forgottenClass() < 0 ? null : run.forgottenClass());
        o.put("mia_samples", run.miaSamples());
        o.put("original_train_seconds", run.originalTrainSeconds());
        List<Object> rows = new ArrayList<>();
        for (MethodResult m : run.results()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("method", m.method());
            row.put("ua", m.metrics().ua());
            row.put("ra", m.metrics().ra());
            row.put("ta", m.metrics().ta());
            row.put("mia_efficacy", m.metrics().miaEfficacy());
            row.put("seconds", m.metrics().seconds());
            row.put("avg_gap", m.avgGap());
            row.put("role", m.role().key());
            row.put("per_class_test_acc", list(m.perClassTestAcc()));
            row.put("notes", new LinkedHashMap<String, Object>(new java.util.TreeMap<>(m.notes())));
            row.put("error", m.error());
            rows.add(row);
        }
        o.put("results", rows);
        return o;
    }

    private static Map<String, Object> aggregate(AggregateRow a) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("scenario", a.scenario());
        o.put("request", a.request() + 1);
        o.put("requests", a.requests());
        o.put("method", a.method());
        o.put("role", a.role().key());
        o.put("seeds", a.seeds());
        stat(o, "ua", a.ua());
        stat(o, "ra", a.ra());
        stat(o, "ta", a.ta());
        stat(o, "mia_efficacy", a.miaEfficacy());
        stat(o, "seconds", a.seconds());
        stat(o, "avg_gap", a.avgGap());
        o.put("per_class_test_acc", list(a.perClassTestAcc()));
        o.put("notes", new LinkedHashMap<String, Object>(a.notes()));
        o.put("failures", a.failures());
        return o;
    }

    private static void stat(Map<String, Object> o, String key, Stat s) {
        o.put(key + "_mean", s.mean());
        o.put(key + "_std", s.std());
    }

    private static Map<String, Object> recipe(Recipe r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("epochs", r.epochs());
        o.put("batch_size", r.batchSize());
        o.put("lr", r.lr());
        o.put("schedule", r.schedule().name().toLowerCase(java.util.Locale.ROOT));
        o.put("momentum", r.momentum());
        o.put("weight_decay", r.weightDecay());
        o.put("seed", r.seed());
        return o;
    }

    private static List<Object> list(double[] xs) {
        List<Object> l = new ArrayList<>(xs.length);
        for (double x : xs) l.add(x);
        return l;
    }
}
