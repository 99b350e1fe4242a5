package dev.lethe.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caching allocator's size classes, reuse, statistics and out-of-memory path, over a fake device. */
class CachingAllocatorTest {
    @Test
    void sizeClassesRoundUpByAtMostAQuarter() {
        assertEquals(512, CachingAllocator.sizeClass(0));
        assertEquals(512, CachingAllocator.sizeClass(512));
        assertEquals(640, CachingAllocator.sizeClass(513));
        assertEquals(1024, CachingAllocator.sizeClass(1000));
        assertEquals(5 << 20, CachingAllocator.sizeClass((4 << 20) + 1));
        for (long b = 1; b < 50_000_000; b = b * 3 + 7) {
            long c = CachingAllocator.sizeClass(b);
            assertTrue(c >= b && (b <= 512 || c <= b + b / 4 + 1), b + " -> " + c);
            assertEquals(c, CachingAllocator.sizeClass(c), "a class is its own class");
        }
    }

    @Test
    void aReturnedBlockIsReusedWithoutTouchingTheDevice() {
        FakeRawAllocator raw = new FakeRawAllocator(1 << 20);
        CachingAllocator<Long> a = new CachingAllocator<>(raw);
        DeviceBuffer<Long> b1 = DeviceBuffer.allocate(a, 1000);
        Long h = b1.handle();
        assertEquals(new AllocatorStats(1024, 0, 1, 1, 0, 0, 0), a.stats());
        b1.close();
        b1.close(); // a second close does nothing
        assertEquals(new AllocatorStats(0, 1024, 0, 1, 0, 0, 0), a.stats());
        try (DeviceBuffer<Long> b2 = DeviceBuffer.allocate(a, 900)) { // same class, 1024
            assertEquals(h, b2.handle());
            assertEquals(1, raw.allocations);
        }
        assertEquals(1, a.stats().cacheHits());
        a.emptyCache();
        assertEquals(new AllocatorStats(0, 0, 0, 1, 1, 1, 0), a.stats());
        assertEquals(0, raw.used);
    }

    @Test
    void aClosedBufferRefusesItsHandle() {
        DeviceBuffer<Long> b = DeviceBuffer.allocate(new CachingAllocator<>(new FakeRawAllocator(4096)), 16);
        b.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, b::handle);
        assertEquals("device buffer of 16 bytes is closed", e.getMessage());
    }

    @Test
    void outOfMemoryEmptiesTheCacheThenCollectsUnreachableBuffersThenThrows() {
        FakeRawAllocator raw = new FakeRawAllocator(4096);
        CachingAllocator<Long> a = new CachingAllocator<>(raw);
        DeviceBuffer.allocate(a, 2048).close(); // cached, 2048 of the 4096 held
        try (DeviceBuffer<Long> big = DeviceBuffer.allocate(a, 3000)) { // class 3072: needs the cache emptied
            assertEquals(3072, big.capacity());
            assertEquals(1, raw.frees);
        }
        a.emptyCache();
        allocateAndDrop(a, 4000); // unreachable, never closed: only the Cleaner can hand it back
        DeviceBuffer<Long> again = DeviceBuffer.allocate(a, 4000); // succeeds after a GC
        DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> DeviceBuffer.allocate(a, 100));
        assertTrue(e.getMessage().startsWith("device out of memory: asked for 100 bytes (class 512), 4096 bytes in use in 1 blocks"), e.getMessage());
        again.close();
    }

    private static void allocateAndDrop(CachingAllocator<Long> a, long bytes) {
        DeviceBuffer.allocate(a, bytes);
    }

    @Test
    void pastTheSoftLimitAMissCollectsBeforeAllocatingAndTheLimitFollowsTheLiveSet() {
        FakeRawAllocator raw = new FakeRawAllocator(1L << 40);
        CachingAllocator<Long> a = new CachingAllocator<>(raw, 64 * 1024);
        for (int i = 0; i < 1000; i++) allocateAndDrop(a, 4096); // 4 MB in all, never closed
        assertTrue(raw.allocations <= 200, "dropped buffers come back and are reused: " + raw.allocations + " cuMemAlloc calls for 1000 requests");
        assertTrue(a.stats().collections() > 0);
        // a live set above the limit raises it instead of collecting on every miss
        java.util.List<DeviceBuffer<Long>> live = new java.util.ArrayList<>();
        long before = a.stats().collections();
        for (int i = 0; i < 256; i++) live.add(DeviceBuffer.allocate(a, 4096)); // 1 MB live, 16× the first limit
        assertTrue(a.softLimit() >= 128 * 4096L, "limit " + a.softLimit());
        assertTrue(a.stats().collections() - before <= 6, "the limit doubles with the live set: " + (a.stats().collections() - before) + " collections");
        live.forEach(DeviceBuffer::close);
    }

    @Test
    void theCleanerHandsBackBuffersNoOneCloses() throws InterruptedException {
        CachingAllocator<Long> a = new CachingAllocator<>(new FakeRawAllocator(1 << 24));
        for (int i = 0; i < 100; i++) allocateAndDrop(a, 1 << 12);
        for (int i = 0; i < 200 && a.stats().blocksInUse() > 0; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(0, a.stats().bytesInUse(), "every dropped buffer came back");
        assertEquals(100L << 12, a.stats().bytesCached());
    }
}
