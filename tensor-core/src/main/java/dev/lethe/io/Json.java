package dev.lethe.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON a safetensors header needs, parsed strictly (RFC 8259 grammar) and
 * written compactly. Values map to Java as: object → {@code LinkedHashMap<String, Object>}
 * (key order kept, duplicate keys refused), array → {@code List<Object>}, string →
 * {@code String}, integer → {@code Long}, other number → {@code Double}. The literals
 * {@code true}, {@code false} and {@code null} are refused: no safetensors header uses them.
 * Nesting is limited to {@value #MAX_DEPTH} levels so hostile input cannot overflow the stack.
 * {@link #writeReport} writes the indented, more lenient JSON of Lethe's reports, and
 * {@link #parseReport} reads it back (the same grammar with the three literals: {@code true}
 * and {@code false} → {@code Boolean}, {@code null} → {@code null}).
 */
public final class Json {
    static final int MAX_DEPTH = 64;

    private final String text;
    private final boolean literals;
    private int pos;
    private int depth;

    private Json(String text, boolean literals) {
        this.text = text;
        this.literals = literals;
    }

    /**
     * Parses one JSON value that may be surrounded by whitespace.
     *
     * @throws IllegalArgumentException naming the position and what was expected
     */
    static Object parse(String text) {
        return new Json(text, false).document();
    }

    /**
     * Parses a report written by {@link #writeReport} (or any JSON text): as {@link #parse}
     * but {@code true}, {@code false} and {@code null} are accepted.
     *
     * @throws IllegalArgumentException naming the position and what was expected
     */
    public static Object parseReport(String text) {
        return new Json(text, true).document();
    }

    private Object document() {
        skipSpace();
        Object v = value();
        skipSpace();
        if (pos != text.length()) throw error("unexpected text after the value");
        return v;
    }

    private Object value() {
        if (pos >= text.length()) throw error("unexpected end, expected a value");
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't', 'f', 'n' -> {
                if (!literals) throw error("unexpected character '" + c + "', expected a value");
                yield literal();
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected character '" + c + "', expected a value");
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        Map<String, Object> m = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            depth--;
            return m;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') throw error("expected a string key");
            int at = pos;
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            Object v = value();
            if (m.containsKey(key)) {
                pos = at;
                throw error("duplicate key \"" + key + "\"");
            }
            m.put(key, v);
            skipSpace();
            char c = peek();
            pos++;
            if (c == '}') break;
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' in an object");
            }
        }
        depth--;
        return m;
    }

    private List<Object> array() {
        enter();
        List<Object> a = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']') {
            pos++;
            depth--;
            return a;
        }
        while (true) {
            skipSpace();
            a.add(value());
            skipSpace();
            char c = peek();
            pos++;
            if (c == ']') break;
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']' in an array");
            }
        }
        depth--;
        return a;
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw error("unterminated string");
            char c = text.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c < 0x20) {
                pos--;
                throw error("raw control character U+" + String.format("%04X", (int) c) + " in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) throw error("unterminated escape");
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) throw error("truncated \\u escape");
                    int cp = 0;
                    for (int k = 0; k < 4; k++) {
                        int h = Character.digit(text.charAt(pos++), 16);
                        if (h < 0) {
                            pos--;
                            throw error("bad hex digit in \\u escape");
                        }
                        cp = cp * 16 + h;
                    }
                    sb.append((char) cp);
                }
                default -> {
                    pos--;
                    throw error("unknown escape \\" + e);
                }
            }
        }
    }

    /** {@code true}, {@code false} or {@code null}. */
    private Object literal() {
        for (String word : new String[] {"true", "false", "null"}) {
            if (text.startsWith(word, pos)) {
                pos += word.length();
                return word.equals("null") ? null : Boolean.valueOf(word.equals("true"));
            }
        }
        throw error("expected true, false or null");
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw error("expected a digit");
        }
        boolean integer = true;
        if (peek() == '.') {
            integer = false;
            pos++;
            if (!isDigit(peek())) throw error("expected a digit after '.'");
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw error("expected a digit in the exponent");
            while (isDigit(peek())) pos++;
        }
        String s = text.substring(start, pos);
        if (integer) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException tooBig) {
                pos = start;
                throw error("integer " + s + " does not fit in 64 bits");
            }
        }
        return Double.parseDouble(s);
    }

    private void enter() {
        if (++depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("JSON: " + what + " at offset " + pos);
    }

    // ---------------------------------------------------------------- writing

    /** Compact JSON for maps (keys in iteration order), lists, strings, and integer or finite floating numbers. */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, null);
        return sb.toString();
    }

    /**
     * Indented JSON for reports: as {@link #write} plus booleans, null, and floats; a NaN or
     * infinite number (which JSON cannot hold) is written as null.
     */
    public static String writeReport(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "");
        return sb.append('\n').toString();
    }

    /** {@code indent} null: compact and strict (safetensors headers); else indented, lenient (reports). */
    private static void write(StringBuilder sb, Object v, String indent) {
        boolean report = indent != null;
        String inner = report ? indent + "  " : null;
        switch (v) {
            case null -> {
                if (!report) throw new IllegalArgumentException("JSON: cannot write null");
                sb.append("null");
            }
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) sb.append(',');
                    if (report) sb.append('\n').append(inner);
                    first = false;
                    quote(sb, (String) e.getKey());
                    sb.append(report ? ": " : ":");
                    write(sb, e.getValue(), inner);
                }
                if (report && !first) sb.append('\n').append(indent);
                sb.append('}');
            }
            case List<?> a -> {
                sb.append('[');
                for (int i = 0; i < a.size(); i++) {
                    if (i > 0) sb.append(',');
                    if (report) sb.append('\n').append(inner);
                    write(sb, a.get(i), inner);
                }
                if (report && !a.isEmpty()) sb.append('\n').append(indent);
                sb.append(']');
            }
            case String s -> quote(sb, s);
            case Long n -> sb.append(n);
            case Integer n -> sb.append(n);
            case Boolean b when report -> sb.append(b);
            case Float f when report -> write(sb, f.doubleValue(), indent);
            case Double d -> {
                if (Double.isFinite(d)) sb.append(d);
                else if (report) sb.append("null");
                else throw new IllegalArgumentException("JSON: cannot write " + d);
            }
            default -> throw new IllegalArgumentException("JSON: cannot write a " + v.getClass().getSimpleName());
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
