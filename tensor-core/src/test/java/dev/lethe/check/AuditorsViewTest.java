package dev.lethe.check;

import dev.lethe.check.OpInfo.Sample;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The auditors' view ({@code ./lethe ops}) run in-process: its table, its JSON, its exit codes. */
class AuditorsViewTest {

    /** Exit code, stdout and stderr of one run. */
    record Run(int code, String out, String err) {}

    static Run run(List<OpInfo> table, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = AuditorsView.run(table, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void tableNamesTheOpItsFormulaAndPass() {
        Run r = run(OpTable.all(), "--op", "exp");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("backend: "), r.out());
        assertTrue(r.out().contains("Java " + Runtime.version().feature()), r.out());
        String row = r.out().lines().filter(l -> l.startsWith("exp ")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        assertTrue(row.contains("y = eˣ") && row.endsWith("PASS"), row);
        assertTrue(r.out().contains("1 op, "), r.out());
        assertFalse(r.out().contains("mul "), "--op exp must show only exp:\n" + r.out());
        for (String line : r.out().lines().toList()) {
            assertTrue(line.codePointCount(0, line.length()) <= AuditorsView.WIDTH, "line wider than the terminal: " + line);
        }
    }

    @Test
    void jsonIsBalancedAndHasTheKeys() {
        Run r = run(OpTable.all(), "--json", "--op", "add");
        assertEquals(0, r.code(), r.err());
        String json = r.out().strip();
        assertBalanced(json);
        for (String key : List.of("backend", "simd", "java", "ops", "name", "formula", "derivative", "samples",
                "gradcheckMaxAbs", "gradcheckMaxRel", "float32MaxAbs", "passed", "failures", "total")) {
            assertTrue(json.contains("\"" + key + "\": "), "missing key " + key + " in\n" + json);
        }
        assertTrue(json.contains("\"name\": \"add\""), json);
        assertTrue(json.contains("\"passed\": true"), json);
    }

    @Test
    void aWrongFloat32PathFailsWithExitCodeOne() {
        // float32 inputs get an extra 1e-3: gradcheck (float64) passes, the float32 comparison must not.
        OpInfo broken = new OpInfo("broken", Object.class, "y = x", "∂x = g",
                List.of(Sample.of("[5]", t -> t[0].dtype() == DType.FLOAT32 ? t[0].add(1e-3) : t[0].mul(1.0),
                        Samples.randn(1, 5))), List.of());
        Run r = run(List.of(broken));
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("broken ") && l.endsWith("FAIL")), r.out());
        assertTrue(r.out().contains("FAIL broken [5]: float32 element 0"), r.out());
        Run json = run(List.of(broken), "--json");
        assertBalanced(json.out());
        assertTrue(json.out().contains("\"passed\": false"), json.out());
        assertEquals(1, json.code());
    }

    @Test
    void unknownOpIsRefusedClearly() {
        Run r = run(OpTable.all(), "--op", "no_such_op");
        assertNotEquals(0, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().contains("no op named 'no_such_op'") && r.err().contains("add"), r.err());
    }

    @Test
    void badOptionsAreRefused() {
        assertEquals(2, run(OpTable.all(), "--frobnicate").code());
        assertEquals(2, run(OpTable.all(), "--op").code());
    }

    @Test
    void wrapBreaksAtSpacesAndSplitsLongWords() {
        assertEquals(List.of("∂a = g, ∂b", "= g"), AuditorsView.wrap("∂a = g, ∂b = g", 10));
        assertEquals(List.of("abcd", "efgh", "ij k"), AuditorsView.wrap("abcdefghij k", 4));
        assertEquals(List.of(""), AuditorsView.wrap("", 4));
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n∂\"", AuditorsView.str("a\"b\\c\n∂"));
    }

    /** Brackets and braces nest properly outside string literals, and strings are closed. */
    static void assertBalanced(String json) {
        java.util.ArrayDeque<Character> stack = new java.util.ArrayDeque<>();
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
                continue;
            }
            switch (c) {
                case '"' -> inString = true;
                case '{', '[' -> stack.push(c);
                case '}' -> assertEquals('{', stack.isEmpty() ? ' ' : stack.pop(), "unbalanced } at " + i + " in\n" + json);
                case ']' -> assertEquals('[', stack.isEmpty() ? ' ' : stack.pop(), "unbalanced ] at " + i + " in\n" + json);
                default -> { }
            }
        }
        assertFalse(inString, "unterminated string in\n" + json);
        assertTrue(stack.isEmpty(), "unclosed " + stack + " in\n" + json);
        assertTrue(json.strip().startsWith("{") && json.strip().endsWith("}"), json);
    }
}
