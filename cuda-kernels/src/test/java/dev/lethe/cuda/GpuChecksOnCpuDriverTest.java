package dev.lethe.cuda;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every GPU check, on a machine without a GPU: {@code tools/cpu-driver} builds a libcuda.so.1
 * that runs the kernels' CUDA C sources on the CPU, and a child JVM, with that library first
 * on its library path, runs {@link dev.lethe.cuda.check.GpuCheck} {@code --checks-only}. So the
 * kernels' logic, their launches and the Java side around them (the allocator, the scopes, the
 * transfers) are tested here and in CI; PTX, the GPU's memory model and speed are not.
 *
 * <p>The scheduler runs each block's warps in a shuffled order ({@code CPU_DRIVER_ORDER}), where
 * a missing {@code __syncthreads} shows. Skipped without g++ or nm (the driver cannot be built), or
 * with {@code -Dlethe.test.cpuDriver=false}.
 */
class GpuChecksOnCpuDriverTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();

    @Test
    void everyGpuCheckPassesOnTheCpuDriver() throws Exception {
        assumeTrue(Boolean.parseBoolean(System.getProperty("lethe.test.cpuDriver", "true")), "-Dlethe.test.cpuDriver=false");
        assumeTrue(runs("g++", "--version") && runs("nm", "--version"), "the CPU driver needs g++ and nm");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String natives = Arrays.stream(classpath.split(File.pathSeparator)).filter(p -> p.matches(".*jcuda-natives-.*-linux-.*\\.jar")).findFirst().orElse(null);
        assumeTrue(natives != null, "no JCuda natives jar for this platform on the test class path");

        Path driver = MODULE.resolve("target/cpu-driver");
        ProcessBuilder make = new ProcessBuilder("bash", MODULE.resolve("tools/cpu-driver/make-cpu-driver.sh").toString(), driver.toString());
        make.environment().put("JCUDA_NATIVES_JAR", natives);
        Outcome build = run(make, MODULE.resolve("target/cpu-driver-build.log"), 10);
        assertEquals("0", build.exit(), () -> "make-cpu-driver.sh:\n" + build.log());

        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx2g",
                "-cp", classpath, "dev.lethe.cuda.check.GpuCheck", "--checks-only");
        String previous = System.getenv("LD_LIBRARY_PATH");
        pb.environment().put("LD_LIBRARY_PATH", driver + (previous == null || previous.isEmpty() ? "" : File.pathSeparator + previous));
        pb.environment().put("CPU_DRIVER_ORDER", "shuffle:1");
        Outcome checks = run(pb, MODULE.resolve("target/gpu-checks-on-cpu-driver.log"), 20);
        String log = checks.log();
        System.out.println(log);
        assertTrue(log.contains("device: CUDA on the CPU"), () -> "GpuCheck did not run on the CPU driver:\n" + log);
        assertEquals("0", checks.exit(), () -> "GpuCheck on the CPU driver:\n" + log);
        assertTrue(log.contains("ALL CHECKS PASSED"), () -> "GpuCheck on the CPU driver:\n" + log);
    }

    /** What a process wrote, and its exit status ("timeout" if it was stopped). */
    private record Outcome(String log, String exit) {}

    /** Runs {@code pb} with its output in {@code logFile}, for at most {@code minutes}. */
    private static Outcome run(ProcessBuilder pb, Path logFile, int minutes) throws IOException, InterruptedException {
        Files.createDirectories(logFile.getParent());
        Process p = pb.redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        boolean finished = p.waitFor(minutes, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly();
            p.waitFor();
        }
        return new Outcome(Files.readString(logFile, StandardCharsets.UTF_8), finished ? String.valueOf(p.exitValue()) : "timeout");
    }

    /** Whether {@code command} starts and exits 0. */
    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
