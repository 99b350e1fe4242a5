package dev.lethe.cuda.check;

import dev.lethe.cpu.Parallel;
import dev.lethe.cuda.AllocatorStats;
import dev.lethe.cuda.CudaBackend;
import dev.lethe.cuda.CudaContext;
import dev.lethe.cuda.CudaOptimizerSteps;
import dev.lethe.cuda.CudaSelect;
import dev.lethe.cuda.CudaSurgery;
import dev.lethe.cuda.DeviceBuffer;
import dev.lethe.cuda.GemmEngines;
import dev.lethe.data.FashionMnist;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import dev.lethe.train.Recipe;
import dev.lethe.train.Trainer;
import jcuda.driver.CUdeviceptr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@link GpuCheck}'s measurements, one section each: SGEMM GFLOPS per engine ({@code gemm});
 * elementwise and mask kernels in GB/s against a device-to-device copy at 100M floats
 * ({@code bandwidth}, {@code masks}); the host-side cost of a launch, a synchronisation, an
 * {@code item()}, an upload and a cache miss ({@code costs}); MLP epochs on the GPU against
 * the CPU, with the launches, copies and raw allocations per step ({@code mlp}). A section
 * that fails is reported and the next one still runs.
 */
final class GpuPerformance {
    /** The sections, in the order they run. */
    static final List<String> SECTIONS = List.of("gemm", "bandwidth", "masks", "costs", "mlp");
    /** Floats per operand in the bandwidth and mask sections. */
    private static final int N = 100_000_000;
    private static final int WARM_EPOCHS = 3, EPOCHS = 5;

    private GpuPerformance() {}

    /** One section; a failure is printed and the next section still runs. */
    private interface Section {
        void run(CudaBackend be) throws Exception;
    }

    /** Runs the named sections, in {@link #SECTIONS} order. */
    static void run(CudaBackend be, List<String> names) {
        Section[] bodies = {GpuPerformance::gemm, GpuPerformance::bandwidth, GpuPerformance::masks, GpuPerformance::costs, GpuPerformance::mlp};
        for (int i = 0; i < SECTIONS.size(); i++) {
            if (!names.contains(SECTIONS.get(i))) continue;
            System.out.println();
            try {
                bodies[i].run(be);
            } catch (Throwable t) {
                System.out.println(SECTIONS.get(i) + " FAILED: " + t);
                GpuCheck.printWhere(t);
            }
        }
    }

    private static void gemm(CudaBackend be) {
        Device gpu = be.device();
        System.out.println("SGEMM (row-major, float32), median of 5:");
        for (int s : new int[] {1000, 1024, 2048, 4096, 8192}) {
            Tensor a = Tensor.randn(1, s, s).to(gpu), b = Tensor.randn(2, s, s).to(gpu), out = Tensor.zeros(DType.FLOAT32, gpu, s, s);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %4d³:", s));
            for (String engine : GemmEngines.available(0)) {
                double sec = seconds(be.context(), 5, () -> GemmEngines.sgemm(engine, a, b, out));
                line.append(String.format(Locale.ROOT, "  %s %8.0f GFLOPS", engine, 2.0 * s * s * s / sec / 1e9));
            }
            System.out.println(line);
        }
    }

    private static void bandwidth(CudaBackend be) {
        CudaContext c = be.context();
        Tensor x = Tensor.randn(1, N).to(be.device()), y = Tensor.randn(2, N).to(be.device()), z = be.empty(N);
        double copy = copySeconds(c, x, z);
        System.out.printf(Locale.ROOT, "elementwise on %,d floats, median of 10 (GB/s counts bytes read + written):%n", N);
        System.out.printf(Locale.ROOT, "  device-to-device copy          %6.0f GB/s%n", 8.0 * N / copy / 1e9);
        rate("x.relu(out)", 8, copy, seconds(c, 10, () -> x.relu(z)));
        rate("x.add(y, out)", 12, copy, seconds(c, 10, () -> x.add(y, z)));
        rate("x.relu(), a fresh output", 8, copy, seconds(c, 10, () -> x.relu()));
        rate("x.add(y), a fresh output", 12, copy, seconds(c, 10, () -> x.add(y)));
    }

