package dev.lethe.optim;

import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** clipGradNorm: the global norm over all gradients, scaled only when above the limit. */
class GradClipTest {

    @Test
    void scalesEveryGradientByTheSameFactorWhenTheNormIsTooLarge() {
        Tensor a = Tensor.zeros(2).requiresGrad(true), b = Tensor.zeros(1).requiresGrad(true), c = Tensor.zeros(1).requiresGrad(true);
        a.setGrad(Tensor.fromArray(new float[] {3, 0}, 2));
        b.setGrad(Tensor.fromArray(new float[] {4}, 1));
        assertEquals(5.0, GradClip.clipGradNorm(List.of(a, b, c), 1.0), 1e-12);
        assertEquals(3 / (5 + 1e-6), a.grad().get(0), 1e-6);
        assertEquals(4 / (5 + 1e-6), b.grad().get(0), 1e-6);
        assertNull(c.grad());
    }

    @Test
    void leavesGradientsBelowTheLimitUntouched() {
        Tensor a = Tensor.zeros(2).requiresGrad(true);
        Tensor g = Tensor.fromArray(new float[] {0.3f, 0.4f}, 2);
        a.setGrad(g);
        assertEquals(0.5, GradClip.clipGradNorm(List.of(a), 1.0), 1e-7);
        assertSame(g, a.grad());
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(List.of(a), 0));
    }
}
