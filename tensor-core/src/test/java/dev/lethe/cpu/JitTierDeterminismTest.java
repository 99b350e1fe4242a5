package dev.lethe.cpu;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The float32 transcendentals give the same bits interpreted and C2-compiled: the property the
 * Vector API's own lanewise EXP/LOG/TANH lack (interpreted they loop over {@code Math}, compiled
 * they call SVML), and the reason {@link VectorMath} exists. Two child JVMs run {@link
 * TranscendentalHashMain} at this JVM's vector width: one with {@code -Xint}, one with C2 only
 * ({@code -XX:-TieredCompilation}, compiling synchronously), which repeats the computation until
 * the kernel loops are compiled. Its {@code -XX:+PrintCompilation} output proves they were; its
 * repetitions must all agree, and its hash must equal the interpreter's.
 *
 * <p>Skipped at an emulated width (C2 does not intrinsify vectors wider than the hardware's, so
 * both JVMs would run the same Java fallback) and in scalar mode (no vectors at all).
 */
@Tag("kernels")
class JitTierDeterminismTest {
    /** Odd, so every width has a scalar tail; small, because the interpreter is ~100× slower. */
    private static final int N = 20_011;
    private static final String[] LOOPS = {"expBody", "logBody", "tanhBody", "sigmoidBody", "geluBody"};

    @Test
    void interpreterAndC2GiveTheSameBits() throws Exception {
        assumeTrue(Simd.ENABLED, "scalar mode runs no vector code");
        assumeTrue(Simd.F.vectorBitSize() <= jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize(),
                "an emulated width runs the Java fallback in every tier");
        Process interpreted = start("-Xint", String.valueOf(N), "1");
        Process compiled = start("-XX:-TieredCompilation", "-XX:-BackgroundCompilation", "-XX:+PrintCompilation",
                String.valueOf(N), "40");
        String c2 = output(compiled), xint = output(interpreted);

        for (String loop : LOOPS) {
            assertTrue(c2.contains("ElementwiseKernels::" + loop), "C2 compiled " + loop + ":\n" + tail(c2));
        }
        assertFalse(c2.contains("MISMATCH"), tail(c2));
        assertEquals(hashLine(xint), hashLine(c2), "interpreter vs C2");
    }

    private static Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-D" + Simd.PROPERTY + "=" + System.getProperty(Simd.PROPERTY, "auto"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        int split = args.length - 2; // JVM flags, then n and repeats for the main class
        cmd.addAll(List.of(args).subList(0, split));
        cmd.add(TranscendentalHashMain.class.getName());
        cmd.addAll(List.of(args).subList(split, args.length));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String output(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
        assertEquals(0, p.exitValue(), "child JVM exit status:\n" + tail(out));
        return out;
    }

    private static String hashLine(String out) {
        return out.lines().filter(l -> l.startsWith("HASH ")).findFirst()
                .orElseThrow(() -> new AssertionError("no HASH line in:\n" + tail(out)));
    }

    private static String tail(String s) {
        return s.length() <= 2000 ? s : s.substring(s.length() - 2000);
    }
}
