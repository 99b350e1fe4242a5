package dev.lethe.unlearn.methods;

import java.util.ArrayList;
import java.util.List;

/**
 * One settable hyperparameter of an unlearning method, as {@code lethe methods} lists it and
 * {@code lethe unlearn --set METHOD.KEY=VALUE} sets it.
 *
 * @param key          the name after the method's, e.g. {@code lr} in {@code graddiff.lr}
 * @param defaultValue the documented default, written as a user would type it; a list of
 *                     candidates is written with {@value MethodSettings#LIST_SEPARATOR}
 * @param meaning      what it controls, in one line
 */
public record Hyperparameter(String key, String defaultValue, String meaning) {
    public Hyperparameter {
        if (!key.matches("[a-z][a-z0-9_]*")) throw new IllegalArgumentException("hyperparameter key '" + key + "' must be lower-case letters, digits and _");
    }

    /** {@code first} followed by {@code more}. */
    public static List<Hyperparameter> concat(List<Hyperparameter> first, Hyperparameter... more) {
        List<Hyperparameter> out = new ArrayList<>(first);
        out.addAll(List.of(more));
        return out;
    }
}
