package dev.lethe.unlearn.scenario;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class SamplingTest {
    @Test
    void drawsDistinctSortedElementsAsAFunctionOfTheSeed() {
        int[] from = {50, 10, 40, 30, 20, 60, 70};
        int[] a = Sampling.withoutReplacement(from, 4, 9);
        assertEquals(4, a.length);
        for (int i = 1; i < a.length; i++) assertTrue(a[i - 1] < a[i]);
        for (int v : a) assertTrue(Arrays.stream(from).anyMatch(f -> f == v));
        assertArrayEquals(a, Sampling.withoutReplacement(from, 4, 9));
        assertArrayEquals(new int[] {10, 20, 30, 40, 50, 60, 70}, Sampling.withoutReplacement(from, 7, 9), "m = n takes everything");
        assertEquals(50, from[0], "the input is not shuffled in place");
    }

    @Test
    void everyElementCanBeDrawn() {
        int[] hits = new int[10];
        for (long seed = 0; seed < 200; seed++) for (int i : Sampling.indices(10, 3, seed)) hits[i]++;
        for (int h : hits) assertTrue(h > 30 && h < 90, Arrays.toString(hits));
    }

    @Test
    void refusesTooMany() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sampling.indices(3, 4, 0)).getMessage().contains("4 of 3"));
    }
}
