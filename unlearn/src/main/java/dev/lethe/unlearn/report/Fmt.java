package dev.lethe.unlearn.report;

import dev.lethe.unlearn.harness.Stat;

import java.util.Locale;

/** How numbers appear in the reports: fixed decimals, "mean ± std" over several seeds, "—" for none. */
final class Fmt {
    /** What a missing number (NaN, a failed run) reads as. */
    static final String NONE = "—";

    private Fmt() {}

    /** {@code x} with {@code decimals} decimals, or {@link #NONE} when not finite. */
    static String num(double x, int decimals) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%." + decimals + "f", x) : NONE;
    }

    /** "mean ± std" (two decimals), just the mean for one seed, {@link #NONE} for no value. */
    static String stat(Stat s) {
        return stat(s, 2);
    }

    static String stat(Stat s, int decimals) {
        if (s.n() == 0) return NONE;
        return Double.isFinite(s.std()) ? num(s.mean(), decimals) + " ± " + num(s.std(), decimals) : num(s.mean(), decimals);
    }

    /** Seconds: three significant-ish decimals below 10 s, one above. */
    static String seconds(Stat s) {
        if (s.n() == 0) return NONE;
        return stat(s, Math.abs(s.mean()) < 10 ? 2 : 1);
    }
}
