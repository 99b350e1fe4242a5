package dev.lethe.nn;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Module bookkeeping: names and order, state dicts, strict loading, train/eval, swapping parameters. */
class ModuleTest {

    /** A module with its own parameter and buffer registered before a child, to pin the order. */
    static final class Scaled extends Module {
        final Parameter scale = registerParameter("scale", Tensor.ones(2));
        final Linear fc = registerModule("fc", new Linear(3, 2, 7));

        Scaled() {
            registerBuffer("calls", Tensor.scalar(0));
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc.forward(x).mul(scale.value());
        }
    }

    @Test
    void namesAreDottedOwnEntriesFirstThenChildrenInRegistrationOrder() {
        assertEquals(List.of("scale", "fc.weight", "fc.bias"), List.copyOf(new Scaled().namedParameters().keySet()));
        assertEquals(List.of("scale", "calls", "fc.weight", "fc.bias"), List.copyOf(new Scaled().stateDict().keySet()));
        assertEquals(List.of("1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias"),
                List.copyOf(Models.mlp(0).namedParameters().keySet()));
        LinkedHashMap<String, Tensor> resnet = Models.resnetMini(0).stateDict();
        assertEquals(List.of("0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked", "3.conv1.weight"),
                List.copyOf(resnet.keySet()).subList(0, 7));
        assertTrue(resnet.containsKey("5.downsample.0.weight") && resnet.containsKey("5.downsample.1.running_var"));
        assertFalse(resnet.containsKey("3.downsample.0.weight"), "a block that keeps the shape has an identity shortcut");
    }

    @Test
    void parametersAreLeavesThatRequireGradAndBuffersAreNot() {
        Module m = Models.resnetMini(0);
        for (Tensor p : m.parameters()) assertTrue(p.isLeaf() && p.requiresGrad());
        for (Tensor b : m.namedBuffers().values()) assertFalse(b.requiresGrad());
        assertEquals(m.namedParameters().size(), m.parameters().size());
    }

    @Test
    void stateDictRoundTripsIntoAnotherSeedAndHoldsCopies() {
        Module a = Models.mlp(1), b = Models.mlp(2);
        Tensor x = Tensor.randn(3, 4, 784);
        assertFalse(java.util.Arrays.equals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray()));
        Tensor wBefore = b.parameters().get(0);
        b.loadStateDict(a.stateDict());
        assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray());
        assertSame(wBefore, b.parameters().get(0), "loading copies in place, so optimisers keep valid references");

        LinkedHashMap<String, Tensor> sd = a.stateDict();
        sd.get("1.weight").storage().floats()[0] += 1;
        assertNotEquals(sd.get("1.weight").get(0, 0), a.namedParameters().get("1.weight").get(0, 0));
    }

    @Test
    void loadStateDictNamesMissingUnexpectedAndMismatchedKeysAndChangesNothing() {
        Module m = Models.mlp(1);
        Tensor before = m.parameters().get(0).clone();

        Map<String, Tensor> missing = Models.mlp(2).stateDict();
        missing.remove("5.bias");
        var e1 = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(missing));
        assertTrue(e1.getMessage().contains("missing key '5.bias'"), e1.getMessage());

        Map<String, Tensor> extra = Models.mlp(2).stateDict();
        extra.put("6.weight", Tensor.zeros(1));
        var e2 = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(extra));
        assertTrue(e2.getMessage().contains("unexpected key '6.weight'"), e2.getMessage());

        Map<String, Tensor> wrong = Models.mlp(2).stateDict();
        wrong.put("3.weight", Tensor.zeros(128, 255));
        var e3 = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(wrong));
        assertTrue(e3.getMessage().contains("'3.weight'") && e3.getMessage().contains("[128, 255]") && e3.getMessage().contains("[128, 256]"),
                e3.getMessage());

        assertArrayEquals(before.toFloatArray(), m.parameters().get(0).toFloatArray(), "a rejected load copies nothing");
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        Sequential m = Models.resnetMini(0);
        assertTrue(m.isTraining());
        m.eval();
        for (Module c : m.namedChildren().values()) assertFalse(c.isTraining());
        assertFalse(((Module) m.get(3).namedChildren().get("bn1")).isTraining());
        m.train();
        assertTrue(m.get(3).namedChildren().get("bn1").isTraining());
    }

    @Test
    void zeroGradAndNumParameters() {
        Module m = Models.mlp(0);
        m.forward(Tensor.randn(1, 2, 784)).sum().backward();
        assertNotNull(m.parameters().get(0).grad());
        m.zeroGrad();
        for (Tensor p : m.parameters()) assertNull(p.grad());
        assertEquals(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, m.numParameters());
    }

    @Test
    void setParameterSwapsTheTensorTheForwardUses() {
        Linear l = new Linear(2, 1, 0);
        l.setParameter("weight", Tensor.fromArray(new float[] {2, 3}, 1, 2));
        l.setParameter("bias", Tensor.fromArray(new float[] {1}, 1));
        assertEquals(2 * 5 + 3 * 7 + 1, l.forward(Tensor.fromArray(new float[] {5, 7}, 1, 2)).item());
        assertThrows(IllegalArgumentException.class, () -> l.setParameter("weight", Tensor.zeros(2, 1)));
        var e = assertThrows(IllegalArgumentException.class, () -> new Scaled().setParameter("fc.nope", Tensor.zeros(1)));
        assertTrue(e.getMessage().contains("fc.nope"));
    }

    @Test
    void toConvertsParametersAndBuffers() {
        Module m = Models.resnetMini(0).to(DType.FLOAT64);
        for (Tensor t : m.stateDict().values()) assertEquals(DType.FLOAT64, t.dtype());
        for (Tensor p : m.parameters()) assertTrue(p.requiresGrad());
        assertEquals(DType.FLOAT64, m.forward(Tensor.randn(0, DType.FLOAT64, 2, 1, 8, 8)).dtype());
    }
}
