package dev.lethe.cuda;

import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A launch's arguments as {@code cuLaunchKernel} reads them: each value in its slot, each
 * address pointing at its argument's first slot. Runs without a GPU (no launch is made).
 */
class KernelArgumentsTest {
    @Test
    void everyKindOfArgumentLandsInItsSlotLittleEndian() {
        Layout layout = Layout.of(new int[] {3, 5, 7}, new int[] {35, 7, 1}, new int[] {0, 1, 0});
        int[] words = layout.packed();
        Launch launch = Launch.of(null, null)
                .ptr(new DevicePointer().withByteOffset(1024).withByteOffset(12))
                .i(-3).l(1L << 40).f(-0.5f).ptrOrNull(null).layout(layout).u(0x8000_0001);
        launch.arguments();

        int layoutSlots = (words.length + 1) / 2;
        long[] v = KernelArguments.values(6 + layoutSlots);
        assertEquals(1036, v[0], "pointer: base + both byte offsets");
        assertEquals(0xFFFF_FFFDL, v[1], "int32 -3 in the low four bytes, zero above");
        assertEquals(1L << 40, v[2]);
        assertEquals(Integer.toUnsignedLong(Float.floatToRawIntBits(-0.5f)), v[3]);
        assertEquals(0, v[4], "an optional buffer left out is a null pointer");
        for (int w = 0; w < words.length; w++) {
            long slot = v[5 + w / 2];
            int word = (int) (w % 2 == 0 ? slot : slot >>> 32);
            assertEquals(words[w], word, "layout word " + w);
        }
        if (words.length % 2 == 1) assertEquals(0, v[5 + layoutSlots - 1] >>> 32, "the struct's padding");
        assertEquals(0x8000_0001L, v[5 + layoutSlots]);

        long[] at = new long[7];
        for (int k = 0; k < at.length; k++) at[k] = KernelArguments.slotOf(k);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 5 + layoutSlots}, at);
    }

    @Test
    void aLaunchWithMoreArgumentsThanTheBlockHoldsGetsALargerOne() {
        Layout layout = Layout.of(new int[] {2, 2}, new int[] {2, 1});
        Launch launch = Launch.of(null, null);
        for (int k = 0; k < 40; k++) launch.layout(layout).i(k);
        launch.arguments();
        int layoutSlots = (layout.packed().length + 1) / 2;
        for (int k = 0; k < 40; k++) {
            long slot = KernelArguments.slotOf(2 * k + 1);
            assertEquals((long) (k + 1) * layoutSlots + k, slot);
            assertEquals(k, KernelArguments.values((int) slot + 1)[(int) slot]);
        }
    }

    @Test
    void aPointerFromOutsideLetheIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Launch.of(null, null).ptr(new CUdeviceptr()));
        assertTrue(e.getMessage().contains("DevicePointer") && e.getMessage().contains("jcuda.driver.CUdeviceptr"), e.getMessage());
    }

    @Test
    void offsetsKeepTheTypeAndAdd() {
        DevicePointer p = new DevicePointer().withByteOffset(256);
        assertEquals(256, p.address());
        assertEquals(260, p.withByteOffset(4).address());
        assertEquals(256, p.address(), "withByteOffset makes a new pointer");
    }
}
