package dev.lethe.unlearn.methods;

import dev.lethe.unlearn.Method;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The registry: names, defaults by name, list parsing and its errors. */
class MethodsTest {
    @Test
    void namesTheTwelveMethodsInReportOrder() {
        assertEquals(List.of("retrain", "ft", "ga", "graddiff", "rl", "l1sparse", "salun", "ssd", "scrub", "badteacher", "surgery", "wagle"), Methods.NAMES);
        for (String name : Methods.NAMES) assertEquals(name, Methods.create(name).name());
    }

    @Test
    void anUnknownNameListsTheValidOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Methods.create("salon"));
        assertTrue(e.getMessage().contains("'salon'") && e.getMessage().contains(String.join(", ", Methods.NAMES)), e.getMessage());
    }

    @Test
    void parsesAListInTheOrderGivenOrAll() {
        assertEquals(List.of("ssd", "ft", "retrain"), Methods.parseList(" ssd, ft ,retrain").stream().map(Method::name).toList());
        assertEquals(Methods.NAMES, Methods.parseList("all").stream().map(Method::name).toList());
    }

    @Test
    void rejectsEmptyUnknownAndRepeatedEntries() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Methods.parseList("")).getMessage().contains("retrain"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Methods.parseList("ft,,ga")).getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Methods.parseList("ft,gaa")).getMessage().contains("'gaa'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Methods.parseList("ft,ga,ft")).getMessage().contains("twice"));
    }
}
