package dev.lethe.autograd;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** The autograd engine's contract: accumulation, graph release, in-place safety, grad mode, hooks. */
class AutogradTest {

    private static Tensor leaf(double... values) {
        return Tensor.fromArray(values, values.length).requiresGrad(true);
    }

    private static void assertValues(double[] want, Tensor got, String what) {
        assertArrayEquals(want, got.toDoubleArray(), 1e-12, what);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroGrad() {
        Tensor x = leaf(1, 2, 3);
        x.mul(3).sum().backward();
        assertValues(new double[] {3, 3, 3}, x.grad(), "after one backward");
        x.mul(x).sum().backward();
        assertValues(new double[] {3 + 2, 3 + 4, 3 + 6}, x.grad(), "second backward adds 2x");
        x.zeroGrad();
        assertNull(x.grad());
        x.mul(5).sum().backward();
        assertValues(new double[] {5, 5, 5}, x.grad(), "after zeroGrad, a fresh gradient");
    }

    @Test
    void storedGradientDoesNotAliasTheIncomingGradient() {
        Tensor x = leaf(1, 2);
        Tensor g = Tensor.fromArray(new double[] {1, 1}, 2);
        x.backward(g); // a leaf as the root: the gradient goes straight into .grad
        try (NoGrad ignored = NoGrad.enter()) {
            g.fill_(7);
        }
        assertValues(new double[] {1, 1}, x.grad(), "changing the caller's gradient tensor must not change .grad");
    }

    @Test
    void backwardOnNonScalarWithoutGradientIsAClearError() {
        Tensor y = leaf(1, 2, 3).mul(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("one-element") && e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void backwardWithExplicitGradient() {
        Tensor x = leaf(1, -2, 3);
        Tensor y = x.mul(x);
        y.backward(Tensor.fromArray(new double[] {1, 10, 100}, 3));
        assertValues(new double[] {2 * 1, 2 * -2 * 10, 2 * 3 * 100}, x.grad(), "∂(x²)/∂x · g = 2x·g");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.mul(x).backward(Tensor.ones(DType.FLOAT64, 4)));
        assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("[3]"), e.getMessage());
    }

    /** Run on a thread with a small stack, so a recursive walk of the 100 000 nodes would overflow. */
    @Test
    void aHundredThousandOpChainBackpropagatesWithoutRecursion() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Double> grad = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                Tensor x = leaf(1.0);
                Tensor y = x;
                for (int i = 0; i < 100_000; i++) y = y.mul(1.0000001);
                y.sum().backward();
                grad.set(x.grad().item());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack-backward", 256 * 1024);
        t.start();
        t.join();
        if (failure.get() != null) throw new AssertionError("backward of a long chain failed", failure.get());
        assertEquals(Math.pow(1.0000001, 100_000), grad.get(), 1e-9, "d/dx of x·c^100000");
    }

    @Test
    void secondBackwardThroughAReleasedGraphIsRefusedClearly() {
        Tensor x = leaf(1, 2);
        Tensor loss = x.exp().sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("second time") && e.getMessage().contains("released"), e.getMessage());
        assertTrue(e.getMessage().contains("backward(grad, true)"), "the message says how to keep the graph: " + e.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = leaf(1, 2);
        Tensor loss = x.exp().sum();
        loss.backward(Tensor.ones(DType.FLOAT64), true);
        loss.backward(Tensor.ones(DType.FLOAT64), true);
        loss.backward(); // the last one releases
        assertValues(new double[] {3 * Math.exp(1), 3 * Math.exp(2)}, x.grad(), "three backward passes accumulate");
        assertThrows(IllegalStateException.class, loss::backward);
    }

    @Test
    void modifyingASavedTensorInPlaceIsCaughtAtBackward() {
        Tensor x = leaf(0.5, 1.5);
        Tensor y = x.exp(); // exp saves its output for ∂y/∂x = y
        Tensor loss = y.mul(2).sum();
        try (NoGrad ignored = NoGrad.enter()) {
            y.detach().fill_(0); // detach shares storage: the write is visible to the saved y
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("'exp'") && e.getMessage().contains("modified in place"), e.getMessage());
    }

    @Test
    void modifyingATensorNotSavedByAnyOpIsFine() {
        Tensor x = leaf(0.5, 1.5);
        Tensor c = Tensor.fromArray(new double[] {1, 1}, 2);
        Tensor loss = x.add(c).sum(); // add saves nothing: its gradient does not read c
        try (NoGrad ignored = NoGrad.enter()) {
            c.fill_(5);
        }
        loss.backward();
        assertValues(new double[] {1, 1}, x.grad(), "∂(x + c)/∂x");
    }

    @Test
    void noGradScopesNest() {
        Tensor x = leaf(1, 2);
        assertTrue(NoGrad.gradEnabled());
        try (NoGrad outer = NoGrad.enter()) {
            try (NoGrad inner = NoGrad.enter()) {
                assertFalse(NoGrad.gradEnabled());
            }
            assertFalse(NoGrad.gradEnabled(), "closing the inner scope keeps the outer one");
            Tensor y = x.mul(2);
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
            outer.close();
            outer.close(); // closing twice must not re-enable twice
            assertTrue(NoGrad.gradEnabled());
        }
        assertTrue(NoGrad.gradEnabled(), "try-with-resources after an explicit close leaves grad mode on");
        assertNotNull(x.mul(2).gradFn());
    }

