package dev.lethe.unlearn.harness;

import dev.lethe.train.Recipe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.lethe.unlearn.harness.HarnessTest.grid;
import static dev.lethe.unlearn.harness.TestMethods.*;
import static org.junit.jupiter.api.Assertions.*;

/** Reading results JSON back, and merging per-seed runs into the grid one process would have made. */
class ResultsMergeTest {
    static ExperimentResult both, seed0, seed1;

    @BeforeAll
    static void run() {
        List<String> scenarios = List.of("class:2", "random:0.1");
        both = Harness.run(grid(scenarios, List.of(identity(), retrain(), broken()), List.of(0L, 1L), true), HarnessListener.SILENT);
        seed0 = Harness.run(grid(scenarios, List.of(identity(), retrain(), broken()), List.of(0L), true), HarnessListener.SILENT);
        seed1 = Harness.run(grid(scenarios, List.of(identity(), retrain(), broken()), List.of(1L), true), HarnessListener.SILENT);
    }

    static ExperimentResult roundTrip(ExperimentResult r, Path dir, String name) throws Exception {
        Path f = dir.resolve(name);
        ResultsJson.write(f, r);
        return ResultsJsonReader.read(f);
    }

    @Test
    void readsBackExactlyWhatWasWritten(@TempDir Path dir) throws Exception {
        assertEquals(ResultsJson.text(both), ResultsJson.text(roundTrip(both, dir, "grid.json")));
        ExperimentResult one = Harness.run(grid(List.of("class:1"), List.of(identity(), retrain()), List.of(7L), false), HarnessListener.SILENT);
        ExperimentResult back = roundTrip(one, dir, "one.json"); // the single-run form
        assertEquals(ResultsJson.text(one), ResultsJson.text(back));
        assertEquals(List.of(7L), back.seeds());
        assertEquals(10, back.numClasses());
        MethodResult failed = roundTrip(both, dir, "g.json").runs().get(0).row("broken");
        assertEquals("java.lang.IllegalStateException: diverged on purpose", failed.error());
        assertTrue(Double.isNaN(failed.metrics().ua()), "a failed row's null metrics read back as NaN");
    }

