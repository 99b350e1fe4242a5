package dev.lethe.unlearn.methods;

import dev.lethe.unlearn.Method;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry of unlearning methods by name, each with its documented defaults: what
 * {@code lethe unlearn --methods ...} and {@code lethe demo} run, and what
 * {@code --set METHOD.KEY=VALUE[,VALUE...]} overrides or sweeps.
 */
public final class Methods {
    /** Every method's spec, in report order. */
    public static final List<MethodSpec> SPECS = List.of(
            MethodSpec.withoutHyperparameters("retrain", "train from scratch on D_r with the original's recipe (the gold standard)", s -> new Retrain()),
            FineTune.SPEC, GradientAscent.SPEC, GradDiff.SPEC, RandomLabel.SPEC, L1Sparse.SPEC, SalUn.SPEC, Ssd.SPEC, Scrub.SPEC,
            BadTeacher.SPEC, GradientSurgeryUnlearning.SPEC, WagleGradDiff.SPEC);

    /** Every method's name, in report order. */
    public static final List<String> NAMES = SPECS.stream().map(MethodSpec::name).toList();

    private Methods() {}

    /**
     * The spec of the method called {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the valid ones
     */
    public static MethodSpec spec(String name) {
        for (MethodSpec s : SPECS) if (s.name().equals(name)) return s;
        throw new IllegalArgumentException("unknown method '" + name + "'; valid methods: " + String.join(", ", NAMES) + " (or all)");
    }

    /**
     * The method called {@code name}, with its defaults.
     *
     * @throws IllegalArgumentException for an unknown name, listing the valid ones
     */
    public static Method create(String name) {
        return spec(name).create();
    }

    /** {@link #parseList(String, List)} without overrides. */
    public static List<Method> parseList(String spec) {
        return parseList(spec, List.of());
    }

    /**
     * The methods of a comma-separated list such as {@code retrain,ft,salun} (spaces around
     * names ignored), in the order given; {@code all} is every method in {@link #NAMES} order.
     * Each {@code METHOD.KEY=VALUE} in {@code sets} overrides a default; several values
     * ({@code graddiff.lr=1e-4,1e-3}) sweep it: the method then appears once per combination of
     * its swept values, each named after its settings (e.g. {@code graddiff lr=1e-3}).
     *
     * @throws IllegalArgumentException for an empty list or entry, an unknown name (listing the
     *         valid ones), a name given twice, a malformed or repeated {@code --set}, one for a
     *         method not in the list, an unknown key or a value the method rejects
     */
    public static List<Method> parseList(String spec, List<String> sets) {
        List<String> names = names(spec);
        Map<String, Map<String, List<String>>> overrides = overrides(sets);
        for (String m : overrides.keySet()) {
            if (!names.contains(m)) throw new IllegalArgumentException("--set " + m + ".…: " + m + " is not among the methods (" + String.join(", ", names) + ")");
        }
        List<Method> out = new ArrayList<>();
        for (String name : names) {
            MethodSpec s = spec(name);
            for (Map<String, String> combination : combinations(overrides.getOrDefault(name, Map.of()))) out.add(s.create(combination));
        }
        return out;
    }

    private static List<String> names(String spec) {
        if (spec.isBlank()) throw new IllegalArgumentException("no methods given; valid methods: " + String.join(", ", NAMES) + " (or all)");
        if (spec.strip().equals("all")) return NAMES;
        Set<String> seen = new LinkedHashSet<>();
        for (String part : spec.split(",", -1)) {
            String name = part.strip();
            if (name.isEmpty()) throw new IllegalArgumentException("empty method name in '" + spec + "'");
            spec(name); // rejects an unknown name, listing the valid ones
            if (!seen.add(name)) throw new IllegalArgumentException("method '" + name + "' is listed twice in '" + spec + "'");
        }
        return List.copyOf(seen);
    }

    /** method → key → values, in the order given. */
    private static Map<String, Map<String, List<String>>> overrides(List<String> sets) {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        for (String set : sets) {
            int eq = set.indexOf('='), dot = set.indexOf('.');
            if (eq < 0 || dot < 0 || dot > eq || dot == 0 || dot == eq - 1) {
                throw new IllegalArgumentException("--set '" + set + "': expected METHOD.KEY=VALUE[,VALUE...], e.g. graddiff.lr=1e-3");
            }
            String method = set.substring(0, dot).strip(), key = set.substring(dot + 1, eq).strip();
            spec(method); // rejects an unknown method
            List<String> values = new ArrayList<>();
            for (String v : set.substring(eq + 1).split(",", -1)) {
                if (v.isBlank()) throw new IllegalArgumentException("--set '" + set + "': empty value");
                values.add(v.strip());
            }
            if (out.computeIfAbsent(method, m -> new LinkedHashMap<>()).put(key, values) != null) {
                throw new IllegalArgumentException("--set " + method + "." + key + " is given twice");
            }
        }
        return out;
    }

    /** Every combination of one value per key (the first key varies slowest). */
    private static List<Map<String, String>> combinations(Map<String, List<String>> values) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (String v : e.getValue()) {
                    Map<String, String> c = new LinkedHashMap<>(partial);
                    c.put(e.getKey(), v);
                    next.add(c);
                }
            }
            out = next;
        }
        return out;
    }
}
