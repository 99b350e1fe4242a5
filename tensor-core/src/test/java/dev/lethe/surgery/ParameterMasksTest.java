package dev.lethe.surgery;

import dev.lethe.nn.Linear;
import dev.lethe.nn.Sequential;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Named masks: checked to be 0/1, applied as θ ⊙ m, and reported per layer and globally. */
class ParameterMasksTest {
    @Test
    void valuesOtherThanZeroAndOneAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ParameterMasks(Map.of("w", Tensor.fromArray(new float[] {1, 0, 0.5f}, 3))));
        assertTrue(e.getMessage().contains("mask 'w' element 2 is 0.5; expected 0 or 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ParameterMasks.of(List.of("a", "b"), List.of(Tensor.ones(1))));
        assertTrue(e.getMessage().contains("2 names but 1 masks"), e.getMessage());
    }

    @Test
    void applyToZeroesMaskedWeightsEvenInfinite() {
        Linear lin = new Linear(3, 2, 7);
        Tensor w = lin.namedParameters().get("weight");
        w.storage().floats()[w.offset() + 1] = Float.POSITIVE_INFINITY;
        float[] before = w.toFloatArray();
        Tensor m = Tensor.fromArray(new float[] {1, 0, 1, 0, 1, 1}, 2, 3);
        ParameterMasks masks = ParameterMasks.of(List.of("weight"), List.of(m));
        masks.applyTo(lin);
        float[] after = w.toFloatArray();
        for (int i = 0; i < 6; i++) assertEquals(m.toFloatArray()[i] == 1 ? before[i] : 0f, after[i], "element " + i);
        assertEquals(0f, after[1]);
    }

    @Test
    void applyToGradientsMasksTheHeldGradients() {
        Linear lin = new Linear(3, 2, 7);
        lin.forward(Tensor.randn(1, 4, 3)).sum().backward();
        Tensor g = lin.namedParameters().get("bias").grad();
        ParameterMasks.of(List.of("bias"), List.of(Tensor.fromArray(new float[] {0, 1}, 2))).applyToGradients(lin);
        assertEquals(0f, g.toFloatArray()[0]);
        assertEquals(4f, g.toFloatArray()[1]);
    }

    @Test
    void unknownNamesAndShapesAreNamed() {
        Linear lin = new Linear(3, 2, 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParameterMasks.of(List.of("fc.weight"), List.of(Tensor.ones(2, 3))).applyTo(lin));
        assertTrue(e.getMessage().contains("no parameter 'fc.weight'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ParameterMasks.of(List.of("weight"), List.of(Tensor.ones(3, 2))).applyTo(lin));
        assertTrue(e.getMessage().contains("parameter 'weight' is [2, 3] but its mask is [3, 2]"), e.getMessage());
    }

    @Test
    void reportCountsPerLayerAndGlobally() {
        ParameterMasks m = ParameterMasks.of(List.of("a", "b"),
                List.of(Tensor.fromArray(new float[] {1, 0, 0, 0}, 2, 2), Tensor.fromArray(new float[] {1, 1}, 2)));
        assertEquals(6, m.size());
        assertEquals(3, m.kept());
        assertEquals(0.5, m.sparsity());
        assertEquals(0.75, m.layers().get(0).sparsity());
        assertEquals(0.0, m.layers().get(1).sparsity());
        String report = m.report();
        assertTrue(report.contains("75.00%") && report.contains("50.00%") && report.contains("[2, 2]"), report);
    }

    /**
     * Masks a kernel made as bits act exactly like the same masks given as tensors: the
     * float32 tensors they make, the counts, θ ⊙ m and g ⊙ m (with a parameter without a
     * gradient between two with one), over parameters whose sizes are not multiples of 64 (so
     * masks start mid-word in the global bit array), one of them large enough (77,100
     * entries) for the one-pass kernel per tensor too.
     */
    @Test
    void bitMasksActLikeTheirFloatTensors() {
        for (Scope scope : Scope.values()) {
            List<String> names = new java.util.ArrayList<>(model().namedParameters().keySet());
            Sequential model = model();
            model.forward(Tensor.randn(3, 5, 300)).sum().backward();
            List<Tensor> grads = new java.util.ArrayList<>();
            for (Tensor p : model.namedParameters().values()) grads.add(p.grad());
            for (double r : new double[] {0.3, 0.5}) {
                ParameterMasks bits = SaliencyMask.masksFromGradients(names, grads, r, scope);
                ParameterMasks floats = ParameterMasks.of(names, SaliencyMask.fromGradients(grads, r, scope));
                String what = scope + " r=" + r;
                assertEquals(floats.names(), bits.names());
                Lists.assertSameBits(what + ": masks", floats.list(), bits.list());
                Lists.assertSameBits(what + ": by name", List.copyOf(floats.asMap().values()), List.copyOf(bits.asMap().values()));
                Tensor made = bits.get(names.get(2));
                made.storage().floats()[made.offset()] = 7f;
                assertNotEquals(7f, bits.get(names.get(2)).toFloatArray()[0], "a made tensor is a copy");
                assertNull(bits.get("nothing"));
                assertEquals(floats.report(), bits.report(), what + ": report");
                assertEquals(floats.kept(), bits.kept());

                Sequential a = model(), b = model();
                for (Sequential m : List.of(a, b)) {
                    m.forward(Tensor.randn(4, 5, 300)).sum().backward();
                    m.namedParameters().get(names.get(1)).setGrad(null);
                }
                floats.applyTo(a);
                floats.applyToGradients(a);
                bits.applyTo(b);
                bits.applyToGradients(b);
                for (String name : names) {
                    Tensor pa = a.namedParameters().get(name), pb = b.namedParameters().get(name);
                    Lists.assertSameBits(what + ": " + name, List.of(pa), List.of(pb));
                    if (pa.grad() != null) Lists.assertSameBits(what + ": ∂" + name, List.of(pa.grad()), List.of(pb.grad()));
                }
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SaliencyMask.masksFromGradients(List.of("a"), List.of(Tensor.ones(3), Tensor.ones(2)), 0.5, Scope.GLOBAL));
        assertTrue(e.getMessage().contains("1 names for 2 score tensors"), e.getMessage());
    }

    /** Weights of 257 × 300 (77,100), 257, 3 × 257, 3: sizes that are not multiples of 64. */
    private static Sequential model() {
        return new Sequential(new Linear(300, 257, 1), new Linear(257, 3, 2));
    }
}
