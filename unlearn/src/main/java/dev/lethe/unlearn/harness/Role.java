package dev.lethe.unlearn.harness;

/** What a result row stands for. */
public enum Role {
    /** θ0 before any unlearning: how far the starting point is from Retrain. */
    ORIGINAL,
    /** The method named {@value Harness#RETRAIN}: the gold standard, gap 0 by definition. */
    RETRAIN,
    /** Retrain from another init seed: the gap two equally good retrained models have. */
    NOISE_FLOOR,
    /** An unlearning method under test. */
    METHOD;

    /** True for the rows shown as references rather than ranked. */
    public boolean reference() {
        return this != METHOD;
    }

    /** The lower-case name written to JSON, e.g. {@code noise_floor}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
