package dev.lethe.cuda;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkedRawAllocatorTest {
    private static final long CHUNK = ChunkedRawAllocator.CHUNK;

    /** Handles are addresses: a carved block is its chunk's handle plus its offset (a new Long each, as a new CUdeviceptr). */
    private static ChunkedRawAllocator<Long> over(FakeRawAllocator fake) {
        return new ChunkedRawAllocator<>(fake, (h, off) -> Long.valueOf(h.longValue() + off));
    }

    @Test
    void smallBlocksShareOneChunkAtAlignedDistinctOffsets() {
        FakeRawAllocator fake = new FakeRawAllocator(1L << 40);
        ChunkedRawAllocator<Long> a = over(fake);
        List<Long> hs = new ArrayList<>();
        for (int i = 0; i < 10; i++) hs.add(a.allocate(1000));
        assertEquals(1, fake.allocations, "one cuMemAlloc for ten small blocks");
        assertEquals(CHUNK, fake.used);
        for (int i = 1; i < hs.size(); i++) assertEquals(1024, hs.get(i) - hs.get(i - 1), "1000 bytes rounded up to 256-byte alignment");
        for (Long h : hs) a.free(h);
        assertEquals(0, fake.used, "the chunk goes back with its last block");
        assertEquals(1, fake.frees);
    }

    @Test
    void largeBlocksGoStraightToTheDevice() {
        FakeRawAllocator fake = new FakeRawAllocator(1L << 40);
        ChunkedRawAllocator<Long> a = over(fake);
        Long big = a.allocate(ChunkedRawAllocator.SMALL + 1);
        assertEquals(ChunkedRawAllocator.SMALL + 1, fake.used);
        a.free(big);
        assertEquals(0, fake.used);
    }

    @Test
    void aFullChunkStartsAnotherAndGoesBackOnlyWhenItsBlocksDo() {
        FakeRawAllocator fake = new FakeRawAllocator(1L << 40);
        ChunkedRawAllocator<Long> a = over(fake);
        List<Long> first = new ArrayList<>();
        for (long used = 0; used < CHUNK; used += ChunkedRawAllocator.SMALL) first.add(a.allocate(ChunkedRawAllocator.SMALL));
        assertEquals(1, fake.allocations, "exactly one chunk's worth");
        Long next = a.allocate(512);
        assertEquals(2, fake.allocations, "the next block starts a second chunk");
        for (Long h : first) a.free(h);
        assertEquals(CHUNK, fake.used, "the first chunk went back; the second holds a block");
        a.free(next);
        assertEquals(0, fake.used);
    }

    @Test
    void whereNoChunkFitsASmallBlockIsAllocatedAlone() {
        FakeRawAllocator fake = new FakeRawAllocator(CHUNK / 2);
        ChunkedRawAllocator<Long> a = over(fake);
        Long h = a.allocate(4096);
        assertNotNull(h);
        assertEquals(4096, fake.used);
        a.free(h);
        assertEquals(0, fake.used);
    }

    @Test
    void theCachingAllocatorOnChunksReusesBlocksAndEmptiesToZero() {
        FakeRawAllocator fake = new FakeRawAllocator(1L << 40);
        CachingAllocator<Long> c = new CachingAllocator<>(over(fake), 1L << 40);
        List<DeviceBuffer<Long>> bufs = new ArrayList<>();
        for (int i = 0; i < 100; i++) bufs.add(DeviceBuffer.allocate(c, 4096 + 512L * i));
        assertEquals(1, fake.allocations, "a hundred cache misses, one chunk");
        bufs.forEach(DeviceBuffer::close);
        assertTrue(fake.used > 0, "cached blocks keep their chunk");
        c.emptyCache();
        assertEquals(0, fake.used, "emptying the cache returns the chunk");
    }
}
