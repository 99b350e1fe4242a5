package dev.lethe.unlearn.methods;

import dev.lethe.nn.Module;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bitwise comparisons of weights for the method tests. */
final class Weights {
    private Weights() {}

    /** Every parameter and buffer of the two state dicts has the same bits. */
    static void assertBitwiseEqual(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": keys");
        expected.forEach((k, t) -> assertTrue(Arrays.equals(bits(t), bits(actual.get(k))), what + ": " + k + " differs"));
    }

    static void assertBitwiseEqual(Module expected, Module actual, String what) {
        assertBitwiseEqual(expected.stateDict(), actual.stateDict(), what);
    }

    static int[] bits(Tensor t) {
        float[] f = t.toFloatArray();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) b[i] = Float.floatToRawIntBits(f[i]);
        return b;
    }

    /** How many entries of the two tensors differ. */
    static long changed(Tensor a, Tensor b) {
        float[] x = a.toFloatArray(), y = b.toFloatArray();
        long n = 0;
        for (int i = 0; i < x.length; i++) if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) n++;
        return n;
    }
}
