package dev.lethe.io;

import dev.lethe.data.ByteMutations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Random damage to a valid file — changed bytes, cuts, insertions, extreme lengths — must
 * either still read or fail with an IOException: no other exception, no OutOfMemoryError,
 * no stack overflow.
 */
class SafeTensorsFuzzTest {
    @Test
    void damagedFilesFailCleanly(@TempDir Path dir) throws IOException {
        Path valid = dir.resolve("valid.safetensors");
        SafeTensors.write(valid, SafeTensorsTest.sample(), Map.of("k", "v"), Set.of("step"));
        byte[] good = Files.readAllBytes(valid);
        SplittableRandom rnd = new SplittableRandom(77);
        int refused = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] damaged = ByteMutations.mutate(good, rnd);
            try {
                SafeTensors.read("fuzz.safetensors", new BytesChannel(damaged));
            } catch (IOException expected) {
                assertTrue(expected.getMessage().startsWith("fuzz.safetensors: "), expected.getMessage());
                refused++;
            }
        }
        assertTrue(refused > 1500, "most damaged files must be refused, got " + refused);
        for (int cut = 0; cut < good.length; cut++) {
            byte[] shorter = Arrays.copyOf(good, cut);
            assertThrows(IOException.class, () -> SafeTensors.read("cut", new BytesChannel(shorter)), "cut at " + cut);
        }
    }
}
