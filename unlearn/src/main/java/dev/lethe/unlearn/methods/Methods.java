package dev.lethe.unlearn.methods;

import dev.lethe.unlearn.Method;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The registry of unlearning methods by name, each with its documented defaults: what
 * {@code lethe unlearn --methods ...} and {@code lethe demo} run.
 */
public final class Methods {
    /** Every method, in report order. */
    public static final List<String> NAMES = List.of(
            "retrain", "ft", "ga", "graddiff", "rl", "l1sparse", "salun", "ssd", "scrub", "badteacher", "surgery", "wagle");

    private Methods() {}

    /**
     * The method called {@code name}, with its defaults.
     *
     * @throws IllegalArgumentException for an unknown name, listing the valid ones
     */
    public static Method create(String name) {
        return switch (name) {
            case "retrain" -> new Retrain();
            case "ft" -> new FineTune();
            case "ga" -> new GradientAscent();
            case "graddiff" -> new GradDiff();
            case "rl" -> new RandomLabel();
            case "l1sparse" -> new L1Sparse();
            case "salun" -> new SalUn();
            case "ssd" -> new Ssd();
            case "scrub" -> new Scrub();
            case "badteacher" -> new BadTeacher();
            case "surgery" -> new GradientSurgeryUnlearning();
            case "wagle" -> new WagleGradDiff();
            default -> throw new IllegalArgumentException("unknown method '" + name + "'; valid methods: " + String.join(", ", NAMES) + " (or all)");
        };
    }

    /**
     * The methods of a comma-separated list such as {@code retrain,ft,salun} (spaces around
     * names ignored), in the order given; {@code all} is every method in {@link #NAMES} order.
     *
     * @throws IllegalArgumentException for an empty list or entry, an unknown name (listing the
     *         valid ones), or a name given twice
     */
    public static List<Method> parseList(String spec) {
        if (spec.isBlank()) throw new IllegalArgumentException("no methods given; valid methods: " + String.join(", ", NAMES) + " (or all)");
        if (spec.strip().equals("all")) return NAMES.stream().map(Methods::create).toList();
        Set<String> seen = new LinkedHashSet<>();
        List<Method> out = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            String name = part.strip();
            if (name.isEmpty()) throw new IllegalArgumentException("empty method name in '" + spec + "'");
            if (!seen.add(name)) throw new IllegalArgumentException("method '" + name + "' is listed twice in '" + spec + "'");
            out.add(create(name));
        }
        return out;
    }
}
