package dev.lethe.unlearn.harness;

import dev.lethe.io.Json;
import dev.lethe.train.Recipe;
import dev.lethe.unlearn.Metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads back what {@link ResultsJson} wrote: a single run or a grid (its {@code aggregate}
 * is ignored, since it is recomputed from the runs). A JSON null in a number field is NaN,
 * as the writer wrote it. Any other deviation — a missing key, a string where a number
 * belongs, an unknown role — is refused with the file, the path to the field and what was
 * expected, e.g. {@code cnn1.json: runs[0].results[3].ua: expected a number, got "x"}.
 */
public final class ResultsJsonReader {
    private final String file;

    private ResultsJsonReader(String file) {
        this.file = file;
    }

    /**
     * The grid stored in {@code file}.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if it is not a results JSON, naming the file and the field
     */
    public static ExperimentResult read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": not a file");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        ResultsJsonReader r = new ResultsJsonReader(file.toString());
        Object tree;
        try {
            tree = Json.parseReport(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        return r.experiment(r.map(tree, "the top level"));
    }

    private ExperimentResult experiment(Map<?, ?> top) {
        if (!top.containsKey("runs")) { // a single run: the writer's form for one seed and one request
            RunResult run = run(top, "");
            return new ExperimentResult(string(top, "model", ""), recipe(top, ""), List.of(run.seed()),
                    run.results().isEmpty() ? 0 : run.results().get(0).perClassTestAcc().length, List.of(run), number(top, "sparsity", ""), device(top));
        }
        List<Long> seeds = new ArrayList<>();
        List<?> seedList = list(top, "seeds", "");
        for (int i = 0; i < seedList.size(); i++) seeds.add(integer(seedList.get(i), "seeds[" + i + "]"));
        List<RunResult> runs = new ArrayList<>();
        List<?> runList = list(top, "runs", "");
        for (int i = 0; i < runList.size(); i++) runs.add(run(map(runList.get(i), "runs[" + i + "]"), "runs[" + i + "]."));
        return new ExperimentResult(string(top, "model", ""), recipe(top, ""), seeds, (int) integer(top, "num_classes", ""), runs,
                number(top, "sparsity", ""), device(top));
    }

    /** The device field; "cpu" for files written before it existed. */
    private String device(Map<?, ?> top) {
        return top.containsKey("device") ? string(top, "device", "") : "cpu";
    }

    private RunResult run(Map<?, ?> o, String at) {
        List<MethodResult> rows = new ArrayList<>();
        List<?> list = list(o, "results", at);
        for (int i = 0; i < list.size(); i++) rows.add(row(map(list.get(i), at + "results[" + i + "]"), at + "results[" + i + "]."));
        Object forgotten = field(o, "forgotten_class", at);
        return new RunResult(integer(o, "seed", at), string(o, "scenario", at), (int) integer(o, "request", at) - 1, (int) integer(o, "requests", at),
                (int) integer(o, "forget_size", at), (int) integer(o, "retain_size", at), (int) integer(o, "test_size", at),
                forgotten == null ? -1 : (int) integer(forgotten, at + "forgotten_class"), (int) integer(o, "mia_samples", at),
                number(o, "original_train_seconds", at), rows);
    }

    private MethodResult row(Map<?, ?> o, String at) {
        Metrics m = new Metrics(number(o, "ua", at), number(o, "ra", at), number(o, "ta", at), number(o, "mia_efficacy", at), number(o, "seconds", at));
        List<?> pcList = list(o, "per_class_test_acc", at);
        double[] perClass = new double[pcList.size()];
        for (int k = 0; k < perClass.length; k++) perClass[k] = number(pcList.get(k), at + "per_class_test_acc[" + k + "]");
        Map<String, String> notes = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map(field(o, "notes", at), at + "notes").entrySet()) {
            notes.put((String) e.getKey(), string(e.getValue(), at + "notes." + e.getKey()));
        }
        Object error = field(o, "error", at);
        return new MethodResult(string(o, "method", at), role(string(o, "role", at), at + "role"), m, number(o, "avg_gap", at), perClass, notes,
                error == null ? null : string(error, at + "error"));
    }

    private Recipe recipe(Map<?, ?> o, String at) {
        Map<?, ?> r = map(field(o, "recipe", at), at + "recipe");
        String in = at + "recipe.";
        int epochs = (int) integer(r, "epochs", in), batch = (int) integer(r, "batch_size", in);
        double lr = number(r, "lr", in), momentum = number(r, "momentum", in), decay = number(r, "weight_decay", in);
        String schedule = string(r, "schedule", in);
        long seed = integer(r, "seed", in);
        try {
            return new Recipe(epochs, batch, lr, Recipe.Schedule.parse(schedule), momentum, decay, seed);
        } catch (IllegalArgumentException e) {
            throw fail(at + "recipe", e.getMessage());
        }
    }

    private Role role(String key, String at) {
        for (Role r : Role.values()) if (r.key().equals(key)) return r;
        throw fail(at, "unknown role \"" + key + "\"; expected original, retrain, noise_floor or method");
    }

    // ---------------------------------------------------------------- typed fields

    private Object field(Map<?, ?> o, String key, String at) {
        if (!o.containsKey(key)) throw fail(at + key, "missing");
        return o.get(key);
    }

    private Map<?, ?> map(Object v, String at) {
        if (v instanceof Map<?, ?> m) return m;
        throw expected(at, "an object", v);
    }

    private List<?> list(Map<?, ?> o, String key, String at) {
        Object v = field(o, key, at);
        if (v instanceof List<?> l) return l;
        throw expected(at + key, "an array", v);
    }

    private String string(Map<?, ?> o, String key, String at) {
        return string(field(o, key, at), at + key);
    }

    private String string(Object v, String at) {
        if (v instanceof String s) return s;
        throw expected(at, "a string", v);
    }

    /** A number; null (how the writer writes NaN) reads as NaN. */
    private double number(Map<?, ?> o, String key, String at) {
        return number(field(o, key, at), at + key);
    }

    private double number(Object v, String at) {
        if (v == null) return Double.NaN;
        if (v instanceof Number n) return n.doubleValue();
        throw expected(at, "a number", v);
    }

    private long integer(Map<?, ?> o, String key, String at) {
        return integer(field(o, key, at), at + key);
    }

    private long integer(Object v, String at) {
        if (v instanceof Long n) return n;
        throw expected(at, "an integer", v);
    }

    private IllegalArgumentException expected(String at, String what, Object got) {
        String shown = got instanceof String s ? "\"" + s + "\"" : got instanceof Map ? "an object" : got instanceof List ? "an array" : String.valueOf(got);
        return fail(at, "expected " + what + ", got " + shown);
    }

    private IllegalArgumentException fail(String at, String what) {
        return new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s: %s", file, at, what));
    }
}
