package dev.lethe.cuda;

import dev.lethe.cuda.check.GpuChecks;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every GPU check (kernels against the CPU on odd sizes, MLP/CNN autograd, leaks) as a JUnit
 * test; each is skipped, with the probe's reason, where no GPU answers. The same checks run
 * without JUnit through {@link dev.lethe.cuda.check.GpuCheck}.
 */
class GpuChecksTest {
    @TestFactory
    Stream<DynamicTest> everyGpuCheck() {
        return GpuChecks.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            assumeTrue(CudaProbe.available(), () -> "no CUDA device: " + CudaProbe.reason());
            c.body().run();
        }));
    }
}
