package dev.lethe.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width every float32 CPU kernel uses, fixed once per JVM.
 *
 * <p>The system property {@code lethe.simd} picks it: {@code 512}, {@code 256} or
 * {@code 128} bits force that width, {@code scalar} (or {@code 0}) turns the Vector API off
 * and runs the plain loops, and {@code auto} (the default) takes the widest width the CPU
 * supports. Forcing a width the hardware lacks is legal (the JDK emulates it, slowly), so
 * every SIMD path can be tested on any machine.
 *
 * <p>The species is a {@code static final} constant so that C2 can intrinsify the vector
 * operations; that is why the width cannot change after start-up.
 */
public final class Simd {
    /** Name of the system property that selects the width. */
    public static final String PROPERTY = "lethe.simd";

    /** The float species of the chosen width (the preferred one when scalar, unused then). */
    public static final VectorSpecies<Float> F;

    /** False when {@code -Dlethe.simd=scalar}: kernels then run their scalar loops only. */
    public static final boolean ENABLED;

    /**
     * True when the chosen width is the CPU's own and 512 bits (AVX-512), where a vector
     * {@code compress} is one instruction ({@code vpcompressd}): a kernel may then gather the
     * lanes a mask selects without a branch. At narrower or forced widths the JDK emulates
     * compress, so kernels branch on the mask instead.
     */
    public static final boolean NATIVE_COMPRESS;

    static {
        String raw = System.getProperty(PROPERTY, "auto").trim().toLowerCase(java.util.Locale.ROOT);
        switch (raw) {
            case "auto", "" -> { F = FloatVector.SPECIES_PREFERRED; ENABLED = true; }
            case "512" -> { F = FloatVector.SPECIES_512; ENABLED = true; }
            case "256" -> { F = FloatVector.SPECIES_256; ENABLED = true; }
            case "128" -> { F = FloatVector.SPECIES_128; ENABLED = true; }
            case "scalar", "0" -> { F = FloatVector.SPECIES_PREFERRED; ENABLED = false; }
            default -> throw new IllegalArgumentException(
                    "-D" + PROPERTY + "=" + raw + " is not a vector width; expected auto, 512, 256, 128 or scalar");
        }
        NATIVE_COMPRESS = ENABLED && F.vectorBitSize() == 512 && F.vectorShape() == VectorShape.preferredShape();
    }

    private Simd() {}

    /** Float lanes per vector, or 1 in scalar mode. */
    public static int lanes() {
        return ENABLED ? F.length() : 1;
    }

    /**
     * Where the vector part of a loop over {@code n} elements ends: the largest multiple of
     * the lane count not above {@code n}, or 0 in scalar mode so the scalar tail does it all.
     */
    public static int loopBound(int n) {
        return ENABLED ? F.loopBound(n) : 0;
    }

    /** A short description such as {@code "512-bit (16 float lanes)"} or {@code "scalar"}. */
    public static String describe() {
        if (!ENABLED) return "scalar";
        return F.vectorBitSize() + "-bit (" + F.length() + " float lanes"
                + (F.vectorShape() == VectorShape.preferredShape() ? ", native" : ", forced") + ")";
    }
}
