package dev.lethe.optim;

import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Learning-rate sequences of each scheduler, read from the optimiser as a training loop would. */
class SchedulerTest {
    private static final double C1 = (1 + Math.cos(Math.PI / 4)) / 2, C3 = (1 + Math.cos(3 * Math.PI / 4)) / 2;

    private static SGD sgd() {
        return new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), 1.0);
    }

    /** The optimiser's lr after construction and after each of {@code steps} calls to step(). */
    private static double[] sequence(SGD opt, LrScheduler s, int steps) {
        double[] out = new double[steps + 1];
        out[0] = opt.lr();
        for (int i = 1; i <= steps; i++) {
            s.step();
            out[i] = opt.lr();
        }
        for (int i = 0; i <= steps; i++) assertEquals(out[i], s.lrAt(i), "lrAt is the same pure function");
        return out;
    }

    @Test
    void stepLR() {
        SGD opt = sgd();
        assertArrayEquals(new double[] {1, 1, 0.5, 0.5, 0.25, 0.25}, sequence(opt, new StepLR(opt, 2, 0.5), 5), 1e-12);
    }

    @Test
    void multiStepLR() {
        SGD opt = sgd();
        assertArrayEquals(new double[] {1, 1, 0.1, 0.1, 0.1, 0.01}, sequence(opt, new MultiStepLR(opt, new int[] {2, 5}, 0.1), 5), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new MultiStepLR(opt, new int[] {3, 3}, 0.1));
    }

    @Test
    void cosineAnnealingDecaysToEtaMinAndStaysThere() {
        SGD opt = sgd();
        assertArrayEquals(new double[] {1, C1, 0.5, C3, 0, 0}, sequence(opt, new CosineAnnealing(opt, 4), 5), 1e-12);
        SGD opt2 = sgd();
        assertArrayEquals(new double[] {1, 0.1 + 0.9 * 0.5, 0.1, 0.1}, sequence(opt2, new CosineAnnealing(opt2, 2, 0.1), 3), 1e-12);
    }

    @Test
    void linearWarmupThenCosine() {
        SGD opt = sgd();
        LrScheduler s = new LinearWarmup(opt, 3, new CosineAnnealing(opt, 4));
        assertArrayEquals(new double[] {1 / 3.0, 2 / 3.0, 1, C1, 0.5, C3, 0}, sequence(opt, s, 6), 1e-12);
        assertEquals(6, s.stepCount());
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(sgd(), 3, new StepLR(opt, 1, 1)));
    }
}
