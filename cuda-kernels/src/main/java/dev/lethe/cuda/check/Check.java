package dev.lethe.cuda.check;

/**
 * One GPU check: a name and a body that throws {@link AssertionError} (through {@link Expect})
 * when the GPU disagrees with the CPU. Run by GpuChecksTest under JUnit, and by {@link
 * GpuCheck} on a host that has a JRE but no build tools.
 */
public record Check(String name, Body body) {
    /** The check's code. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }
}
