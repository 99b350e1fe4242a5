package dev.lethe.unlearn.methods;

import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A method's name, its hyperparameters with their documented defaults, and how to build it
 * from their values: the single place each default lives (the method's no-argument
 * constructor reads them from here).
 *
 * @param name            the method's name on the command line and in reports
 * @param summary         what it does, in one line
 * @param hyperparameters every settable hyperparameter, in the order {@code lethe methods} lists them
 * @param factory         builds the method from settings; it must read every hyperparameter
 */
public record MethodSpec(String name, String summary, List<Hyperparameter> hyperparameters, Function<MethodSettings, Method> factory) {
    public MethodSpec {
        hyperparameters = List.copyOf(hyperparameters);
        if (hyperparameters.stream().map(Hyperparameter::key).distinct().count() != hyperparameters.size()) {
            throw new IllegalArgumentException(name + ": a hyperparameter key is listed twice in " + hyperparameters);
        }
    }

    /** A spec without hyperparameters (Retrain: it follows the original's recipe). */
    public static MethodSpec withoutHyperparameters(String name, String summary, Function<MethodSettings, Method> factory) {
        return new MethodSpec(name, summary, List.of(), factory);
    }

    /** The defaults. */
    public MethodSettings defaults() {
        return settings(Map.of());
    }

    /** The method with its defaults. */
    public Method create() {
        return create(Map.of());
    }

    /**
     * The method with {@code overrides} (key → value text) applied to the defaults. A method
     * with overrides is named after them, e.g. {@code graddiff lr=1e-3}, so its rows stay
     * apart from the default's in a report.
     *
     * @throws IllegalArgumentException for an unknown key (listing the valid ones), a value that
     *         does not parse, or one the method's constructor rejects
     */
    public Method create(Map<String, String> overrides) {
        MethodSettings s = settings(overrides);
        Method m = factory.apply(s);
        if (!s.unread().isEmpty()) throw new IllegalStateException(name + ": the factory ignores the hyperparameters " + s.unread());
        if (overrides.isEmpty()) return m;
        String label = name + " " + overrides.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().strip()).collect(Collectors.joining(" "));
        return new Labelled(label, m);
    }

    private MethodSettings settings(Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Hyperparameter h : hyperparameters) values.put(h.key(), h.defaultValue());
        for (String key : overrides.keySet()) {
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException(hyperparameters.isEmpty() ? name + " has no hyperparameters (it follows the original's training recipe)"
                        : name + " has no hyperparameter '" + key + "'; its hyperparameters: " + String.join(", ", values.keySet()));
            }
        }
        values.putAll(overrides);
        return new MethodSettings(name, values);
    }

    /** A configured method under the name that says how it was configured. */
    private record Labelled(String name, Method method) implements Method {
        @Override
        public Unlearned unlearn(UnlearnContext ctx) {
            return method.unlearn(ctx);
        }
    }
}
