package dev.lethe.cuda;

import jcuda.Pointer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A kernel's arguments in native memory, in the form {@code cuLaunchKernel}'s
 * {@code kernelParams} takes: an array of addresses whose k-th entry points at the bytes of
 * argument k. The driver copies each argument (as many bytes as the kernel's signature gives
 * it) when the launch is queued, so one block per thread is reused for every launch.
 *
 * <p>Why not JCuda's {@code Pointer.to(Pointer.to(x), Pointer.to(new int[] {n}), …)}: JCuda
 * then visits every Java object through JNI, about 3.6 µs for six arguments on the 2-vCPU
 * Zen 5 development machine against 0.22 µs for one direct buffer (measured against a
 * stand-in driver whose {@code cuLaunchKernel} returns at once; see
 * {@code cuda-kernels/tools/null-driver}).
 *
 * <p>Each argument starts on an 8-byte slot: a pointer or a 64-bit integer fills one, a
 * 32-bit integer or float its low four bytes, a struct as many slots as its bytes need. The
 * values are the caller's {@code long[]} slots, written here in the platform's order, which
 * CUDA hosts (x86-64, little-endian Arm and POWER) all share: little-endian.
 */
final class KernelArguments {
    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("kernel arguments are packed little-endian; this platform is " + ByteOrder.nativeOrder());
        }
    }

    private static final ThreadLocal<KernelArguments> BLOCK = ThreadLocal.withInitial(() -> new KernelArguments(64, 32));

    private final MemorySegment values;
    private final MemorySegment addresses;
    private final Pointer params;

    private KernelArguments(int maxSlots, int maxArguments) {
        Arena arena = Arena.ofAuto();
        this.values = arena.allocate((long) maxSlots * Long.BYTES, 16);
        this.addresses = arena.allocate((long) maxArguments * Long.BYTES, 16);
        this.params = Pointer.to(addresses.asByteBuffer());
    }

    /**
     * This thread's block, filled with {@code slots[0 .. used)}, argument k starting at slot
     * {@code starts[k]}: the {@code kernelParams} pointer for {@code cuLaunchKernel}, valid
     * until this thread's next call.
     */
    static Pointer fill(long[] slots, int used, int[] starts, int count) {
        KernelArguments b = BLOCK.get();
        int maxSlots = (int) (b.values.byteSize() / Long.BYTES), maxArguments = (int) (b.addresses.byteSize() / Long.BYTES);
        if (used > maxSlots || count > maxArguments) {
            b = new KernelArguments(Math.max(used, maxSlots), Math.max(count, maxArguments));
            BLOCK.set(b);
        }
        MemorySegment.copy(slots, 0, b.values, ValueLayout.JAVA_LONG, 0, used);
        long base = b.values.address();
        for (int k = 0; k < count; k++) b.addresses.setAtIndex(ValueLayout.JAVA_LONG, k, base + (long) starts[k] * Long.BYTES);
        return b.params;
    }

    /** Slots {@code [0, n)} of this thread's block as last filled (for tests). */
    static long[] values(int n) {
        return BLOCK.get().values.asSlice(0, (long) n * Long.BYTES).toArray(ValueLayout.JAVA_LONG);
    }

    /** The slot at which argument k's address in this thread's block points (for tests). */
    static long slotOf(int k) {
        KernelArguments b = BLOCK.get();
        return (b.addresses.getAtIndex(ValueLayout.JAVA_LONG, k) - b.values.address()) / Long.BYTES;
    }
}
