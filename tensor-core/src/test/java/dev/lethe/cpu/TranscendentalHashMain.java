package dev.lethe.cpu;

import dev.lethe.tensor.Tensor;

import java.util.List;

/**
 * Prints one hash of exp, log, tanh, sigmoid and GELU of {@code n} floats computed through
 * {@link Tensor} ops, for {@link JitTierDeterminismTest} to run in child JVMs of different JIT
 * modes. Arguments: {@code n repeats}. It computes the hash {@code repeats} times (so that in a
 * compiling JVM the first runs are interpreted and the later ones C2-compiled) and prints
 * {@code MISMATCH} if any repetition's hash differs from the first.
 */
public final class TranscendentalHashMain {
    private TranscendentalHashMain() {}

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]), repeats = Integer.parseInt(args[1]);
        Tensor x = Tensor.randn(2024, n).mul(6.0);
        long first = hash(x);
        for (int r = 1; r < repeats; r++) {
            long h = hash(x);
            if (h != first) {
                System.out.println("MISMATCH at repetition " + r + ": " + Long.toHexString(h) + " vs " + Long.toHexString(first));
                return;
            }
        }
        System.out.println("HASH " + Long.toHexString(first) + " " + Simd.describe());
    }

    static long hash(Tensor x) {
        long h = 17;
        for (Tensor y : List.of(x.exp(), x.abs().log(), x.tanh(), x.sigmoid(), x.gelu())) {
            for (float v : y.toFloatArray()) h = h * 1_000_003 + Float.floatToIntBits(v);
        }
        return h;
    }
}
