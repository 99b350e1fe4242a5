package dev.lethe.unlearn.methods;

import dev.lethe.cpu.Parallel;
import dev.lethe.nn.Module;
import dev.lethe.tensor.Tensor;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What every method promises, checked for each of {@link Methods#NAMES} with its defaults: a
 * new model, the original untouched, the same bits from the same context, and under
 * prune-then-unlearn the pruned weights exactly 0.
 */
class MethodContractTest {
    static final List<String> NAMES = Methods.NAMES;

    @ParameterizedTest
    @FieldSource("NAMES")
    void returnsANewModelLeavesTheOriginalAloneAndRepeatsBitForBit(String name) {
        UnlearnContext ctx = Fixture.quick();
        Map<String, Tensor> before = ctx.original().stateDict();
        int[] steps = {0};
        UnlearnContext counting = new UnlearnContext(ctx.modelName(), ctx.initSeed(), ctx.original(), ctx.recipe(), ctx.split(), ctx.numClasses(),
                ctx.seed(), ctx.sparsityMask(), () -> steps[0]++);
        Unlearned first = Methods.create(name).unlearn(counting);
        assertNotSame(ctx.original(), first.model());
        Weights.assertBitwiseEqual(before, ctx.original().stateDict(), name + " left θ0 unchanged");
        Weights.assertBitwiseEqual(first.model(), Methods.create(name).unlearn(ctx).model(), name + " is deterministic");
        if (!name.equals("ssd")) assertTrue(steps[0] > 0, name + " reports its optimiser steps");
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void keepsPrunedWeightsExactlyZero(String name) {
        UnlearnContext ctx = Fixture.sparse();
        Module model = Methods.create(name).unlearn(ctx).model();
        Map<String, Tensor> params = model.namedParameters();
        ctx.sparsityMask().forEach((p, m) -> {
            int[] w = Weights.bits(params.get(p));
            float[] keep = m.toFloatArray();
            for (int i = 0; i < w.length; i++) if (keep[i] == 0 && w[i] != 0) fail(name + ": " + p + "[" + i + "] is pruned but holds " + Float.intBitsToFloat(w[i]));
        });
    }

    @Test
    void theOmpMaskPrunesHalfOfTheLayerWeightsAndNoBiases() {
        Map<String, Tensor> mask = Sparsity.omp(Fixture.ctx().original(), 0.5);
        assertEquals(List.of("1.weight", "3.weight", "5.weight"), List.copyOf(mask.keySet()));
        long n = 0, kept = 0;
        for (Tensor m : mask.values()) {
            n += m.numel();
            kept += (long) m.sum().item();
        }
        assertEquals(n - n / 2, kept);
    }

    @Test
    void theThreadCountDoesNotChangeTheResult() {
        int threads = Parallel.threads();
        try {
            for (Method m : List.of(Methods.create("salun"), Methods.create("surgery"))) {
                Parallel.setThreads(1);
                Module one = m.unlearn(Fixture.quick()).model();
                Parallel.setThreads(2);
                Weights.assertBitwiseEqual(one, m.unlearn(Fixture.quick()).model(), m.name() + " on 1 vs 2 threads");
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }
}
