package dev.lethe.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How reductions are laid out as [outer, r, inner] for the reduce kernels. */
class ReduceShapeTest {
    @Test
    void adjacentDimsSplitTheShapeInThree() {
        assertArrayEquals(new int[] {2, 15, 7}, ReduceShape.of(new int[] {2, 3, 5, 7}, new int[] {1, 2}));
        assertArrayEquals(new int[] {1, 6, 1}, ReduceShape.of(new int[] {2, 3}, new int[] {0, 1}));
        assertArrayEquals(new int[] {6, 1, 1}, ReduceShape.of(new int[] {6, 1}, new int[] {1}));
        assertTrue(ReduceShape.adjacent(new int[] {1, 2, 3}));
        assertFalse(ReduceShape.adjacent(new int[] {0, 2}));
    }

    @Test
    void nonAdjacentDimsMoveLastWithKeptOrderFirst() {
        assertArrayEquals(new int[] {1, 3, 0, 2}, ReduceShape.reducedLast(4, new int[] {0, 2}));
        int[] ori = ReduceShape.of(new int[] {2, 3, 5, 7}, new int[] {0, 2});
        assertArrayEquals(new int[] {21, 10}, new int[] {ori[0] * ori[2], ori[1]}, "kept 3·7, reduced 2·5");
    }
}