    private static void masks(CudaBackend be) {
        CudaContext c = be.context();
        Device gpu = be.device();
        Tensor w = Tensor.randn(1, N).to(gpu), g = Tensor.randn(2, N).to(gpu), mask = Tensor.rand(3, N).gt(0.5).to(gpu);
        Tensor buf = be.zeros(N), fisher = be.zeros(N), keep = be.empty(N), z = be.empty(N);
        double copy = copySeconds(c, w, z);
        System.out.printf(Locale.ROOT, "mask and unlearning kernels on %,d floats, median of 10 (copy %.0f GB/s):%n", N, 8.0 * N / copy / 1e9);
        rate("apply a mask (x ← 0 where m = 0)", 12, copy, seconds(c, 10, () -> CudaSurgery.applyMask(w, mask)));
        rate("prune at τ, writing the mask", 12, copy, seconds(c, 10, () -> CudaSurgery.prune(w, 1e-3f, keep)));
        rate("Fisher accumulation", 12, copy, seconds(c, 10, () -> CudaSurgery.fisherAccumulate(fisher, g)));
        rate("gradient surgery's direction fma(a, u, b·r)", 12, copy, seconds(c, 10, () -> CudaSurgery.combine(w, g, 0.5f, 1.5f, z)));
        rate("gradient surgery's float64 dots (reads only)", 8, copy, seconds(c, 10, () -> CudaSurgery.dots3(List.of(w), List.of(g))));
        rate("masked SGD step, momentum", 24, copy, seconds(c, 10, () -> CudaOptimizerSteps.sgd(w, g, buf, mask, 1e-9, 0.9, 0, false, 0, false)));
        long sampledBefore = CudaSelect.sampledMasks();
        double topk = seconds(c, 5, () -> CudaSelect.topKMask(g, N / 10, true));
        boolean sampled = CudaSelect.sampledMasks() > sampledBefore;
        System.out.printf(Locale.ROOT, "  top-10%% |g| mask (%s)  %.2f ms = %.1f copies of the floats%n",
                sampled ? "sampled bracket: one pass over the floats, radix select on the candidates" : "radix select: 4 histogram passes, ties, mask",
                topk * 1e3, topk / copy);
    }

