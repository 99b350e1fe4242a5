package dev.lethe.cuda;

import dev.lethe.tensor.Shapes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Merged layouts address exactly the elements the unmerged strides do. */
class LayoutTest {
    /** Σ coord_d·stride_d for element i of shape, the plain way. */
    private static long naive(int[] shape, int[] strides, long i) {
        long off = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            off += (i % shape[d]) * strides[d];
            i /= shape[d];
        }
        return off;
    }

    private static void assertSameOffsets(int[] shape, int[]... strides) {
        Layout l = Layout.of(shape, strides);
        long n = Shapes.numel(shape);
        for (long i = 0; i < n; i++) {
            for (int k = 0; k < strides.length; k++) assertEquals(naive(shape, strides[k], i), l.offset(i, k), "element " + i + " operand " + k);
        }
    }

    @Test
    void contiguousOperandsMergeToOneDim() {
        Layout l = Layout.of(new int[] {3, 5, 7}, new int[] {35, 7, 1}, new int[] {35, 7, 1});
        assertEquals(1, l.rank());
        assertArrayEquals(new int[] {105}, l.shape());
        assertArrayEquals(new int[] {1}, l.strides(1));
    }

    @Test
    void broadcastTransposedAndNarrowedViewsKeepTheirOffsets() {
        assertSameOffsets(new int[] {3, 4}, new int[] {4, 1}, new int[] {0, 1}, new int[] {1, 0}); // out, row bcast, col bcast
        assertSameOffsets(new int[] {5, 3}, new int[] {3, 1}, new int[] {1, 5});                   // a transpose
        assertSameOffsets(new int[] {2, 3, 4, 5}, new int[] {60, 20, 5, 1}, new int[] {120, 40, 10, 1}); // narrowed last dim
        assertSameOffsets(new int[] {2, 1, 3, 1, 4}, new int[] {12, 12, 4, 4, 1}, new int[] {0, 0, 4, 4, 1});
        assertSameOffsets(new int[] {1, 7, 1}, new int[] {7, 1, 1});
    }

    @Test
    void aScalarIsOneElementOfRankOne() {
        Layout l = Layout.of(new int[0], new int[0], new int[0]);
        assertArrayEquals(new int[] {1}, l.shape());
        int[] p = l.packed();
        assertEquals(33, p.length);
        assertEquals(1, p[0]);
        assertEquals(1, p[1]);
    }

    @Test
    void unmergedKeepsEveryDimInPlace() {
        Layout l = Layout.unmerged(new int[] {2, 1, 3}, new int[] {3, 3, 1});
        assertArrayEquals(new int[] {2, 1, 3}, l.shape());
        int[] p = l.packed();
        assertEquals(3, p[0]);
        assertArrayEquals(new int[] {3, 3, 1}, java.util.Arrays.copyOfRange(p, 9, 12));
    }

    @Test
    void tooManyUnmergeableDimsAreRefusedWithTheShape() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        int[] strides = {1024, 256, 64, 16, 4, 1, 4096, 8192, 16384}; // nothing merges
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Layout.of(shape, strides));
        assertTrue(e.getMessage().contains("[2, 2, 2, 2, 2, 2, 2, 2, 2]") && e.getMessage().contains("at most 8"), e.getMessage());
    }
}
