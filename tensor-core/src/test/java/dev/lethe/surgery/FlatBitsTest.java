package dev.lethe.surgery;

import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The bit-mask helpers against one-bit-at-a-time loops, at every bit offset a mask can start
 * at (a tensor of a flattened list starts anywhere), on odd lengths around the 64-entry word
 * and the vector width.
 */
@Tag("kernels")
class FlatBitsTest {
    private static final int[] LENGTHS = {0, 1, 3, 7, 15, 17, 33, 63, 64, 65, 127, 128, 129, 1000};
    private static final int[] BASES = {0, 1, 5, 31, 63, 64, 65, 100};

    private static long[] randomBits(long seed, int words) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] bits = new long[words];
        for (int i = 0; i < words; i++) bits[i] = r.nextLong();
        return bits;
    }

    private static boolean bit(long[] bits, long f) {
        return ((bits[(int) (f / 64)] >>> (f % 64)) & 1) == 1;
    }

    @Test
    void expandKeepWhereAndCountReadTheBitsAtAnyOffset() {
        for (int base : BASES) {
            for (int n : LENGTHS) {
                long[] bits = randomBits(31L * base + n, (base + n) / 64 + 1);
                float[] m = new float[n + 3];
                FlatBits.expand(bits, base, m, 2, n);
                float[] x = Tensor.randn(n, n + 3).toFloatArray(), kept = x.clone();
                FlatBits.keepWhere(bits, base, kept, 1, n);
                long ones = 0;
                for (int i = 0; i < n; i++) {
                    boolean b = bit(bits, base + i);
                    if (b) ones++;
                    assertEquals(b ? 1f : 0f, m[2 + i], "expand base " + base + " n " + n + " i " + i);
                    assertEquals(Float.floatToRawIntBits(b ? x[1 + i] : 0f), Float.floatToRawIntBits(kept[1 + i]), "keepWhere base " + base + " n " + n + " i " + i);
                }
                assertEquals(0f, m[0]);
                assertEquals(0f, m[1]);
                assertEquals(0f, m[n + 2], "expand writes nothing past n");
                assertEquals(x[0], kept[0]);
                assertEquals(x[n + 1], kept[n + 1], "keepWhere writes nothing past n");
                assertEquals(ones, FlatBits.count(bits, base, base + n), "count base " + base + " n " + n);
            }
        }
    }

    @Test
    void packAndOrSetExactlyTheirBits() {
        for (int base : BASES) {
            for (int n : LENGTHS) {
                float[] src = new float[n];
                SplittableRandom r = new SplittableRandom(base * 1000L + n);
                for (int i = 0; i < n; i++) src[i] = r.nextBoolean() ? 1f : 0f;
                long[] bits = new long[(base + n) / 64 + 2];
                assertEquals(-1, FlatBits.pack(src, 0, n, bits, base));
                long[] viaOr = new long[bits.length];
                for (int i = 0; i < n; i += 64) {
                    long word = 0;
                    for (int j = 0; j < 64 && i + j < n; j++) if (src[i + j] == 1f) word |= 1L << j;
                    FlatBits.or(viaOr, base + i, word);
                }
                assertArrayEquals(bits, viaOr, "or base " + base + " n " + n);
                for (long f = 0; f < 64L * bits.length; f++) {
                    boolean expected = f >= base && f < base + n && src[(int) (f - base)] == 1f;
                    assertEquals(expected, bit(bits, f), "pack base " + base + " n " + n + " bit " + f);
                    if (f < base + n) assertEquals(bit(bits, f), FlatBits.get(bits, f));
                }
                if (n > 0) {
                    assertEquals(FlatBits.word(bits, base) & (n >= 64 ? -1L : (1L << n) - 1), viaWord(src, n), "word base " + base + " n " + n);
                }
            }
        }
        float[] bad = {0f, 1f, 0.5f};
        assertEquals(2, FlatBits.pack(bad, 0, 3, new long[1], 0));
        assertEquals(0, FlatBits.pack(new float[] {Float.NaN}, 0, 1, new long[1], 0));
    }

    private static long viaWord(float[] src, int n) {
        long w = 0;
        for (int j = 0; j < Math.min(64, n); j++) if (src[j] == 1f) w |= 1L << j;
        return w;
    }

    @Test
    void aListsBitsAreNumberedByTheFlattenedIndex() {
        List<Tensor> shapes = Lists.randn(41, Lists.ODD_SHAPES);
        FlatList list = FlatList.input("t", "x", shapes);
        long[] bits = randomBits(42, (int) (list.total / 64 + 1));
        List<Tensor> masks = Lists.zerosLike(shapes);
        FlatBits.expand(bits, FlatList.output("t", "m", masks));
        Lists.assertSameBits("expand over a list", Lists.expand(bits, shapes), masks);
        assertArrayEquals(bits.length == 0 ? bits : trimmed(bits, list.total), FlatBits.pack(FlatList.input("t", "m", masks)));
    }

    /** {@code bits} with every bit from {@code n} on cleared. */
    private static long[] trimmed(long[] bits, long n) {
        long[] out = new long[(int) ((n + 63) / 64)];
        for (long f = 0; f < n; f++) if (bit(bits, f)) out[(int) (f / 64)] |= 1L << f;
        return out;
    }
}