    @Test
    void mergingPerSeedFilesGivesTheTableOfOneRunOverAllSeeds(@TempDir Path dir) throws Exception {
        ExperimentResult merged = ResultsMerge.merge(List.of("a", "b"), List.of(roundTrip(seed0, dir, "a.json"), roundTrip(seed1, dir, "b.json")));
        assertEquals(both.seeds(), merged.seeds());
        assertEquals(both.runs().size(), merged.runs().size());
        List<AggregateRow> expected = both.aggregate(), got = merged.aggregate();
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            AggregateRow e = expected.get(i), g = got.get(i);
            String what = e.label() + " " + e.method();
            assertEquals(e.label() + " " + e.method(), g.label() + " " + g.method());
            assertEquals(e.seeds(), g.seeds(), what);
            assertEquals(e.failures(), g.failures(), what);
            for (Stat[] pair : new Stat[][] {{e.ua(), g.ua()}, {e.ra(), g.ra()}, {e.ta(), g.ta()}, {e.miaEfficacy(), g.miaEfficacy()}, {e.avgGap(), g.avgGap()}}) {
                assertEquals(pair[0], pair[1], what);
            }
            assertArrayEquals(e.perClassTestAcc(), g.perClassTestAcc(), what);
            assertEquals(e.notes(), g.notes(), what);
        }
    }

    /** The device a grid ran on is written, read back ("cpu" for files from before the field), and named per device in a merge. */
    @Test
    void theDeviceIsRecordedReadBackAndMerged(@TempDir Path dir) throws Exception {
        assertEquals("cpu", both.device());
        assertTrue(ResultsJson.text(both).contains("\"device\": \"cpu\""), "the grid's JSON names its device");
        ExperimentResult onGpu = new ExperimentResult(seed1.model(), seed1.recipe(), seed1.seeds(), seed1.numClasses(), seed1.runs(),
                seed1.sparsity(), "cuda:0");
        assertEquals("cuda:0", roundTrip(onGpu, dir, "gpu.json").device());
        assertEquals("cpu+cuda:0", ResultsMerge.merge(List.of("a", "b"), List.of(seed0, onGpu)).device());
        assertTrue(dev.lethe.unlearn.report.MarkdownReport.render(onGpu, dev.lethe.unlearn.report.ReportOptions.defaults(10)).contains("; computed on cuda:0"),
                "a report says where a grid ran when not on the CPU");
        assertTrue(!dev.lethe.unlearn.report.MarkdownReport.render(seed0, dev.lethe.unlearn.report.ReportOptions.defaults(10)).contains("computed on"));
        Path old = dir.resolve("old.json");
        java.nio.file.Files.writeString(old, ResultsJson.text(seed0).replaceAll("\\s*\"device\": \"cpu\",", ""));
        assertTrue(!java.nio.file.Files.readString(old).contains("\"device\""), "the old form has no device field");
        assertEquals("cpu", ResultsJsonReader.read(old).device());
    }

    @Test
    void refusesPartsThatAreNotTheSameGrid() {
        String twice = assertThrows(IllegalArgumentException.class, () -> ResultsMerge.merge(List.of("a.json", "b.json"), List.of(seed0, seed0))).getMessage();
        assertEquals("merge: seed 0 is in both a.json and b.json", twice);
        ExperimentResult cnn = new ExperimentResult("cnn", seed1.recipe(), seed1.seeds(), 10, seed1.runs(), 0, "cpu");
        assertEquals("merge: c.json has model cnn but a.json has mlp",
                assertThrows(IllegalArgumentException.class, () -> ResultsMerge.merge(List.of("a.json", "c.json"), List.of(seed0, cnn))).getMessage());
        Recipe r = seed1.recipe();
        ExperimentResult otherLr = new ExperimentResult("mlp", new Recipe(r.epochs(), r.batchSize(), 0.5, r.schedule(), r.momentum(), r.weightDecay(), 1),
                seed1.seeds(), 10, seed1.runs(), 0, "cpu");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResultsMerge.merge(List.of("a", "d"), List.of(seed0, otherLr))).getMessage()
                .startsWith("merge: d has recipe (shuffle seed aside) "));
        ExperimentResult otherShuffle = new ExperimentResult("mlp", new Recipe(r.epochs(), r.batchSize(), r.lr(), r.schedule(), r.momentum(), r.weightDecay(), 5),
                seed1.seeds(), 10, seed1.runs(), 0, "cpu");
        assertEquals(List.of(0L, 1L), ResultsMerge.merge(List.of("a", "e"), List.of(seed0, otherShuffle)).seeds(), "the shuffle seed is the run's seed");
    }

    @Test
    void badFilesAreRefusedNamingTheFileAndTheField(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.json");
        String text = ResultsJson.text(seed0);
        Files.writeString(f, text.replaceFirst("\"ua\": [^,]+,", "\"ua\": \"x\","));
        assertEquals(f + ": runs[0].results[0].ua: expected a number, got \"x\"",
                assertThrows(IllegalArgumentException.class, () -> ResultsJsonReader.read(f)).getMessage());
        Files.writeString(f, text.replaceFirst("\"role\": \"original\"", "\"role\": \"teacher\""));
        assertEquals(f + ": runs[0].results[0].role: unknown role \"teacher\"; expected original, retrain, noise_floor or method",
                assertThrows(IllegalArgumentException.class, () -> ResultsJsonReader.read(f)).getMessage());
        Files.writeString(f, text.replaceFirst("\"epochs\": 1,", "\"epochs\": -1,"));
        assertEquals(f + ": recipe: epochs must be ≥ 0, got -1", assertThrows(IllegalArgumentException.class, () -> ResultsJsonReader.read(f)).getMessage());
        Files.writeString(f, text.replaceFirst("\"num_classes\": 10,\n", ""));
        assertEquals(f + ": num_classes: missing", assertThrows(IllegalArgumentException.class, () -> ResultsJsonReader.read(f)).getMessage());
        Files.writeString(f, text.substring(0, text.length() / 2));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResultsJsonReader.read(f)).getMessage().startsWith(f + ": JSON: "));
        Path missing = dir.resolve("none.json");
        assertEquals(missing + ": not a file", assertThrows(IllegalArgumentException.class, () -> ResultsJsonReader.read(missing)).getMessage());
    }
}
