package dev.lethe.tensor;

import dev.lethe.backend.TestDeviceProvider;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MemoryScope on the test device: what a scope makes goes when it closes, what it keeps stays. */
class MemoryScopeTest {
    private static final Device DEV = TestDeviceProvider.DEV0;

    @Test
    void whatAScopeMakesIsReleasedAndRefusesUseWithAClearMessage() {
        Tensor outside = Tensor.ones(3).to(DEV);
        Tensor made;
        try (MemoryScope scope = MemoryScope.open()) {
            made = outside.add(outside);
            assertArrayEquals(new float[] {2, 2, 2}, made.toFloatArray());
        }
        assertTrue(made.storage().isReleased());
        assertFalse(outside.storage().isReleased(), "made before the scope: not its to release");
        IllegalStateException e = assertThrows(IllegalStateException.class, made::toFloatArray);
        assertTrue(e.getMessage().startsWith("device storage of 3 floats on testdev:0 was released when its MemoryScope closed"), e.getMessage());
        IllegalStateException one = assertThrows(IllegalStateException.class, () -> made.get(1));
        assertEquals(e.getMessage(), one.getMessage(), "a single element refuses too");
        assertArrayEquals(new float[] {1, 1, 1}, outside.toFloatArray());
    }

    @Test
    void keptStorageSurvivesAndMovesToTheEnclosingScope() {
        Tensor kept, view;
        try (MemoryScope outer = MemoryScope.open()) {
            try (MemoryScope inner = MemoryScope.open()) {
                kept = Tensor.full(4, DType.FLOAT32, DEV, 2, 2);
                view = kept.narrow(0, 1, 1);
                inner.keep(view, null);
            }
            assertFalse(kept.storage().isReleased(), "kept through a view of its storage");
            assertArrayEquals(new float[] {4, 4}, view.toFloatArray());
        }
        assertTrue(kept.storage().isReleased(), "the enclosing scope owned it next");
    }

    @Test
    void adoptedTensorsGoWithTheScopeAndOutsideMakesLongLivedOnes() {
        Tensor before = Tensor.ones(2).to(DEV);
        Tensor longLived, after;
        try (MemoryScope scope = MemoryScope.open()) {
            scope.adopt(before).adopt(null).adopt(Tensor.ones(2));
            longLived = MemoryScope.outside(() -> Tensor.zeros(DType.FLOAT32, DEV, 5));
            after = Tensor.ones(1).to(DEV);
        }
        assertTrue(before.storage().isReleased());
        assertFalse(longLived.storage().isReleased());
        assertTrue(after.storage().isReleased(), "the scope owned what came after outside() again");
        assertEquals("tensor(released on testdev:0, shape=[1], dtype=float32)", after.toString(), "printing says so instead of throwing");
        try (MemoryScope again = MemoryScope.open()) {
            again.adopt(before); // already released: nothing to do
        }
    }

    @Test
    void scopesCloseInReverseOrderAndOnlyOnTheirThread() throws Exception {
        MemoryScope outer = MemoryScope.open();
        MemoryScope inner = MemoryScope.open();
        IllegalStateException order = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(order.getMessage().contains("reverse order"), order.getMessage());
        Throwable[] other = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                inner.close();
            } catch (Throwable x) {
                other[0] = x;
            }
        }, "other");
        t.start();
        t.join();
        assertTrue(other[0] instanceof IllegalStateException && other[0].getMessage().contains("closed on other"), String.valueOf(other[0]));
        inner.close();
        outer.close();
        outer.close(); // a second close does nothing
    }

    @Test
    void heapTensorsAreNeverTouched() {
        Tensor cpu;
        try (MemoryScope scope = MemoryScope.open()) {
            cpu = Tensor.ones(3).add(Tensor.ones(3));
            scope.adopt(cpu);
        }
        assertFalse(cpu.storage().isReleased());
        assertArrayEquals(new float[] {2, 2, 2}, cpu.toFloatArray());
    }
}
