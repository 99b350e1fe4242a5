package dev.lethe.cuda.check;

import dev.lethe.cuda.CudaBackend;
import dev.lethe.cuda.CudaContext;
import dev.lethe.cuda.CudaOptimizerSteps;
import dev.lethe.cuda.CudaProbe;
import dev.lethe.cuda.CudaSelect;
import dev.lethe.cuda.CudaSurgery;
import dev.lethe.cuda.GemmEngines;
import dev.lethe.data.FashionMnist;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import dev.lethe.train.Recipe;
import dev.lethe.train.Trainer;

import java.util.List;
import java.util.Locale;

/**
 * The GPU check for a host with a JRE and a GPU but no build tools (see gpu-check.sh):
 * <pre>java -cp benchmarks.jar dev.lethe.cuda.check.GpuCheck [--checks-only | --perf-only] [--only N,N...] [--perf=gemm,bandwidth,masks,costs,mlp]</pre>
 * prints what the probe found and which GEMM runs, runs every {@link GpuChecks} check (GPU
 * against CPU; with {@code --only}, those of the given numbers, as printed, so a check that
 * broke the CUDA context can be rerun alone in a fresh process), then measures (all sections,
 * or those {@code --perf=} names): SGEMM GFLOPS per engine ({@code gemm}); elementwise and
 * mask kernels in GB/s against a device-to-device copy at 100M floats ({@code bandwidth},
 * {@code masks}); the host-side cost of a launch, a synchronisation, an {@code item()}, an
 * upload and a cache miss ({@code costs}); MLP epochs on the GPU against the CPU, with the
 * launches, copies and raw allocations per step ({@code mlp}).
 * Exit status: 0 all checks passed, 1 a check failed, 2 no GPU or bad arguments.
 */
public final class GpuCheck {
    private GpuCheck() {}

    public static void main(String[] args) throws Exception {
        List<String> argList = List.of(args);
        boolean checks = !argList.contains("--perf-only"), perf = !argList.contains("--checks-only");
        java.util.Set<Integer> numbers = checkNumbers(argList);
        List<String> sections = SECTIONS;
        for (String arg : argList) if (arg.startsWith("--perf=")) sections = List.of(arg.substring(7).split(","));
        if (!SECTIONS.containsAll(sections)) usage("--perf= takes sections among " + SECTIONS + ", got " + sections);
        CudaProbe.Answer a = CudaProbe.answer();
        if (!a.available()) {
            System.out.println("no CUDA device: " + a.reason() + "; nothing to check on this machine.");
            System.exit(2);
        }
        CudaBackend be = CudaBackend.of(0);
        System.out.println("device: " + a.device() + " (" + a.deviceCount() + " visible)");
        System.out.println("GEMM:   " + be.gemmImplementation());
        int failed = 0;
        if (checks) failed = runChecks(numbers);
        if (perf) performance(be, sections);
        System.out.println(failed == 0 ? "ALL CHECKS PASSED" : failed + " CHECK(S) FAILED");
        System.exit(failed == 0 ? 0 : 1);
    }

    /** The check numbers {@code --only} names (empty: every check); a missing, malformed or out-of-range number stops with status 2. */
    private static java.util.Set<Integer> checkNumbers(List<String> args) {
        java.util.Set<Integer> numbers = new java.util.TreeSet<>();
        int only = args.indexOf("--only");
        if (only < 0) return numbers;
        if (only + 1 >= args.size()) usage("--only needs check numbers, e.g. --only 3,14");
        int count = GpuChecks.all().size();
        for (String n : args.get(only + 1).split(",")) {
            try {
                numbers.add(Integer.parseInt(n.trim()));
            } catch (NumberFormatException e) {
                usage("--only takes check numbers 1.." + count + ", got '" + n + "'");
            }
        }
        for (int n : numbers) if (n < 1 || n > count) usage("--only takes check numbers 1.." + count + ", got " + n);
        return numbers;
    }

    private static void usage(String problem) {
        System.out.println("GpuCheck: " + problem);
        System.exit(2);
    }

    /** Runs the checks of the given numbers (1-based, as printed), or all where none is given. */
    private static int runChecks(java.util.Set<Integer> numbers) {
        int failed = 0;
        List<Check> all = GpuChecks.all();
        for (int i = 1; i <= all.size(); i++) {
            if (!numbers.isEmpty() && !numbers.contains(i)) continue;
            Check c = all.get(i - 1);
            long t0 = System.nanoTime();
            String verdict;
            Throwable thrown = null;
            try {
                c.body().run();
                verdict = "PASS";
            } catch (Throwable t) {
                verdict = "FAIL  " + t;
                thrown = t;
                failed++;
            }
            System.out.printf(Locale.ROOT, "%-6s #%-2d %7.0f ms  %s%n", verdict.substring(0, 4), i, (System.nanoTime() - t0) / 1e6, c.name());
            if (verdict.startsWith("FAIL")) {
                System.out.println("         " + verdict.substring(6));
                printWhere(thrown);
            }
        }
        return failed;
    }

