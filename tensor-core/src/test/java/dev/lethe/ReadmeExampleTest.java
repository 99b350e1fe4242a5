package dev.lethe;

import dev.lethe.autograd.NoGrad;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The README's code example, run: a linear regression y = 3x + 2 trained with autograd must
 * converge. A second test checks that the README shows exactly this code, so it cannot rot.
 */
class ReadmeExampleTest {
    /** Surefire runs in the module directory; the README is at the repository root. */
    static final Path README = Path.of("../README.md");
    static final Path THIS_FILE = Path.of("src/test/java/dev/lethe/ReadmeExampleTest.java");

    @Test
    void linearRegressionConverges() {
        // README example start
        Tensor x = Tensor.fromArray(new float[] {0, 1, 2, 3, 4}, 5);
        Tensor y = x.mul(3).add(2);                          // targets on the line y = 3x + 2
        Tensor w = Tensor.zeros(1).requiresGrad(true);
        Tensor b = Tensor.zeros(1).requiresGrad(true);
        double lr = 0.05;
        for (int step = 0; step < 500; step++) {
            Tensor pred = x.mul(w).add(b);
            Tensor loss = pred.sub(y).mul(pred.sub(y)).mean();
            loss.backward();                                 // fills w.grad() and b.grad()
            try (var g = NoGrad.enter()) {                   // the update itself is not recorded
                w.addScaled_(w.grad(), -lr);
                b.addScaled_(b.grad(), -lr);
            }
            w.zeroGrad();
            b.zeroGrad();
        }
        System.out.printf("w = %.3f, b = %.3f%n", w.item(), b.item());   // w = 3.000, b = 2.000
        // README example end
        assertEquals(3.0, w.item(), 1e-3);
        assertEquals(2.0, b.item(), 1e-3);
    }

    @Test
    void readmeShowsThisCode() throws IOException {
        List<String> mine = between(Files.readAllLines(THIS_FILE), "// README example start", "// README example end");
        List<String> readme = between(Files.readAllLines(README), "```java", "```");
        assertFalse(mine.isEmpty());
        assertEquals(String.join("\n", mine), String.join("\n", readme),
                "the README's ```java example must be the code of ReadmeExampleTest.linearRegressionConverges");
    }

    /** The lines strictly between the first line equal to {@code start} and the next equal to {@code end}, indentation made relative. */
    static List<String> between(List<String> lines, String start, String end) {
        int from = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (from < 0 && lines.get(i).strip().equals(start)) from = i + 1;
            else if (from >= 0 && lines.get(i).strip().equals(end)) {
                List<String> block = lines.subList(from, i);
                int indent = block.stream().filter(l -> !l.isBlank())
                        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
                return block.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
            }
        }
        return List.of();
    }
}
