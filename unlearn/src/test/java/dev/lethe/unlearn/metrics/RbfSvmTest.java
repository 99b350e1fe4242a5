package dev.lethe.unlearn.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RbfSvmTest {
    @Test
    void separatesTwoIntervals() {
        double[][] x = new double[40][];
        int[] y = new int[40];
        for (int i = 0; i < 20; i++) {
            x[i] = new double[] {0.01 * i};          // [0, 0.19] → 0
            x[20 + i] = new double[] {0.8 + 0.01 * i}; // [0.8, 0.99] → 1
            y[20 + i] = 1;
        }
        RbfSvm svm = RbfSvm.fit(x, y, 3, 1);
        for (int i = 0; i < 40; i++) assertEquals(y[i], svm.predict(x[i]), "row " + i);
        assertEquals(0, svm.predict(new double[] {0.1}));
        assertEquals(1, svm.predict(new double[] {0.9}));
        assertArrayEquals(new int[] {0, 1, 1}, svm.predictAll(new double[][] {{0.05}, {0.95}, {1.0}}));
    }

    /** A disc inside a ring: no line separates them, the RBF kernel does. */
    @Test
    void separatesADiscFromTheRingAroundIt() {
        int n = 60;
        double[][] x = new double[2 * n][];
        int[] y = new int[2 * n];
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n;
            x[i] = new double[] {0.5 * Math.cos(a), 0.5 * Math.sin(a)};
            x[n + i] = new double[] {3 * Math.cos(a), 3 * Math.sin(a)};
            y[n + i] = 1;
        }
        RbfSvm svm = RbfSvm.fit(x, y, 3, 0.5);
        for (int i = 0; i < 2 * n; i++) assertEquals(y[i], svm.predict(x[i]), "row " + i);
        assertEquals(0, svm.predict(new double[] {0, 0}));
        assertEquals(1, svm.predict(new double[] {0, 3.2}));
    }

    @Test
    void refusesBadInput() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RbfSvm.fit(new double[][] {{1}, {2, 3}}, new int[] {0, 1}, 3, 1))
                .getMessage().contains("row 1 has 2 features"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RbfSvm.fit(new double[][] {{1}, {2}}, new int[] {1, 1}, 3, 1))
                .getMessage().contains("only label 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RbfSvm.fit(new double[][] {{1}, {2}}, new int[] {0, 2}, 3, 1))
                .getMessage().contains("label 1 is 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RbfSvm.fit(new double[][] {{1}, {2}}, new int[] {0, 1}, 0, 1))
                .getMessage().contains("C = 0"));
        RbfSvm svm = RbfSvm.fit(new double[][] {{0}, {1}}, new int[] {0, 1}, 3, 1);
        assertThrows(IllegalArgumentException.class, () -> svm.predict(new double[] {0, 1}));
    }
}
