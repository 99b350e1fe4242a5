package dev.lethe.optim;

import dev.lethe.cpu.Parallel;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SGD's and Adam's updates (a vector loop and a scalar tail, or the scalar loop alone under
 * {@code -Dlethe.simd=scalar}) against a plain transcription of their formulas, bit for bit,
 * on sizes around the vector widths, with and without a mask, over several steps (the first
 * step starts the momentum buffer): the parameter and the optimiser's state (masked entries
 * keep both). A parameter larger than {@link Optimizer#RANGE} is updated in ranges on the
 * kernel threads: each case runs on one thread and on three, and both must give the formula's bits.
 */
@Tag("kernels")
class VectorUpdateTest {
    private static final int STEPS = 3;
    /** The thread counts each case runs with. */
    private static final int[] THREADS = {1, 3};

    /** One parameter of n entries, its gradients per step and, if masked, its mask. */
    private record Case(float[] start, float[][] grads, boolean[] keep) {
        static Case of(int n, boolean masked, long seed) {
            Random r = new Random(seed);
            float[] start = new float[n];
            for (int i = 0; i < n; i++) start[i] = (float) r.nextGaussian();
            float[][] grads = new float[STEPS][n];
            for (float[] g : grads) for (int i = 0; i < n; i++) g[i] = (float) r.nextGaussian();
            boolean[] keep = null;
            if (masked) {
                keep = new boolean[n];
                for (int i = 0; i < n; i++) keep[i] = r.nextBoolean();
            }
            return new Case(start, grads, keep);
        }

        /**
         * The parameter and the optimiser's state after STEPS steps of the optimiser {@code make}
         * builds, with {@code threads} kernel threads.
         */
        Outcome run(Function<List<Tensor>, Optimizer> make, int threads) {
            int before = Parallel.threads();
            Parallel.setThreads(threads);
            try {
                return run(make);
            } finally {
                Parallel.setThreads(before);
            }
        }

        private Outcome run(Function<List<Tensor>, Optimizer> make) {
            int n = start.length;
            Tensor p = Tensor.fromArray(start.clone(), n).requiresGrad(true);
            Optimizer opt = make.apply(List.of(p));
            if (keep != null) {
                float[] m = new float[n];
                for (int i = 0; i < n; i++) m[i] = keep[i] ? 1f : 0f;
                opt.setMask(p, Tensor.fromArray(m, n));
            }
            for (float[] g : grads) {
                p.setGrad(Tensor.fromArray(g.clone(), n));
                opt.step();
            }
            return new Outcome(p.toFloatArray(), opt.stateDict());
        }

        boolean kept(int i) {
            return keep == null || keep[i];
        }
    }

    /** What a run leaves: the parameter, and the optimiser's state ("state.0." + buffer name). */
    private record Outcome(float[] p, Map<String, Tensor> state) {
        float[] state(String name) {
            return state.get("state.0." + name).toFloatArray();
        }
    }

    private static void assertBitwise(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), what + ", entry " + i + " of " + expected.length);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 8, 15, 16, 17, 33, 100, 2 * Optimizer.RANGE + 17})
    void sgdEqualsItsFormula(int n) {
        double lr = 0.05;
        for (boolean masked : new boolean[] {false, true}) {
            for (double[] cfg : new double[][] {{0, 0, 0, 0}, {0.9, 0, 0, 0.01}, {0.9, 0.3, 0, 0}, {0.9, 0, 1, 0.1}}) {
                double mu = cfg[0], damp = cfg[1], wd = cfg[3];
                boolean nesterov = cfg[2] != 0;
                Case c = Case.of(n, masked, n * 31L + (masked ? 1 : 0));
                float[] p = c.start.clone(), buf = new float[n];
                float fwd = (float) wd, fmu = (float) mu, keep = (float) (1 - damp), negLr = (float) -lr;
                for (int s = 0; s < STEPS; s++) {
                    for (int i = 0; i < n; i++) {
                        if (!c.kept(i)) continue;
                        float d = c.grads[s][i];
                        if (fwd != 0) d = d + fwd * p[i];
                        if (fmu != 0) {
                            buf[i] = s == 0 ? d : buf[i] * fmu + keep * d;
                            d = nesterov ? d + fmu * buf[i] : buf[i];
                        }
                        p[i] = p[i] + negLr * d;
                    }
                }
                for (int threads : THREADS) {
                    Outcome actual = c.run(ps -> new SGD(ps, lr, mu, damp, nesterov, wd), threads);
                    String what = "SGD momentum " + mu + " dampening " + damp + " nesterov " + nesterov + " wd " + wd + " masked " + masked
                            + ", " + threads + " threads";
                    assertBitwise(p, actual.p(), what);
                    if (mu != 0) assertBitwise(buf, actual.state("momentum_buffer"), what + ", momentum buffer");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 8, 15, 16, 17, 33, 100, 2 * Optimizer.RANGE + 17})
    void adamEqualsItsFormula(int n) {
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        for (boolean masked : new boolean[] {false, true}) {
            for (boolean decoupled : new boolean[] {false, true}) {
                for (double wd : new double[] {0, 0.1}) {
                    Case c = Case.of(n, masked, n * 17L + (masked ? 1 : 0));
                    float[] p = c.start.clone(), m = new float[n], v = new float[n];
                    for (int s = 0; s < STEPS; s++) {
                        int t = s + 1;
                        float negStep = (float) (-lr / (1 - Math.pow(b1, t))), bc2 = (float) Math.sqrt(1 - Math.pow(b2, t));
                        for (int i = 0; i < n; i++) {
                            if (!c.kept(i)) continue;
                            float g = c.grads[s][i], pi = p[i];
                            if (!decoupled && wd != 0) g = g + (float) wd * pi;
                            if (decoupled && wd != 0) pi = pi * (float) (1 - lr * wd);
                            m[i] = m[i] + (float) (1 - b1) * (g - m[i]);
                            v[i] = v[i] * (float) b2 + (float) (1 - b2) * g * g;
                            p[i] = pi + negStep * m[i] / ((float) Math.sqrt(v[i]) / bc2 + (float) eps);
                        }
                    }
                    for (int threads : THREADS) {
                        Outcome actual = c.run(ps -> decoupled ? new AdamW(ps, lr, b1, b2, eps, wd) : new Adam(ps, lr, b1, b2, eps, wd), threads);
                        String what = (decoupled ? "AdamW" : "Adam") + " wd " + wd + " masked " + masked + ", " + threads + " threads";
                        assertBitwise(p, actual.p(), what);
                        assertBitwise(m, actual.state("exp_avg"), what + ", first moment");
                        assertBitwise(v, actual.state("exp_avg_sq"), what + ", second moment");
                    }
                }
            }
        }
    }
}
