package dev.lethe.unlearn.methods;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values of one method's hyperparameters: the defaults of its {@link MethodSpec} with the
 * user's overrides applied. Reads are typed and fail with a message that names
 * {@code method.key} and the text that did not parse; the ranges are checked by the method's
 * constructor. The settings remember which keys were read, so a spec whose factory ignores one
 * of its own hyperparameters is caught when the method is built.
 */
public final class MethodSettings {
    /** Separates the candidates of a list-valued hyperparameter, e.g. {@code 1e-4:1e-3}. */
    public static final String LIST_SEPARATOR = ":";

    private final String method;
    private final Map<String, String> values;
    private final Set<String> read = new HashSet<>();

    MethodSettings(String method, Map<String, String> values) {
        this.method = method;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** A real number, e.g. {@code 5e-3}. */
    public double real(String key) {
        return parseReal(key, text(key));
    }

    /** An integer, e.g. {@code 128}. */
    public int integer(String key) {
        return parseInt(key, text(key));
    }

    /** A {@value #LIST_SEPARATOR}-separated list of real numbers (one value is a list of one). */
    public double[] reals(String key) {
        List<String> parts = parts(key);
        double[] out = new double[parts.size()];
        for (int i = 0; i < out.length; i++) out[i] = parseReal(key, parts.get(i));
        return out;
    }

    /** A {@value #LIST_SEPARATOR}-separated list of integers (one value is a list of one). */
    public int[] integers(String key) {
        List<String> parts = parts(key);
        int[] out = new int[parts.size()];
        for (int i = 0; i < out.length; i++) out[i] = parseInt(key, parts.get(i));
        return out;
    }

    /** A number as a user would type it: 1e-4 rather than 1.0E-4, 5 rather than 5.0. */
    public static String text(double v) {
        return Double.toString(v).replace(".0E", "e").replace("E", "e").replaceAll("\\.0$", "");
    }

    /** The keys no read has asked for yet. */
    Set<String> unread() {
        Set<String> out = new java.util.TreeSet<>(values.keySet());
        out.removeAll(read);
        return out;
    }

    private String text(String key) {
        String v = values.get(key);
        if (v == null) throw new IllegalStateException(method + " has no hyperparameter '" + key + "' (its spec lists " + values.keySet() + ")");
        read.add(key);
        return v.strip();
    }

    private List<String> parts(String key) {
        String v = text(key);
        List<String> out = new ArrayList<>();
        for (String p : v.split(LIST_SEPARATOR, -1)) {
            if (p.isBlank()) throw new IllegalArgumentException(method + "." + key + " = '" + v + "': empty entry in the list (entries are separated by '" + LIST_SEPARATOR + "')");
            out.add(p.strip());
        }
        return out;
    }

    private double parseReal(String key, String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(method + "." + key + " = '" + s + "' is not a number");
        }
    }

    private int parseInt(String key, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(method + "." + key + " = '" + s + "' is not an integer");
        }
    }
}
