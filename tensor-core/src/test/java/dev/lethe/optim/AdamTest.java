package dev.lethe.optim;

import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.lethe.optim.OptimTestSupport.grad;
import static dev.lethe.optim.OptimTestSupport.param;
import static org.junit.jupiter.api.Assertions.*;

/** Adam and AdamW against the paper's formulas evaluated in float64, on a gradient sequence that changes sign. */
class AdamTest {
    private static final float[] GRADS = {0.5f, -1.0f, 0.25f, 2.0f};

    /** The update written out in float64: m, v, bias corrections, L2 or decoupled decay. */
    private static double[] reference(double lr, double wd, boolean decoupled) {
        double p = 1, m = 0, v = 0, b1 = 0.9, b2 = 0.999;
        double[] out = new double[GRADS.length];
        for (int t = 1; t <= GRADS.length; t++) {
            double g = GRADS[t - 1];
            if (decoupled) p *= 1 - lr * wd;
            else g += wd * p;
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            double mHat = m / (1 - Math.pow(b1, t)), vHat = v / (1 - Math.pow(b2, t));
            p -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
            out[t - 1] = p;
        }
        return out;
    }

    private static double[] run(Optimizer opt, Tensor p) {
        double[] out = new double[GRADS.length];
        for (int t = 0; t < GRADS.length; t++) {
            grad(p, GRADS[t]);
            opt.step();
            out[t] = p.item();
        }
        return out;
    }

    @Test
    void firstStepMovesEachParameterByAboutLr() {
        Tensor p = param(1f);
        new Adam(List.of(p), 0.1).step(); // no gradient: nothing happens
        assertEquals(1.0, p.item());
        Adam opt = new Adam(List.of(p), 0.1);
        grad(p, 0.5f);
        opt.step();
        assertEquals(0.9, p.item(), 1e-6, "m̂ = 0.5, v̂ = 0.25: p − 0.1·0.5/0.5");
    }

    @Test
    void adamMatchesTheFormula() {
        Tensor p = param(1f);
        assertArrayEquals(reference(0.1, 0, false), run(new Adam(List.of(p), 0.1), p), 1e-6);
    }

    @Test
    void adamFoldsWeightDecayIntoTheGradient() {
        Tensor p = param(1f);
        assertArrayEquals(reference(0.1, 0.5, false), run(new Adam(List.of(p), 0.1, 0.9, 0.999, 1e-8, 0.5), p), 1e-6);
    }

    @Test
    void adamWDecaysTheWeightsDirectly() {
        Tensor p = param(1f);
        double[] got = run(new AdamW(List.of(p), 0.1, 0.9, 0.999, 1e-8, 0.5), p);
        assertArrayEquals(reference(0.1, 0.5, true), got, 1e-6);
        assertEquals(0.95 - 0.1, reference(0.1, 0.5, true)[0], 1e-8, "step 1 by hand: 1·(1 − 0.05) − 0.1");
        Tensor q = param(1f);
        AdamW defaults = new AdamW(List.of(q), 0.1);
        assertEquals(List.of("lr"), List.copyOf(defaults.stateDict().keySet()), "fresh state holds only lr");
        grad(q, 0.5f);
        defaults.step();
        assertEquals(1 * (1 - 0.1 * 0.01) - 0.1, q.item(), 1e-6, "PyTorch's default weight decay 0.01");
    }

    @Test
    void stateDictHoldsMomentsAndStepPerParameter() {
        Tensor p = param(1f, 2f);
        Adam a = new Adam(List.of(p), 0.1);
        grad(p, 0.5f, -0.5f);
        a.step();
        a.step();
        var sd = a.stateDict();
        assertEquals(List.of("lr", "state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq"), List.copyOf(sd.keySet()));
        assertEquals(2, sd.get("state.0.step").item());
        assertEquals(0.5 * (1 - 0.81), sd.get("state.0.exp_avg").get(0), 1e-6);
    }
}
