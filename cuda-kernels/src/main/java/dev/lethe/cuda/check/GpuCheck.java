package dev.lethe.cuda.check;

import dev.lethe.cuda.CudaBackend;
import dev.lethe.cuda.CudaContext;
import dev.lethe.cuda.CudaProbe;
import dev.lethe.cuda.CudaSelect;
import dev.lethe.cuda.GemmEngines;
import dev.lethe.data.FashionMnist;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import dev.lethe.train.EpochResult;
import dev.lethe.train.Recipe;
import dev.lethe.train.Trainer;

import java.util.List;
import java.util.Locale;

/**
 * The GPU check for a host with a JRE and a GPU but no build tools (see gpu-check.sh):
 * <pre>java -cp benchmarks.jar dev.lethe.cuda.check.GpuCheck [--checks-only | --perf-only]</pre>
 * prints what the probe found and which GEMM runs, runs every {@link GpuChecks} check (GPU
 * against CPU), then measures: SGEMM GFLOPS per engine, elementwise GB/s against a
 * device-to-device copy, the top-k mask, and one MLP epoch on the GPU against the CPU.
 * Exit status: 0 all checks passed, 1 a check failed, 2 no GPU.
 */
public final class GpuCheck {
    private GpuCheck() {}

    public static void main(String[] args) throws Exception {
        boolean checks = !List.of(args).contains("--perf-only"), perf = !List.of(args).contains("--checks-only");
        CudaProbe.Answer a = CudaProbe.answer();
        if (!a.available()) {
            System.out.println("no CUDA device: " + a.reason() + "; nothing to check on this machine.");
            System.exit(2);
        }
        CudaBackend be = CudaBackend.of(0);
        System.out.println("device: " + a.device() + " (" + a.deviceCount() + " visible)");
        System.out.println("GEMM:   " + be.gemmImplementation());
        int failed = 0;
        if (checks) failed = runChecks();
        if (perf) performance(be);
        System.out.println(failed == 0 ? "ALL CHECKS PASSED" : failed + " CHECK(S) FAILED");
        System.exit(failed == 0 ? 0 : 1);
    }

    private static int runChecks() {
        int failed = 0;
        for (Check c : GpuChecks.all()) {
            long t0 = System.nanoTime();
            String verdict;
            try {
                c.body().run();
                verdict = "PASS";
            } catch (Throwable t) {
                verdict = "FAIL  " + t;
                failed++;
            }
            System.out.printf(Locale.ROOT, "%-6s %7.0f ms  %s%n", verdict.substring(0, 4), (System.nanoTime() - t0) / 1e6, c.name());
            if (verdict.startsWith("FAIL")) System.out.println("         " + verdict.substring(6));
        }
        return failed;
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

    private static void performance(CudaBackend be) throws java.io.IOException {
        CudaContext c = be.context();
        Device gpu = Device.cuda(0);
        System.out.println();
        System.out.println("SGEMM (row-major, float32), median of 5:");
        for (int s : new int[] {1000, 1024, 2048, 4096}) {
            Tensor a = Tensor.randn(1, s, s).to(gpu), b = Tensor.randn(2, s, s).to(gpu), out = Tensor.zeros(DType.FLOAT32, gpu, s, s);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %4d³:", s));
            for (String engine : GemmEngines.available(0)) {
                double sec = seconds(c, 5, () -> GemmEngines.sgemm(engine, a, b, out));
                line.append(String.format(Locale.ROOT, "  %s %8.0f GFLOPS", engine, 2.0 * s * s * s / sec / 1e9));
            }
            System.out.println(line);
        }
        int n = 1 << 26;
        Tensor x = Tensor.zeros(DType.FLOAT32, gpu, n), y = Tensor.zeros(DType.FLOAT32, gpu, n), z = Tensor.zeros(DType.FLOAT32, gpu, n);
        double copy = seconds(c, 10, () -> c.copy(CudaBackend.ptr(x), 0, CudaBackend.ptr(z), 0, n));
        double add = seconds(c, 10, () -> x.add(y));
        double relu = seconds(c, 10, () -> x.relu());
        System.out.println();
        System.out.printf(Locale.ROOT, "bandwidth on %,d floats (bytes read + written):%n", n);
        System.out.printf(Locale.ROOT, "  device-to-device copy %7.0f GB/s%n", 8.0 * n / copy / 1e9);
        System.out.printf(Locale.ROOT, "  add (a + b)           %7.0f GB/s  (%.0f%% of the copy)%n", 12.0 * n / add / 1e9, 100 * (12.0 / add) / (8.0 / copy));
        System.out.printf(Locale.ROOT, "  relu                  %7.0f GB/s  (%.0f%% of the copy)%n", 8.0 * n / relu / 1e9, 100 * (8.0 / relu) / (8.0 / copy));
        Tensor g = Tensor.randn(3, 1 << 24).to(gpu);
        double topk = seconds(c, 5, () -> CudaSelect.topKMask(g, 1 << 20, true));
        System.out.printf(Locale.ROOT, "  top-1M |g| mask of 16.8M  %6.2f ms%n", topk * 1e3);
        System.out.println();
        FashionMnist fm = FashionMnist.bundled();
        Recipe recipe = new Recipe(1, 128, 0.05, Recipe.Schedule.CONSTANT, 0.9, 0, 0);
        Module cpuNet = Models.mlp(0), gpuNet = Models.mlp(0).to(gpu);
        EpochResult rc = new Trainer(cpuNet, fm.train(), recipe).epoch(0, fm.test(), s -> { });
        new Trainer(Models.mlp(0).to(gpu), fm.train(), recipe).epoch(0, null, s -> { }); // warm-up: PTX JIT, the cache
        EpochResult rg = new Trainer(gpuNet, fm.train(), recipe).epoch(0, fm.test(), s -> { });
        System.out.printf(Locale.ROOT, "MLP epoch on the bundled Fashion-MNIST subset (%,d images, batch 128):%n", fm.train().size());
        System.out.printf(Locale.ROOT, "  CPU %.2f s (test %.2f%%)   GPU %.2f s (test %.2f%%)   %.1fx%n", rc.seconds(), rc.testAccuracy(), rg.seconds(),
                rg.testAccuracy(), rc.seconds() / rg.seconds());
    }
}