    /** The first frames of where a check failed, and of its cause, for a log read after the run. */
    private static void printWhere(Throwable t) {
        for (Throwable e = t; e != null; e = e.getCause()) {
            if (e != t) System.out.println("         caused by " + e);
            StackTraceElement[] st = e.getStackTrace();
            for (int i = 0; i < Math.min(6, st.length); i++) System.out.println("           at " + st[i]);
        }
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
        java.util.Arrays.sort(t);
        return t[reps / 2];
    }

    /** One measurement; a failure is printed and the next measurement still runs. */
    private interface Measurement {
        void run() throws Exception;
    }

    private static void measure(String what, Measurement m) {
        System.out.println();
        try {
            m.run();
        } catch (Throwable t) {
            System.out.println(what + " FAILED: " + t);
            printWhere(t);
        }
    }

    /** The measurements {@code --perf=NAME,...} can pick; all run by default. */
    private static final List<String> SECTIONS = List.of("gemm", "bandwidth", "masks", "costs", "mlp");

    private static void performance(CudaBackend be, List<String> sections) {
        CudaContext c = be.context();
        Device gpu = Device.cuda(0);
        if (sections.contains("gemm")) measure("SGEMM", () -> {
            System.out.println("SGEMM (row-major, float32), median of 5:");
            for (int s : new int[] {1000, 1024, 2048, 4096, 8192}) {
                Tensor a = Tensor.randn(1, s, s).to(gpu), b = Tensor.randn(2, s, s).to(gpu), out = Tensor.zeros(DType.FLOAT32, gpu, s, s);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %4d³:", s));
                for (String engine : GemmEngines.available(0)) {
                    double sec = seconds(c, 5, () -> GemmEngines.sgemm(engine, a, b, out));
                    line.append(String.format(Locale.ROOT, "  %s %8.0f GFLOPS", engine, 2.0 * s * s * s / sec / 1e9));
                }
                System.out.println(line);
            }
        });
        int n = 100_000_000;
        if (sections.contains("bandwidth")) measure("bandwidth", () -> {
            Tensor x = Tensor.randn(1, n).to(gpu), y = Tensor.randn(2, n).to(gpu), z = be.empty(n);
            double copy = seconds(c, 10, () -> c.copy(CudaBackend.ptr(x), 0, CudaBackend.ptr(z), 0, n));
            System.out.printf(Locale.ROOT, "elementwise on %,d floats, median of 10 (GB/s counts bytes read + written):%n", n);
            System.out.printf(Locale.ROOT, "  device-to-device copy          %6.0f GB/s%n", 8.0 * n / copy / 1e9);
            rate("x.relu(out)", 8, n, copy, seconds(c, 10, () -> x.relu(z)));
            rate("x.add(y, out)", 12, n, copy, seconds(c, 10, () -> x.add(y, z)));
            rate("x.relu(), a fresh output", 8, n, copy, seconds(c, 10, () -> x.relu()));
            rate("x.add(y), a fresh output", 12, n, copy, seconds(c, 10, () -> x.add(y)));
        });
        if (sections.contains("masks")) measure("masks", () -> {
            Tensor w = Tensor.randn(1, n).to(gpu), g = Tensor.randn(2, n).to(gpu), mask = Tensor.rand(3, n).gt(0.5).to(gpu);
            Tensor buf = be.zeros(n), fisher = be.zeros(n), keep = be.empty(n), z = be.empty(n);
            double copy = seconds(c, 10, () -> c.copy(CudaBackend.ptr(w), 0, CudaBackend.ptr(z), 0, n));
            System.out.printf(Locale.ROOT, "mask and unlearning kernels on %,d floats, median of 10 (copy %.0f GB/s):%n", n, 8.0 * n / copy / 1e9);
            rate("apply a mask (x ← x·m)", 12, n, copy, seconds(c, 10, () -> CudaSurgery.applyMask(w, mask)));
            rate("prune at τ, writing the mask", 12, n, copy, seconds(c, 10, () -> CudaSurgery.prune(w, 1e-3f, keep)));
            rate("Fisher accumulation", 12, n, copy, seconds(c, 10, () -> CudaSurgery.fisherAccumulate(fisher, g, 1e-3)));
            rate("masked SGD step, momentum", 24, n, copy, seconds(c, 10, () -> CudaOptimizerSteps.sgd(w, g, buf, mask, 1e-9, 0.9, 0, false, 0, false)));
            double topk = seconds(c, 5, () -> CudaSelect.topKMask(g, n / 10, true));
            System.out.printf(Locale.ROOT, "  top-10%% |g| mask (radix select: 4 histogram passes, ties, mask)  %.2f ms = %.1f copies of the floats%n",
                    topk * 1e3, topk / copy);
        });
        if (sections.contains("costs")) measure("costs", () -> {
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
            java.util.List<dev.lethe.cuda.DeviceBuffer<jcuda.driver.CUdeviceptr>> blocks = new java.util.ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) blocks.add(c.allocateFloats(32768 + 64 * i));
            double alloc = (System.nanoTime() - t0) / 1e9 / calls;
            blocks.forEach(dev.lethe.cuda.DeviceBuffer::close);
            System.out.printf(Locale.ROOT, "  kernel launch %.1f µs, synchronisation after one %.1f µs, item() %.1f µs, upload of 128×784 floats %.1f µs, "
                    + "a cache miss (a fresh device block) %.1f µs%n", launch * 1e6, sync * 1e6, item * 1e6, upload * 1e6, alloc * 1e6);
        });
        if (!sections.contains("mlp")) return;
        FashionMnist fm;
        try {
            fm = FashionMnist.bundled();
        } catch (java.io.IOException e) {
            System.out.println("no bundled Fashion-MNIST: " + e);
            return;
        }
        for (int batch : new int[] {128, 1024}) {
            measure("MLP epoch", () -> {
                Recipe recipe = new Recipe(1, batch, 0.05, Recipe.Schedule.CONSTANT, 0.9, 0, 0);
                double cpu = epochSeconds(Models.mlp(0), fm, recipe);
                dev.lethe.cuda.AllocatorStats before = c.allocator().stats();
                CudaContext.Counters counted = c.counters();
                double gpuSec = epochSeconds(Models.mlp(0).to(gpu), fm, recipe);
                dev.lethe.cuda.AllocatorStats after = c.allocator().stats();
                CudaContext.Counters perRun = c.counters().since(counted);
                long steps = (long) (WARM_EPOCHS + EPOCHS) * ((fm.train().size() + batch - 1) / batch);
                System.out.printf(Locale.ROOT, "MLP epoch on the bundled Fashion-MNIST subset (%,d images, batch %d), median of %d after %d warm-up epochs:%n",
                        fm.train().size(), batch, EPOCHS, WARM_EPOCHS);
                System.out.printf(Locale.ROOT, "  CPU (%d threads) %.3f s   GPU %.3f s   %.1fx%n", dev.lethe.cpu.Parallel.threads(), cpu, gpuSec, cpu / gpuSec);
                System.out.printf(Locale.ROOT, "  device allocator over the GPU's %d epochs: %d raw allocations, %d cache hits, %d collections asked for, %.0f MB reserved%n",
                        WARM_EPOCHS + EPOCHS, after.rawAllocations() - before.rawAllocations(), after.cacheHits() - before.cacheHits(),
                        after.collections() - before.collections(), after.bytesReserved() / 1e6);
                System.out.printf(Locale.ROOT, "  per step: %.1f launches, %.1f synchronisations, %.1f uploads, %.1f downloads, %.1f raw allocations%n",
                        (double) perRun.launches() / steps, (double) perRun.synchronizations() / steps, (double) perRun.uploads() / steps,
                        (double) perRun.downloads() / steps, (double) (after.rawAllocations() - before.rawAllocations()) / steps);
            });
        }
    }

    private static final int WARM_EPOCHS = 3, EPOCHS = 5;

    /** The median seconds of {@link #EPOCHS} epochs of {@code net} after {@link #WARM_EPOCHS} (the JIT, the PTX, the caches). */
    private static double epochSeconds(Module net, FashionMnist fm, Recipe recipe) {
        Trainer t = new Trainer(net, fm.train(), recipe);
        for (int e = 0; e < WARM_EPOCHS; e++) t.epoch(e, null, s -> { });
        double[] sec = new double[EPOCHS];
        for (int e = 0; e < EPOCHS; e++) sec[e] = t.epoch(WARM_EPOCHS + e, null, s -> { }).seconds();
        java.util.Arrays.sort(sec);
        return sec[EPOCHS / 2];
    }

    /** One line: the kernel's GB/s from the bytes it moves per element, and its share of the copy's. */
    private static void rate(String what, int bytesPerElement, int n, double copySeconds, double seconds) {
        System.out.printf(Locale.ROOT, "  %-30s %6.0f GB/s  (%3.0f%% of the copy)%n", what, (double) bytesPerElement * n / seconds / 1e9,
                100 * (bytesPerElement / seconds) / (8 / copySeconds));
    }
}
