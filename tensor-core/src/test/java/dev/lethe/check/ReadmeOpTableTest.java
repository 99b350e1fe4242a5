package dev.lethe.check;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The README's op table and the code's op table list the same ops: the README promises only
 * what gradcheck covers, and lists everything it covers. Names are
 * compared ignoring case and underscores ({@code logSoftmax} = {@code log_softmax}).
 */
class ReadmeOpTableTest {
    /** Surefire runs in the module directory; the README is at the repository root. */
    static final Path README = Path.of("../README.md");
    static final String HEADING = "## Ops";

    /** Listed in the README but not differentiable, so they have no op-table entry. */
    static final Set<String> NO_GRAD = Set.of("comparisons", "argmax");

    /** Views the README lists by name that Tensor composes from an op that has an entry. */
    static final Map<String, String> COMPOSED = Map.of("transpose", "permute", "squeeze", "reshape", "unsqueeze", "reshape");

    @Test
    void everyReadmeOpIsInTheOpTable() throws IOException {
        Set<String> table = OpTable.all().stream().map(o -> norm(o.name())).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        for (String name : readmeOps(Files.readAllLines(README))) {
            String n = norm(name);
            if (NO_GRAD.contains(n)) continue;
            if (!table.contains(norm(COMPOSED.getOrDefault(n, n)))) missing.add(name);
        }
        assertTrue(missing.isEmpty(), "README op table lists ops without an OpTable entry: " + missing);
    }

    @Test
    void everyOpTableEntryIsInTheReadme() throws IOException {
        Set<String> readme = readmeOps(Files.readAllLines(README)).stream().map(ReadmeOpTableTest::norm).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        for (OpInfo info : OpTable.all()) if (!readme.contains(norm(info.name()))) missing.add(info.name());
        assertTrue(missing.isEmpty(), "ops in the op table that the README's op table does not list: " + missing);
    }

    @Test
    void readsTheOpNamesOfTheReadmeTable() throws IOException {
        List<String> names = readmeOps(Files.readAllLines(README));
        assertTrue(names.containsAll(List.of("add", "permute", "transpose", "to", "matmul", "comparisons")), names.toString());
        assertFalse(names.contains("name"), "the header row is not an op: " + names);
    }

    @Test
    void parsesRowsUnderTheHeadingOnly() {
        List<String> md = List.of("# Lethe", "| not | an op |", HEADING, "### Shape", "| name | formula | derivative |",
                "| --- | --- | --- |", "| `permute`/`transpose` | y = … | ∂x = … |", "| to(dtype) | y = x | ∂x = g |",
                "## Design", "| other | table |");
        assertEquals(List.of("permute", "transpose", "to"), readmeOps(md));
    }

    /**
     * The first-column names of the table rows under {@link #HEADING} (up to the next level-2
     * heading): backticks and parenthesised arguments dropped, cells like {@code a/b} split.
     */
    static List<String> readmeOps(List<String> lines) {
        List<String> names = new ArrayList<>();
        boolean inSection = false;
        for (String line : lines) {
            if (line.startsWith("## ")) inSection = line.strip().equals(HEADING);
            if (!inSection || !line.startsWith("|")) continue;
            String cell = line.substring(1).split("\\|", -1)[0].replace("`", "").strip();
            if (cell.equals("name") || cell.matches("[-: ]+")) continue;
            for (String part : cell.split("/")) {
                String name = part.replaceAll("\\(.*\\)", "").strip();
                if (!name.isEmpty()) names.add(name);
            }
        }
        return names;
    }

    static String norm(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }
}
