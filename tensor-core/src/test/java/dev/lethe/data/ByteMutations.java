package dev.lethe.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Random damage for loader fuzz tests: overwrite a few bytes, cut the tail, or insert bytes. */
public final class ByteMutations {
    private ByteMutations() {}

    public static byte[] mutate(byte[] valid, SplittableRandom rnd) {
        byte[] f = valid.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> { // a few random bytes, biased to the header where the structure lives
                int k = 1 + rnd.nextInt(3);
                for (int j = 0; j < k; j++) {
                    int at = rnd.nextBoolean() ? rnd.nextInt(Math.min(f.length, 64)) : rnd.nextInt(f.length);
                    f[at] = (byte) rnd.nextInt(256);
                }
            }
            case 1 -> f = Arrays.copyOf(f, rnd.nextInt(f.length));
            case 2 -> { // insert bytes somewhere
                int at = rnd.nextInt(f.length + 1), k = 1 + rnd.nextInt(8);
                byte[] g = new byte[f.length + k];
                System.arraycopy(f, 0, g, 0, at);
                for (int j = 0; j < k; j++) g[at + j] = (byte) rnd.nextInt(256);
                System.arraycopy(f, at, g, at + k, f.length - at);
                f = g;
            }
            default -> { // extreme values in one 4- or 8-byte field
                int at = rnd.nextInt(Math.max(1, Math.min(f.length, 64) - 8));
                byte fill = rnd.nextBoolean() ? (byte) 0xFF : (byte) 0x7F;
                for (int j = 0; j < 4 + 4 * rnd.nextInt(2) && at + j < f.length; j++) f[at + j] = fill;
            }
        }
        return f;
    }
}