    @Test
    void noGradIsThreadLocal() throws Exception {
        Tensor x = leaf(1, 2);
        AtomicReference<Tensor> fromOtherThread = new AtomicReference<>();
        try (NoGrad ignored = NoGrad.enter()) {
            Thread t = new Thread(() -> fromOtherThread.set(x.mul(3)));
            t.start();
            t.join();
            assertNull(x.mul(3).gradFn(), "this thread is in NoGrad");
        }
        assertNotNull(fromOtherThread.get().gradFn(), "another thread still records");
        fromOtherThread.get().sum().backward();
        assertValues(new double[] {3, 3}, x.grad(), "the other thread's graph backpropagates");
    }

    @Test
    void retainGradKeepsANonLeafGradient() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(3).retainGrad();
        Tensor z = y.mul(y);
        z.sum().backward();
        assertValues(new double[] {6, 12}, y.grad(), "∂Σy²/∂y = 2y");
        assertValues(new double[] {18, 36}, x.grad(), "chain rule to the leaf");
        assertNull(z.grad(), "non-leaves without retainGrad store nothing");
    }

    @Test
    void hooksRunInOrderCanReplaceTheGradientAndCanBeRemoved() throws Exception {
        Tensor x = leaf(1, 2, 3);
        Tensor mask = Tensor.fromArray(new double[] {1, 0, 1}, 3);
        List<String> calls = new ArrayList<>();
        AutoCloseable first = x.registerHook(g -> {
            calls.add("first");
            return g.mul(mask); // zero the masked entry
        });
        AutoCloseable second = x.registerHook(g -> {
            calls.add("second sees " + g.get(1));
            return g;
        });
        x.mul(4).sum().backward();
        assertEquals(List.of("first", "second sees 0.0"), calls, "hooks run in registration order, each on the previous one's result");
        assertValues(new double[] {4, 0, 4}, x.grad(), "the masking hook's gradient is the one stored");

        first.close();
        x.zeroGrad();
        calls.clear();
        x.mul(4).sum().backward();
        assertEquals(List.of("second sees 4.0"), calls, "a closed handle removes its hook");
        assertValues(new double[] {4, 4, 4}, x.grad(), "no mask after removal");
        second.close();
    }

    @Test
    void hooksOnNonLeavesChangeWhatFlowsUpstream() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2);
        y.registerHook(g -> g.mul(10));
        y.sum().backward();
        assertValues(new double[] {20, 20}, x.grad(), "the hooked gradient flows to the inputs");
    }

    @Test
    void aHookReturningTheWrongShapeIsRefused() {
        Tensor x = leaf(1, 2);
        x.registerHook(g -> g.sum());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.mul(2).sum().backward());
        assertTrue(e.getMessage().contains("hook") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void detachStopsGradientFlow() {
        Tensor x = leaf(2, 3);
        Tensor d = x.detach();
        assertFalse(d.requiresGrad());
        assertSame(x.storage(), d.storage(), "detach shares storage");
        x.mul(d).sum().backward();
        assertValues(new double[] {2, 3}, x.grad(), "only the attached factor contributes: ∂(x·c)/∂x = c");
    }

    @Test
    void requiresGradOnANonLeafIsRefused() {
        Tensor y = leaf(1).exp();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        assertTrue(e.getMessage().contains("'exp'") && e.getMessage().contains("detach"), e.getMessage());
    }

    @Test
    void inPlaceWriteToALeafRequiringGradIsRefusedOutsideNoGrad() {
        Tensor x = leaf(1, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.fill_(0));
        assertTrue(e.getMessage().contains("leaf") && e.getMessage().contains("NoGrad"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> x.set(5, 0));
        assertThrows(IllegalStateException.class, () -> x.addScaled_(Tensor.ones(DType.FLOAT64, 2), 1));
        assertValues(new double[] {1, 2}, x, "refused writes change nothing");
        try (NoGrad ignored = NoGrad.enter()) {
            x.addScaled_(Tensor.ones(DType.FLOAT64, 2), -0.5);
        }
        assertValues(new double[] {0.5, 1.5}, x, "allowed inside NoGrad");
        IllegalStateException nonLeaf = assertThrows(IllegalStateException.class, () -> x.mul(2).fill_(0));
        assertTrue(nonLeaf.getMessage().contains("'scale_shift'"), nonLeaf.getMessage());
    }

    @Test
    void aDiamondGraphSumsBothPaths() {
        Tensor x = leaf(0.5, -1);
        Tensor a = x.exp(), b = x.mul(3);
        a.mul(b).sum().backward(); // ∂(eˣ·3x)/∂x = 3eˣ(1 + x)
        assertValues(new double[] {3 * Math.exp(0.5) * 1.5, 3 * Math.exp(-1) * 0}, x.grad(), "both paths summed");

        Tensor w = leaf(3, 4);
        w.mul(w).mul(w).sum().backward();
        assertValues(new double[] {27, 48}, w.grad(), "x used twice in one op: ∂x³/∂x = 3x²");
    }

    @Test
    void broadcastGradientsAreSummedBackToEachInputShape() {
        Tensor col = Tensor.fromArray(new double[] {1, 2, 3}, 3, 1).requiresGrad(true);
        Tensor row = Tensor.fromArray(new double[] {10, 20, 30, 40}, 4).requiresGrad(true);
        Tensor s = Tensor.scalar(2, DType.FLOAT64).requiresGrad(true);
        col.mul(row).mul(s).sum().backward();
        assertArrayEquals(new int[] {3, 1}, col.grad().shape());
        assertArrayEquals(new int[] {4}, row.grad().shape());
        assertArrayEquals(new int[] {}, s.grad().shape());
        assertValues(new double[] {200, 200, 200}, col.grad(), "Σ_j row_j·s");
        assertValues(new double[] {12, 12, 12, 12}, row.grad(), "Σ_i col_i·s");
        assertValues(new double[] {6 * 100}, s.grad(), "Σ col_i·row_j");
    }
}
