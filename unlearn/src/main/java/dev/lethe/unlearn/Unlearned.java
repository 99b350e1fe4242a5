package dev.lethe.unlearn;

import dev.lethe.nn.Module;

import java.util.Map;

/**
 * What a method returns.
 *
 * @param model the unlearned model (a new module; the original is never modified)
 * @param notes choices the method made that a reader of the report needs, e.g. GA's selected
 *              learning rate and epochs, or SalUn's mask sparsity (insertion-ordered)
 */
public record Unlearned(Module model, Map<String, String> notes) {
    public Unlearned {
        notes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(notes));
    }

    /** A result with nothing to note. */
    public static Unlearned of(Module model) {
        return new Unlearned(model, Map.of());
    }
}
