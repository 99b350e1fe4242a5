package dev.lethe.optim;

import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.lethe.optim.OptimTestSupport.grad;
import static dev.lethe.optim.OptimTestSupport.param;
import static org.junit.jupiter.api.Assertions.*;

/** SGD against values worked out by hand from PyTorch's update rule (p = 1, g = 0.5 each step, lr 0.1). */
class SGDTest {

    private static double[] run(double momentum, double dampening, boolean nesterov, double wd, int steps) {
        Tensor p = param(1f);
        SGD opt = new SGD(List.of(p), 0.1, momentum, dampening, nesterov, wd);
        double[] out = new double[steps];
        for (int s = 0; s < steps; s++) {
            grad(p, 0.5f);
            opt.step();
            out[s] = p.item();
        }
        return out;
    }

    @Test
    void plain() {
        assertArrayEquals(new double[] {0.95, 0.90}, run(0, 0, false, 0, 2), 1e-6);
    }

    @Test
    void weightDecayIsAddedToTheGradient() {
        // d = 0.5 + 0.1·1 = 0.6 → 0.94; d = 0.5 + 0.094 = 0.594 → 0.8806
        assertArrayEquals(new double[] {0.94, 0.8806}, run(0, 0, false, 0.1, 2), 1e-6);
    }

    @Test
    void momentumStartsTheBufferAtTheFirstGradient() {
        // buf = 0.6 → p = 0.94; d = 0.594, buf = 0.54 + 0.594 = 1.134 → p = 0.8266
        assertArrayEquals(new double[] {0.94, 0.8266}, run(0.9, 0, false, 0.1, 2), 1e-6);
    }

    @Test
    void dampeningScalesOnlyLaterGradients() {
        // buf = 0.5 → 0.95; buf = 0.45 + 0.5·0.5 = 0.7 → 0.88
        assertArrayEquals(new double[] {0.95, 0.88}, run(0.9, 0.5, false, 0, 2), 1e-6);
    }

    @Test
    void nesterovLooksAhead() {
        // d = 0.6, buf = 0.6, d = 0.6 + 0.54 = 1.14 → 0.886
        // d = 0.5886, buf = 0.54 + 0.5886 = 1.1286, d = 0.5886 + 1.01574 = 1.60434 → 0.725566
        assertArrayEquals(new double[] {0.886, 0.725566}, run(0.9, 0, true, 0.1, 2), 1e-6);
    }

    @Test
    void parametersWithoutGradientsAndBadArgumentsAreHandled() {
        Tensor a = param(1f), b = param(2f);
        SGD opt = new SGD(List.of(a, b), 0.1);
        grad(a, 1f);
        opt.step();
        assertEquals(0.9, a.item(), 1e-6);
        assertEquals(2.0, b.item(), "no gradient, no update");
        opt.zeroGrad();
        assertNull(a.grad());
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a), 0.1, 0, 0, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a, a), 0.1));
        var e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(Tensor.zeros(3, 4).t().requiresGrad(true)), 0.1));
        assertTrue(e.getMessage().contains("[4, 3]"), e.getMessage());
    }

    @Test
    void stateDictRestoresMomentumSoARunResumesExactly() {
        Tensor p = Tensor.randn(1, 7).requiresGrad(true), q = p.detach().clone().requiresGrad(true);
        SGD a = new SGD(List.of(p), 0.05, 0.9, 0, true, 0.01);
        for (int s = 0; s < 3; s++) {
            p.setGrad(Tensor.randn(10 + s, 7));
            a.step();
        }
        try (var g = dev.lethe.autograd.NoGrad.enter()) {
            q.copy_(p);
        }
        SGD b = new SGD(List.of(q), 1.0, 0.9, 0, true, 0.01);
        b.loadStateDict(a.stateDict());
        assertEquals(0.05, b.lr());
        p.setGrad(Tensor.randn(20, 7));
        q.setGrad(Tensor.randn(20, 7));
        a.step();
        b.step();
        assertArrayEquals(p.toFloatArray(), q.toFloatArray());
        var bad = a.stateDict();
        bad.put("state.0.momentum_buffer", Tensor.zeros(8));
        var e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(bad));
        assertTrue(e.getMessage().contains("[8]") && e.getMessage().contains("[7]"), e.getMessage());
        var unknown = a.stateDict();
        unknown.put("state.3.step", Tensor.scalar(1));
        assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(unknown));
    }
}
