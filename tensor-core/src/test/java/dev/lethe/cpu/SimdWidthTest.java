package dev.lethe.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Proves which vector width this JVM's kernels run: the per-width Surefire executions start
 * the JVM with {@code -Dlethe.simd=512|256|128|scalar}, and a typo in the property or a
 * property that never reached the forked JVM would otherwise silently test the default width
 * four times.
 */
@Tag("kernels")
class SimdWidthTest {
    @Test
    void kernelsRunTheWidthTheJvmWasStartedWith() {
        String requested = System.getProperty(Simd.PROPERTY, "auto").trim();
        String described = Simd.describe();
        switch (requested) {
            case "scalar", "0" -> {
                assertFalse(Simd.ENABLED, "scalar mode must disable the vector loops");
                assertEquals("scalar", described);
                assertEquals(1, Simd.lanes());
                assertEquals(0, Simd.loopBound(100), "scalar mode leaves every element to the scalar loop");
            }
            case "auto", "" -> {
                assertTrue(Simd.ENABLED);
                assertEquals(FloatVector.SPECIES_PREFERRED, Simd.F);
                assertTrue(described.endsWith(", native)"), described);
            }
            default -> {
                int bits = Integer.parseInt(requested);
                assertTrue(Simd.ENABLED);
                assertEquals(bits, Simd.F.vectorBitSize());
                assertTrue(described.startsWith(bits + "-bit (" + bits / 32 + " float lanes"), described);
                assertEquals(bits / 32, Simd.lanes());
            }
        }
    }
}