    private static void costs(CudaBackend be) {
        CudaContext c = be.context();
        System.out.println("what one call costs on the host's side (median of 5 runs of 2000 calls):");
        Tensor four = be.zeros(4);
        float[] batch = new float[128 * 784];
        Tensor onGpu = be.empty(batch.length);
        int calls = 2000;
        double launch = seconds(c, 5, () -> {
            for (int i = 0; i < calls; i++) four.relu(four);
        }) / calls;
        double sync = seconds(c, 5, () -> {
            for (int i = 0; i < calls; i++) {
                four.relu(four);
                c.synchronize();
            }
        }) / calls - launch;
        double item = seconds(c, 5, () -> {
            for (int i = 0; i < calls; i++) four.narrow(0, 0, 1).item();
        }) / calls;
        double upload = seconds(c, 5, () -> {
            for (int i = 0; i < calls; i++) c.upload(batch, 0, CudaBackend.ptr(onGpu), 0, batch.length);
        }) / calls;
        // Fresh device blocks: each a cache miss (a carve from a chunk, or a cuMemAlloc); handed back to the cache afterwards.
        List<DeviceBuffer<CUdeviceptr>> blocks = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) blocks.add(c.allocateFloats(32768 + 64 * i));
        double alloc = (System.nanoTime() - t0) / 1e9 / calls;
        blocks.forEach(DeviceBuffer::close);
        System.out.printf(Locale.ROOT, "  kernel launch %.1f µs, synchronisation after one %.1f µs, item() %.1f µs, upload of 128×784 floats %.1f µs, "
                + "a cache miss (a fresh device block) %.1f µs%n", launch * 1e6, sync * 1e6, item * 1e6, upload * 1e6, alloc * 1e6);
        queuedUpload(be);
    }

    /**
     * Whether a small upload waits for the GPU: the host time of one 128-int upload (a batch's
     * labels) queued behind some milliseconds of kernels, against those kernels' own time. Near
     * the kernels' time, the driver synchronised with the stream; near a few µs, it did not.
     */
    private static void queuedUpload(CudaBackend be) {
        CudaContext c = be.context();
        Tensor x = be.zeros(50_000_000), z = be.empty(50_000_000);
        int[] labels = new int[128];
        double busy = seconds(c, 5, () -> {
            for (int i = 0; i < 20; i++) x.relu(z);
        });
        double[] hostTimes = new double[5];
        for (int k = 0; k < hostTimes.length; k++) {
            c.synchronize();
            for (int i = 0; i < 20; i++) x.relu(z);
            long t0 = System.nanoTime();
            c.uploadInts(labels).close();
            hostTimes[k] = (System.nanoTime() - t0) / 1e9;
            c.synchronize();
        }
        java.util.Arrays.sort(hostTimes);
        System.out.printf(Locale.ROOT, "  an upload of 128 ints behind %.2f ms of queued kernels returned after %.1f µs (median of 5; near the kernels' "
                + "time it waited for them)%n", busy * 1e3, hostTimes[2] * 1e6);
    }

    private static void mlp(CudaBackend be) throws IOException {
        CudaContext c = be.context();
        FashionMnist fm = FashionMnist.bundled();
        for (int batch : new int[] {128, 1024}) {
            Recipe recipe = new Recipe(1, batch, 0.05, Recipe.Schedule.CONSTANT, 0.9, 0, 0);
            double cpu = epochSeconds(Models.mlp(0), fm, recipe);
            AllocatorStats before = c.allocator().stats();
            CudaContext.Counters counted = c.counters();
            double gpu = epochSeconds(Models.mlp(0).to(be.device()), fm, recipe);
            AllocatorStats after = c.allocator().stats();
            CudaContext.Counters perRun = c.counters().since(counted);
            long raw = after.rawAllocations() - before.rawAllocations();
            double steps = (double) (WARM_EPOCHS + EPOCHS) * ((fm.train().size() + batch - 1) / batch);
            System.out.printf(Locale.ROOT, "MLP epoch on the bundled Fashion-MNIST subset (%,d images, batch %d), median of %d after %d warm-up epochs:%n",
                    fm.train().size(), batch, EPOCHS, WARM_EPOCHS);
            System.out.printf(Locale.ROOT, "  CPU (%d threads) %.3f s   GPU %.3f s   %.1fx%n", Parallel.threads(), cpu, gpu, cpu / gpu);
            System.out.printf(Locale.ROOT, "  device allocator over the GPU's %d epochs: %d raw allocations, %d cache hits, %d collections asked for, %.0f MB reserved%n",
                    WARM_EPOCHS + EPOCHS, raw, after.cacheHits() - before.cacheHits(), after.collections() - before.collections(), after.bytesReserved() / 1e6);
            System.out.printf(Locale.ROOT, "  per step: %.1f launches, %.1f synchronisations, %.1f uploads, %.1f downloads, %.1f raw allocations%n",
                    perRun.launches() / steps, perRun.synchronizations() / steps, perRun.uploads() / steps, perRun.downloads() / steps, raw / steps);
            System.out.println();
        }
    }

    /** The median seconds of {@link #EPOCHS} epochs of {@code net} after {@link #WARM_EPOCHS} (the JIT, the PTX, the caches). */
    private static double epochSeconds(Module net, FashionMnist fm, Recipe recipe) {
        Trainer t = new Trainer(net, fm.train(), recipe);
        for (int e = 0; e < WARM_EPOCHS; e++) t.epoch(e, null, s -> { });
        double[] sec = new double[EPOCHS];
        for (int e = 0; e < EPOCHS; e++) sec[e] = t.epoch(WARM_EPOCHS + e, null, s -> { }).seconds();
        return median(sec);
    }

    /** Median seconds of {@code reps} timed runs after two warm-ups, each synchronised. */
    private static double seconds(CudaContext c, int reps, Runnable r) {
        for (int i = 0; i < 2; i++) r.run();
        c.synchronize();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            c.synchronize();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        return median(t);
    }

    /** The middle value (the upper one of an even count); sorts {@code values}. */
    private static double median(double[] values) {
        Arrays.sort(values);
        return values[values.length / 2];
    }

    /** Median seconds of a device-to-device copy of {@link #N} floats from {@code src} to {@code dst}: the bandwidth ceiling. */
    private static double copySeconds(CudaContext c, Tensor src, Tensor dst) {
        return seconds(c, 10, () -> c.copy(CudaBackend.ptr(src), 0, CudaBackend.ptr(dst), 0, N));
    }

    /** One line: the kernel's GB/s from the bytes it moves per element, and its share of the copy's. */
    private static void rate(String what, int bytesPerElement, double copySeconds, double seconds) {
        System.out.printf(Locale.ROOT, "  %-30s %6.0f GB/s  (%3.0f%% of the copy)%n", what, (double) bytesPerElement * N / seconds / 1e9,
                100 * (bytesPerElement / seconds) / (8 / copySeconds));
    }
}
