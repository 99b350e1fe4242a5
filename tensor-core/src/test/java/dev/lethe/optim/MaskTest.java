package dev.lethe.optim;

import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Parameter masks: entries where the mask is 0 never move, even under weight decay and
 * momentum (the public SalUn code let weight decay move its "frozen" weights), and the
 * entries where it is 1 follow exactly the path of an unmasked optimiser.
 */
class MaskTest {
    private static final int N = 257, STEPS = 40;

    private static void assertMaskedFrozenAndRestExact(Function<List<Tensor>, Optimizer> make, String... stateKeys) {
        Tensor start = Tensor.randn(1, N);
        Tensor mask = Tensor.rand(2, N).lt(0.5);
        Tensor masked = start.clone().requiresGrad(true), free = start.clone().requiresGrad(true);
        Optimizer a = make.apply(List.of(masked)), b = make.apply(List.of(free));
        a.setMask(masked, mask);
        for (int s = 0; s < STEPS; s++) {
            Tensor g = Tensor.randn(100 + s, N);
            masked.setGrad(g);
            free.setGrad(g.clone());
            a.step();
            b.step();
        }
        float[] m = masked.toFloatArray(), f = free.toFloatArray(), s0 = start.toFloatArray(), keep = mask.toFloatArray();
        int frozen = 0;
        for (int i = 0; i < N; i++) {
            if (keep[i] == 0) {
                frozen++;
                assertEquals(Float.floatToRawIntBits(s0[i]), Float.floatToRawIntBits(m[i]), "masked entry " + i + " moved");
            } else {
                assertEquals(Float.floatToRawIntBits(f[i]), Float.floatToRawIntBits(m[i]), "unmasked entry " + i + " differs from the unmasked optimiser");
                assertNotEquals(s0[i], m[i], "unmasked entry " + i + " never moved");
            }
        }
        assertTrue(frozen > N / 4 && frozen < 3 * N / 4);
        for (String key : stateKeys) {
            float[] buf = a.stateDict().get(key).toFloatArray();
            for (int i = 0; i < N; i++) if (keep[i] == 0) assertEquals(0f, buf[i], key + " at masked entry " + i);
        }
    }

    @Test
    void sgdWithMomentumNesterovAndWeightDecay() {
        assertMaskedFrozenAndRestExact(ps -> new SGD(ps, 0.05, 0.9, 0, true, 0.1), "state.0.momentum_buffer");
    }

    @Test
    void sgdWithDampening() {
        assertMaskedFrozenAndRestExact(ps -> new SGD(ps, 0.05, 0.9, 0.3, false, 0.1), "state.0.momentum_buffer");
    }

    @Test
    void adamWithL2Decay() {
        assertMaskedFrozenAndRestExact(ps -> new Adam(ps, 0.01, 0.9, 0.999, 1e-8, 0.1), "state.0.exp_avg", "state.0.exp_avg_sq");
    }

    @Test
    void adamWWithDecoupledDecay() {
        assertMaskedFrozenAndRestExact(ps -> new AdamW(ps, 0.01, 0.9, 0.999, 1e-8, 0.1), "state.0.exp_avg", "state.0.exp_avg_sq");
    }

    @Test
    void masksAreCheckedAndCanBeRemoved() {
        Tensor p = Tensor.zeros(2, 3).requiresGrad(true);
        SGD opt = new SGD(List.of(p), 1);
        var e = assertThrows(IllegalArgumentException.class, () -> opt.setMask(p, Tensor.ones(3, 2)));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> opt.setMask(p, Tensor.full(0.5, 2, 3)));
        assertThrows(IllegalArgumentException.class, () -> opt.setMask(Tensor.zeros(2, 3), Tensor.ones(2, 3)));
        opt.setMask(p, Tensor.zeros(2, 3));
        p.setGrad(Tensor.ones(2, 3));
        opt.step();
        assertEquals(0, p.sum().item());
        opt.setMask(p, null);
        opt.step();
        assertEquals(-6, p.sum().item());
    }
}
