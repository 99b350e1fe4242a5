package dev.lethe.unlearn.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MiaEfficacyTest {
    /** Members are confident (0.9…1), non-members are not (0…0.5). */
    static final double[] MEMBERS = new double[50], NON_MEMBERS = new double[50];

    static {
        for (int i = 0; i < 50; i++) {
            MEMBERS[i] = 0.9 + 0.1 * i / 49;
            NON_MEMBERS[i] = 0.5 * i / 49;
        }
    }

    @Test
    void confidentForgetSamplesAreCalledMembersAndUnsureOnesNot() {
        RbfSvm attacker = MiaEfficacy.attacker(MEMBERS, NON_MEMBERS);
        assertEquals(0.0, MiaEfficacy.efficacy(attacker, new double[] {0.95, 0.99, 1.0, 0.92}));
        assertEquals(100.0, MiaEfficacy.efficacy(attacker, new double[] {0.1, 0.2, 0.3}));
        assertEquals(40.0, MiaEfficacy.efficacy(attacker, new double[] {0.05, 0.97, 0.15, 0.99, 0.98}));
        assertTrue(Double.isNaN(MiaEfficacy.efficacy(attacker, new double[0])));
    }

    @Test
    void needsBothSides() {
        assertThrows(IllegalArgumentException.class, () -> MiaEfficacy.attacker(MEMBERS, new double[0]));
    }
}
