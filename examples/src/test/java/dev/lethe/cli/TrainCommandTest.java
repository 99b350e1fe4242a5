package dev.lethe.cli;

import dev.lethe.cpu.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code lethe train} end to end on the bundled subset. */
class TrainCommandTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    record Run(int code, String out, String err) {}

    static Run lethe(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Lethe.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void trainsOneEpochAndWritesWeightsAndJson(@TempDir Path dir) throws Exception {
        Path weights = dir.resolve("mlp.safetensors"), json = dir.resolve("run.json");
        Run r = lethe("train", "--epochs", "1", "--quiet", "--threads", "2", "--out", weights.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("1 ")), "an epoch row on stdout:\n" + r.out());
        String report = Files.readString(json);
        assertTrue(report.contains("\"test_acc\""), report);
        assertTrue(report.contains("\"seconds_per_epoch\""), report);
        double testAcc = Double.parseDouble(report.replaceAll("(?s).*\"test_acc\": ([0-9.]+).*", "$1"));
        assertTrue(testAcc > 60, "one epoch on the subset should beat 60% test accuracy, got " + testAcc);
        assertTrue(Files.size(weights) > 235_146 * 4, "weights file holds every parameter");
    }

    @Test
    void sameSeedGivesTheSameWeightsOnOneAndTwoThreads(@TempDir Path dir) throws Exception {
        Path one = dir.resolve("t1.safetensors"), two = dir.resolve("t2.safetensors");
        assertEquals(0, lethe("train", "--epochs", "1", "--quiet", "--threads", "1", "--out", one.toString()).code());
        assertEquals(0, lethe("train", "--epochs", "1", "--quiet", "--threads", "2", "--out", two.toString()).code());
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two), "bitwise-identical weights for 1 and 2 threads");
    }

    @Test
    void badArgumentsGiveOneClearLineAndNonZeroExit(@TempDir Path dir) {
        Run model = lethe("train", "--model", "transformer");
        assertNotEquals(0, model.code());
        assertTrue(model.err().contains("transformer") && model.err().contains("mlp"), model.err());

        Run epochs = lethe("train", "--epochs", "-3");
        assertNotEquals(0, epochs.code());
        assertTrue(epochs.err().contains("-3"), epochs.err());

        Run data = lethe("train", "--data", dir.resolve("missing").toString());
        assertNotEquals(0, data.code());
        assertTrue(data.err().contains("missing"), data.err());

        Run option = lethe("train", "--learning-rate", "1");
        assertEquals(2, option.code());
        assertTrue(option.err().contains("--learning-rate"), option.err());
    }
}
