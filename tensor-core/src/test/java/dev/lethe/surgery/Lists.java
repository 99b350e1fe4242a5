package dev.lethe.surgery;

import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Test helpers: seeded lists of odd-sized tensors, and bitwise comparison of lists. */
final class Lists {
    private Lists() {}

    /** Odd shapes like a small model's layers, including an empty tensor. */
    static final int[][] ODD_SHAPES = {{7, 11}, {7}, {1}, {0}, {3, 17}, {3}, {33, 5}, {5}};

    static List<Tensor> randn(long seed, int[]... shapes) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) out.add(Tensor.randn(seed * 1000 + i, shapes[i]));
        return out;
    }

    static List<Tensor> of(float[]... arrays) {
        List<Tensor> out = new ArrayList<>();
        for (float[] a : arrays) out.add(Tensor.fromArray(a, a.length));
        return out;
    }

    static List<Tensor> zerosLike(List<Tensor> like) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : like) out.add(Tensor.zeros(t.shape()));
        return out;
    }

    static List<Tensor> copies(List<Tensor> list) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : list) out.add(t.detach().clone());
        return out;
    }

    /** Values rounded to a few levels so that ties are common. */
    static List<Tensor> coarse(long seed, int levels, int[]... shapes) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : randn(seed, shapes)) {
            float[] a = t.toFloatArray();
            for (int i = 0; i < a.length; i++) a[i] = Math.round(a[i] * levels) / (float) levels;
            out.add(Tensor.fromArray(a, t.shape()));
        }
        return out;
    }

    static void assertSameBits(String what, List<Tensor> expected, List<Tensor> actual) {
        assertEquals(expected.size(), actual.size(), what + ": list sizes");
        for (int t = 0; t < expected.size(); t++) {
            float[] e = expected.get(t).toFloatArray(), a = actual.get(t).toFloatArray();
            assertEquals(e.length, a.length, what + ": tensor " + t + " size");
            for (int i = 0; i < e.length; i++) {
                if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                    fail(what + ": tensor " + t + " element " + i + " is " + a[i] + ", expected " + e[i]);
                }
            }
        }
    }

    /**
     * The float32 masks a bit mask over the flattened list {@code like} stands for, read one
     * bit at a time (bit f is {@code bits[f / 64] >>> (f % 64) & 1}), as a plain reference.
     */
    static List<Tensor> expand(long[] bits, List<Tensor> like) {
        List<Tensor> out = new ArrayList<>();
        long f = 0;
        for (Tensor t : like) {
            float[] m = new float[t.numel()];
            for (int i = 0; i < m.length; i++, f++) m[i] = ((bits[(int) (f / 64)] >>> (f % 64)) & 1) == 1 ? 1f : 0f;
            out.add(Tensor.fromArray(m, t.shape()));
        }
        return out;
    }

    /** w ⊙ m per tensor: the values where the mask is 1, +0 elsewhere (pruning's result). */
    static List<Tensor> keptWhere(List<Tensor> masks, List<Tensor> values) {
        List<Tensor> out = new ArrayList<>();
        for (int t = 0; t < masks.size(); t++) out.add(Tensor.where(masks.get(t), values.get(t), Tensor.zeros(masks.get(t).shape())));
        return out;
    }

    static long ones(List<Tensor> masks) {
        long n = 0;
        for (Tensor m : masks) n += ParameterMasks.countOnes(m);
        return n;
    }
}
