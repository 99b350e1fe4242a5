package dev.lethe.io;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The header JSON: strict RFC 8259 parsing of what safetensors headers hold, and writing that parses back. */
class JsonTest {
    private static String error(String text) {
        return assertThrows(IllegalArgumentException.class, () -> Json.parse(text)).getMessage();
    }

    @Test
    void parsesObjectsArraysStringsAndNumbers() {
        Object v = Json.parse(" {\"a\": [1, -2, 3.5, 1e3, -0.0], \"b\": {}, \"c\": [], \"d\": \"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("a", "b", "c", "d"), List.copyOf(m.keySet()));
        assertEquals(List.of(1L, -2L, 3.5, 1000.0, -0.0), m.get("a"));
        assertEquals(Map.of(), m.get("b"));
        assertEquals(List.of(), m.get("c"));
        assertEquals("x\"\\/\b\f\n\r\té😀", m.get("d"));
    }

    @Test
    void writesWhatItParses() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", List.of(0L, 9007199254740993L));
        m.put("s", "quote \" back \\ nl \n ctl \u0001 é");
        m.put("f", 0.25);
        String text = Json.write(m);
        assertEquals("{\"z\":[0,9007199254740993],\"s\":\"quote \\\" back \\\\ nl \\n ctl \\u0001 é\",\"f\":0.25}", text);
        assertEquals(m, Json.parse(text));
    }

    @Test
    void refusesWhatIsNotStrictJson() {
        assertEquals("JSON: duplicate key \"a\" at offset 7", error("{\"a\":1,\"a\":2}"));
        assertEquals("JSON: unexpected character ']', expected a value at offset 3", error("[1,]"));
        assertEquals("JSON: unexpected text after the value at offset 1", error("01"));
        assertEquals("JSON: unterminated string at offset 4", error("\"abc"));
        assertEquals("JSON: raw control character U+000A in a string at offset 2", error("\"a\nb\""));
        assertEquals("JSON: unknown escape \\x at offset 3", error("\"a\\x\""));
        assertEquals("JSON: unexpected character 't', expected a value at offset 0", error("true"));
        assertEquals("JSON: expected a digit after '.' at offset 2", error("1."));
        assertEquals("JSON: expected a string key at offset 1", error("{1:2}"));
        assertEquals("JSON: integer 99999999999999999999 does not fit in 64 bits at offset 0", error("99999999999999999999"));
        assertEquals("JSON: unexpected end, expected a value at offset 0", error(""));
        assertEquals("JSON: nested deeper than 64 levels at offset 64", error("[".repeat(100_000)));
    }

    @Test
    void readsBackWhatReportsWrite() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", null);
        m.put("yes", true);
        m.put("no", false);
        m.put("x", List.of(1.5, Double.NaN));
        Object back = Json.parseReport(Json.writeReport(m));
        Map<String, Object> expected = new LinkedHashMap<>(m);
        expected.put("x", java.util.Arrays.asList(1.5, null)); // NaN is written as null
        assertEquals(expected, back);
        assertEquals("JSON: duplicate key \"a\" at offset 10", assertThrows(IllegalArgumentException.class,
                () -> Json.parseReport("{\"a\":null,\"a\":2}")).getMessage());
        assertEquals("JSON: expected true, false or null at offset 1", assertThrows(IllegalArgumentException.class,
                () -> Json.parseReport("[nul]")).getMessage());
        assertEquals("JSON: unexpected character 'n', expected a value at offset 0", error("null"));
    }
}
