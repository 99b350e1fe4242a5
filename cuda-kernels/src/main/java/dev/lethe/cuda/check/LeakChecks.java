package dev.lethe.cuda.check;

import dev.lethe.cuda.AllocatorStats;
import dev.lethe.cuda.CudaBackend;
import dev.lethe.cuda.CudaContext;
import dev.lethe.cuda.DeviceBuffer;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.optim.SGD;
import dev.lethe.tensor.Tensor;
import dev.lethe.train.StepMemory;
import jcuda.driver.CUdeviceptr;

import java.util.List;

import static dev.lethe.cuda.check.Compare.GPU;

/**
 * Device memory returns to its baseline: buffers closed in a loop, tensors left to the Cleaner
 * over many training steps, and steps run in memory scopes ({@link StepMemory}).
 */
final class LeakChecks {
    private static final long SLACK = 4L << 20;

    private LeakChecks() {}

    static List<Check> all() {
        return List.of(
                new Check("allocate/free in a loop: memory back to its baseline, the cache serves repeats", LeakChecks::closeLoop),
                new Check("training steps whose tensors are never closed: the Cleaner returns them", LeakChecks::trainingLoop),
                new Check("training steps in memory scopes: each step's blocks go back as it ends, no cache misses after", LeakChecks::scopedSteps));
    }

    private static CudaContext context() {
        return CudaBackend.of(0).context();
    }

    /** Waits (with GCs) until fewer than {@code blocks} blocks are in use, or 5 s pass. */
    private static AllocatorStats settle(CudaContext c, long blocks) throws InterruptedException {
        for (int i = 0; i < 100 && c.allocator().stats().blocksInUse() > blocks; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return c.allocator().stats();
    }

    private static void closeLoop() throws InterruptedException {
        CudaContext c = context();
        AllocatorStats before = settle(c, 0);
        c.allocator().emptyCache();
        long freeBefore = c.memoryInfo()[0];
        long rawBefore = c.allocator().stats().rawAllocations();
        for (int i = 0; i < 10_000; i++) {
            try (DeviceBuffer<CUdeviceptr> b = c.allocateFloats(1 + (i % 7) * 100_003L)) {
                Expect.isTrue(b.capacity() >= b.bytes(), "capacity");
            }
        }
        AllocatorStats after = c.allocator().stats();
        Expect.equal(before.bytesInUse(), after.bytesInUse(), "bytes in use after 10,000 closed buffers");
        Expect.isTrue(after.rawAllocations() - rawBefore <= 7, "7 sizes need at most 7 cache misses, made " + (after.rawAllocations() - rawBefore));
        c.allocator().emptyCache();
        long freeAfter = c.memoryInfo()[0];
        Expect.isTrue(Math.abs(freeAfter - freeBefore) <= SLACK, "device free memory moved from " + freeBefore + " to " + freeAfter + " bytes");
    }

    private static void trainingLoop() throws InterruptedException {
        CudaContext c = context();
        Module m = Models.mlp(1).to(GPU);
        SGD opt = new SGD(m.parameters(), 0.01);
        Tensor x = Tensor.rand(2, 64, 784).to(GPU);
        int[] y = new int[64];
        long peak = 0;
        for (int step = 0; step < 300; step++) {
            opt.zeroGrad();
            m.forward(x).crossEntropy(y).backward();
            opt.step();
            peak = Math.max(peak, c.allocator().stats().bytesReserved());
        }
        opt.zeroGrad();
        AllocatorStats s = settle(c, m.parameters().size() + 1);
        long params = 0;
        for (Tensor p : m.parameters()) params += (long) p.numel() * Float.BYTES;
        Expect.isTrue(s.bytesInUse() <= params + x.numel() * 4L + SLACK,
                "after 300 steps " + s.bytesInUse() + " bytes are in use; the parameters and input hold " + (params + x.numel() * 4L));
        long bound = c.allocator().softLimit() + (256L << 20);
        Expect.isTrue(peak <= bound, "the reserve stayed under the soft limit: peak " + peak + " bytes, limit " + c.allocator().softLimit());
    }

    private static void scopedSteps() {
        CudaContext c = context();
        Module m = Models.mlp(1).to(GPU);
        List<Tensor> params = m.parameters();
        SGD opt = new SGD(params, 0.01, 0.9, 0, false, 0);
        Tensor x = Tensor.rand(3, 64, 784).to(GPU);
        int[] y = new int[64];
        long raw = 0, inUse = 0;
        StepMemory memory = new StepMemory(params);
        for (int step = 0; step < 50; step++) {
            try (StepMemory.Step s = memory.open()) {
                opt.zeroGrad();
                m.forward(x).crossEntropy(y).backward();
                opt.step();
            }
            AllocatorStats s = c.allocator().stats();
            if (step == 1) {
                raw = s.rawAllocations();
                inUse = s.bytesInUse();
            } else if (step > 1) {
                Expect.equal(raw, s.rawAllocations(), "raw allocations after step " + step + " (step 1 had made " + raw + ")");
                Expect.isTrue(s.bytesInUse() <= inUse, "after step " + step + " " + s.bytesInUse() + " bytes are in use, after step 1 " + inUse);
            }
        }
    }
}
