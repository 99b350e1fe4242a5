package dev.lethe.cuda.check;

import java.util.Arrays;

/** Assertions for the GPU checks (no JUnit on a bare GPU host): each throws an {@link AssertionError} naming what differed. */
public final class Expect {
    private Expect() {}

    /** |expected − actual| ≤ atol + rtol·|expected| for every element (NaN only matches NaN). */
    public static void close(String what, float[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) throw new AssertionError(what + ": " + actual.length + " values, expected " + expected.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            if (Float.isNaN(e) || Float.isNaN(a)) {
                if (Float.isNaN(e) != Float.isNaN(a)) throw new AssertionError(what + ": element " + i + " is " + a + ", expected " + e);
                continue;
            }
            if (e == a) continue; // also equal infinities
            double err = Math.abs((double) e - a);
            if (err > atol + rtol * Math.abs(e)) {
                throw new AssertionError(what + ": element " + i + " of " + expected.length + " is " + a + ", expected " + e + " (|diff| " + err + " > "
                        + atol + " + " + rtol + "·|expected|)");
            }
            worst = Math.max(worst, err);
        }
    }

    /** Bit for bit. */
    public static void same(String what, float[] expected, float[] actual) {
        if (!Arrays.equals(expected, actual)) {
            int i = 0;
            while (i < Math.min(expected.length, actual.length) && Float.compare(expected[i], actual[i]) == 0) i++;
            throw new AssertionError(what + ": differs at element " + i + " (lengths " + expected.length + " and " + actual.length + ")"
                    + (i < Math.min(expected.length, actual.length) ? ": " + actual[i] + ", expected " + expected[i] : ""));
        }
    }

    public static void isTrue(boolean condition, String message) {
        if (!condition) throw new AssertionError(message);
    }

    public static void equal(Object expected, Object actual, String what) {
        if (!java.util.Objects.equals(expected, actual)) throw new AssertionError(what + ": " + actual + ", expected " + expected);
    }
}
