package dev.lethe.autograd;

import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * When a leaf keeps the gradient a rule returned as its {@code .grad} without copying it, and
 * that a stored gradient never aliases anything else: not another leaf's gradient, not the
 * gradient passed to backward, not a tensor of the graph. Rules that hand the incoming
 * gradient on (add, reshape, expand, narrow), one tensor handed to two inputs, and views
 * into larger results must all be copied.
 */
class GradientOwnershipTest {

    private static Tensor leaf(double... values) {
        return Tensor.fromArray(values, values.length).requiresGrad(true);
    }

    /** An op whose rule returns, for its one input, whatever {@code made} builds. */
    private static Tensor probe(Tensor x, java.util.function.Supplier<Tensor> made) {
        Tensor out = x.detach().clone();
        return Autograd.record("probe", out, new Tensor[] {x}, g -> new Tensor[] {made.get()});
    }

    @Test
    void aFreshWholeGradientIsKeptWithoutACopy() {
        Tensor x = leaf(1, 2, 3);
        Tensor[] returned = new Tensor[1];
        probe(x, () -> returned[0] = Tensor.fromArray(new double[] {4, 5, 6}, 3)).sum().backward();
        assertSame(returned[0], x.grad(), "a fresh gradient spanning its storage is stored as it is");
    }

    @Test
    void aFreshGradientHandedOnByTransposeAndReshapeIsKeptWithoutACopy() {
        // As for a linear layer's weight: the product's rule returns ∂(wᵀ) as a transposed
        // view of a fresh [2, 3] result, and transpose's rule hands it back as that result.
        Tensor w = Tensor.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor[] made = new Tensor[1];
        probe(w.t(), () -> (made[0] = Tensor.fromArray(new double[] {6, 5, 4, 3, 2, 1}, 2, 3)).t()).sum().backward();
        assertSame(made[0].storage(), w.grad().storage(), "views of an engine-only gradient stay the engine's only");
        assertArrayEquals(new double[] {6, 5, 4, 3, 2, 1}, w.grad().toDoubleArray());

        Tensor x = leaf(1, 2, 3, 4);
        probe(x.reshape(2, 2), () -> made[0] = Tensor.fromArray(new double[] {1, 2, 3, 4}, 2, 2)).sum().backward();
        assertSame(made[0].storage(), x.grad().storage());
    }

    @Test
    void aGradientAHookWasHandedIsCopied() throws Exception {
        Tensor x = leaf(1, 2, 3);
        Tensor[] seen = new Tensor[1];
        try (AutoCloseable ignored = x.registerHook(g -> seen[0] = g)) {
            probe(x, () -> Tensor.fromArray(new double[] {4, 5, 6}, 3)).sum().backward();
        }
        assertNotSame(seen[0].storage(), x.grad().storage());
    }

    @Test
    void aViewIntoALargerTensorIsCopied() {
        Tensor x = leaf(1, 2, 3);
        Tensor[] returned = new Tensor[1];
        probe(x, () -> returned[0] = Tensor.fromArray(new double[] {9, 4, 5, 6}, 4).narrow(0, 1, 3)).sum().backward();
        assertNotSame(returned[0], x.grad());
        assertNotSame(returned[0].storage(), x.grad().storage());
        assertArrayEquals(new double[] {4, 5, 6}, x.grad().toDoubleArray());
    }

    @Test
    void theGradientPassedToBackwardIsNeverKept() {
        Tensor g = Tensor.fromArray(new double[] {1, 1}, 2);
        Tensor x = leaf(1, 2), y = leaf(3, 4), z = leaf(5, 6);
        x.backward(g);                       // the leaf itself: g is the root's gradient
        y.reshape(1, 2).reshape(2).backward(g); // reshape's rule hands g on as a view
        z.add(leaf(0, 0)).backward(g);        // add's rule hands g on as it is
        for (Tensor t : new Tensor[] {x, y, z}) {
            assertNotSame(g.storage(), t.grad().storage());
            assertArrayEquals(new double[] {1, 1}, t.grad().toDoubleArray());
        }
    }

    @Test
    void oneTensorHandedToTwoLeavesGivesEachItsOwnCopy() {
        Tensor a = leaf(1, 2), b = leaf(3, 4);
        a.add(b).mul(2.0).sum().backward(); // add's rule returns its incoming gradient to both inputs
        assertNotSame(a.grad().storage(), b.grad().storage());
        assertArrayEquals(new double[] {2, 2}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {2, 2}, b.grad().toDoubleArray());
    }

    @Test
    void twoViewsOfOneFreshTensorForTwoLeavesAreCopied() {
        Tensor a = leaf(1, 2), b = leaf(3, 4);
        Tensor out = a.detach().clone();
        Autograd.record("two views", out, new Tensor[] {a, b}, g -> {
            Tensor shared = Tensor.fromArray(new double[] {7, 8}, 2);
            return new Tensor[] {shared.reshape(2), shared.reshape(1, 2).reshape(2)};
        }).sum().backward();
        assertNotSame(a.grad().storage(), b.grad().storage());
        assertArrayEquals(new double[] {7, 8}, b.grad().toDoubleArray());
    }

    @Test
    void aTensorTheNodeSavedIsCopied() {
        Tensor x = leaf(1, 2), kept = Tensor.fromArray(new double[] {5, 6}, 2);
        Autograd.record("returns what it saved", x.detach().clone(), new Tensor[] {x}, new Tensor[] {kept}, g -> new Tensor[] {kept})
                .sum().backward();
        assertNotSame(kept.storage(), x.grad().storage());
    }

    /**
     * Across a graph of pass-through rules, broadcasts, sums from two paths and fresh results:
     * writing into one leaf's stored gradient changes no other leaf's gradient and no tensor
     * of the graph.
     */
    @Test
    void noStoredGradientAliasesAnotherTensor() {
        Tensor a = leaf(1, 2, 3), b = leaf(0.5, -1, 2), c = leaf(2), w = Tensor.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor s = a.add(b);                                  // add: incoming gradient to both
        Tensor u = s.mul(a).add(c.expand(3));                 // a used twice; c through expand
        Tensor v = w.matmul(u.reshape(3, 1)).reshape(2);      // matmul: fresh results; reshape: views
        Tensor z = v.narrow(0, 0, 1).sum().add(v.sum()).add(b.sum());
        Tensor seed = Tensor.scalar(1.0, dev.lethe.tensor.DType.FLOAT64);
        z.backward(seed);
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("a", a);
        leaves.put("b", b);
        leaves.put("c", c);
        leaves.put("w", w);
        List<Tensor> others = new ArrayList<>(List.of(seed, s, u, v, z));
        for (Tensor l : leaves.values()) others.add(l);
        for (Map.Entry<String, Tensor> e : leaves.entrySet()) {
            Map<Tensor, double[]> before = new java.util.IdentityHashMap<>();
            for (Tensor t : others) before.put(t, t.toDoubleArray());
            for (Tensor l : leaves.values()) if (l != e.getValue()) before.put(l.grad(), l.grad().toDoubleArray());
            Tensor grad = e.getValue().grad();
            java.util.Arrays.fill(grad.storage().doubles(), Double.NaN);
            for (Map.Entry<Tensor, double[]> t : before.entrySet()) {
                assertArrayEquals(t.getValue(), t.getKey().toDoubleArray(), "writing into " + e.getKey() + ".grad changed another tensor");
            }
        }
    }
}
