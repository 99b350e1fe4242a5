package dev.lethe.nn;

import dev.lethe.check.GradCheck;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Modules end to end in float64: the gradient of the output with respect to the input and every parameter. */
class ModuleGradCheckTest {

    /** Gradchecks {@code m} at {@code x}, differentiating with respect to x and every parameter. */
    private static void assertGradients(Module m, Tensor x) {
        m.to(DType.FLOAT64);
        List<String> names = new ArrayList<>(m.namedParameters().keySet());
        Tensor[] inputs = new Tensor[names.size() + 1];
        inputs[0] = x;
        for (int i = 0; i < names.size(); i++) inputs[i + 1] = m.namedParameters().get(names.get(i)).detach().clone();
        GradCheck.Result r = GradCheck.check(xs -> {
            for (int i = 0; i < names.size(); i++) m.setParameter(names.get(i), xs[i + 1]);
            return m.forward(xs[0]);
        }, inputs);
        assertTrue(r.passed(), m.getClass().getSimpleName() + ": " + r.firstFailure());
    }

    @Test
    void linear() {
        assertGradients(new Linear(5, 3, 1), GradCheck.uniform(2, -1, 1, 4, 5));
    }

    @Test
    void batchNorm1dInTrainingMode() {
        BatchNorm1d bn = new BatchNorm1d(3);
        bn.to(DType.FLOAT64);
        bn.setParameter("weight", GradCheck.uniform(4, 0.5, 1.5, 3));
        bn.setParameter("bias", GradCheck.uniform(5, -1, 1, 3));
        assertGradients(bn, GradCheck.uniform(3, -2, 2, 6, 3));
    }

    @Test
    void residualBlockWithProjectionShortcut() {
        assertGradients(new ResidualBlock(2, 3, 2, 1), GradCheck.uniform(6, -1, 1, 2, 2, 5, 5));
    }

    @Test
    void sequentialWithGeluAndLayerNorm() {
        assertGradients(new Sequential(new Linear(4, 6, 1), new GELU(), new LayerNorm(6), new Linear(6, 2, 2)), GradCheck.uniform(7, -1, 1, 3, 4));
    }
}
