package dev.lethe.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.lethe.cli.TrainCommandTest.lethe;
import static org.junit.jupiter.api.Assertions.*;

/** {@code lethe unlearn} and {@code lethe demo} end to end on the bundled subset, with short recipes. */
class UnlearnCommandTest {
    @Test
    void unlearnsFromSavedWeightsAndWritesJsonAndReport(@TempDir Path dir) throws Exception {
        Path weights = dir.resolve("mlp.safetensors"), json = dir.resolve("u.json"), report = dir.resolve("report");
        assertEquals(0, lethe("train", "--epochs", "1", "--quiet", "--out", weights.toString()).code());
        TrainCommandTest.Run r = lethe("unlearn", "--scenario", "class:3", "--methods", "retrain,ft,ssd", "--epochs", "1", "--original",
                weights.toString(), "--mia-samples", "300", "--sparsity", "0.5", "--quiet", "--json", json.toString(), "--report", report.toString());
        assertEquals(0, r.code(), r.err());
        for (String m : new String[] {"original", "retrain", "ft", "ssd"}) assertTrue(r.out().contains("| " + m + " |"), m + " row in:\n" + r.out());
        String text = Files.readString(json);
        assertTrue(text.contains("\"scenario\": \"class:3\"") && text.contains("\"mia_efficacy\""), text);
        assertTrue(Files.readString(report.resolve("report.html")).contains("<svg"), "the report has plots");
        assertTrue(r.out().contains("prune-then-unlearn: 50% of the conv/linear weights pruned"), r.out());
        assertTrue(text.contains("\"sparsity\": 0.5"), text);
    }

    @Test
    void demoRunsTheWholeStoryWithAShortRecipe(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("demo");
        TrainCommandTest.Run r = lethe("demo", "--epochs", "1", "--quiet", "--report", report.toString());
        assertEquals(0, r.code(), r.err());
        for (String scenario : new String[] {"class:0", "random:0.1"}) assertTrue(r.out().contains(scenario), scenario + " table in:\n" + r.out());
        for (String m : new String[] {"retrain", "ft", "ga", "rl", "l1sparse", "salun", "ssd"}) assertTrue(r.out().contains("| " + m + " |"), m);
        assertTrue(Files.exists(report.resolve("report.html")) && Files.exists(report.resolve("results.json")));
    }

    @Test
    void badInputGivesOneClearLineAndNonZeroExit(@TempDir Path dir) throws Exception {
        TrainCommandTest.Run method = lethe("unlearn", "--scenario", "class:0", "--methods", "retrain,forget-everything");
        assertNotEquals(0, method.code());
        assertTrue(method.err().contains("forget-everything") && method.err().contains("salun"), method.err());

        TrainCommandTest.Run scenario = lethe("unlearn", "--scenario", "cluster:3");
        assertNotEquals(0, scenario.code());
        assertTrue(scenario.err().contains("cluster:3") && scenario.err().contains("random:F"), scenario.err());

        TrainCommandTest.Run klass = lethe("unlearn", "--scenario", "class:12", "--epochs", "1", "--quiet");
        assertNotEquals(0, klass.code());
        assertTrue(klass.err().contains("12"), klass.err());

        TrainCommandTest.Run fraction = lethe("unlearn", "--scenario", "random:1.5");
        assertNotEquals(0, fraction.code());
        assertTrue(fraction.err().contains("1.5"), fraction.err());

        TrainCommandTest.Run sparsity = lethe("unlearn", "--scenario", "class:0", "--sparsity", "1.5");
        assertNotEquals(0, sparsity.code());
        assertTrue(sparsity.err().contains("1.5"), sparsity.err());

        Path cnnWeights = dir.resolve("cnn.safetensors");
        assertEquals(0, lethe("train", "--model", "cnn", "--epochs", "0", "--quiet", "--out", cnnWeights.toString()).code());
        Path out = dir.resolve("never.json");
        TrainCommandTest.Run mismatch = lethe("unlearn", "--scenario", "class:0", "--methods", "ft", "--original", cnnWeights.toString(), "--json",
                out.toString());
        assertNotEquals(0, mismatch.code());
        assertTrue(mismatch.err().contains("mlp") && mismatch.err().contains(cnnWeights.toString()), mismatch.err());
        assertFalse(Files.exists(out), "nothing half-written");
    }
}
