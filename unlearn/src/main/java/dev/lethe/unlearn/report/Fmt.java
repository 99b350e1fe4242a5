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

    /**
     * {@code x} to three significant digits, trailing zeros dropped ("12.3456" → "12.3",
     * "0.23456" → "0.235", "100" → "100"), or {@link #NONE} when not finite: bar labels and
     * ticks of a time axis, whose values span several decades.
     */
    static String significant3(double x) {
        if (!Double.isFinite(x)) return NONE;
        if (x == 0) return "0";
        return new java.math.BigDecimal(x).round(new java.math.MathContext(3, java.math.RoundingMode.HALF_EVEN)).stripTrailingZeros().toPlainString();
    }

    /** Seconds: three significant-ish decimals below 10 s, one above. */
    static String seconds(Stat s) {
        if (s.n() == 0) return NONE;
        return stat(s, Math.abs(s.mean()) < 10 ? 2 : 1);
    }
}
