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
    void setOverridesAndSweepsAMethodsHyperparameters() throws Exception {
        TrainCommandTest.Run r = lethe("unlearn", "--scenario", "class:3", "--methods", "retrain,ft", "--set", "ft.lr=0.001,0.02", "--set", "ft.epochs=1",
                "--epochs", "1", "--mia-samples", "200", "--quiet");
        assertEquals(0, r.code(), r.err());
        for (String m : new String[] {"retrain", "ft lr=0.001 epochs=1", "ft lr=0.02 epochs=1"}) assertTrue(r.out().contains("| " + m + " |"), m + " row in:\n" + r.out());
    }

    @Test
    void mergeCombinesRunsOfSeparateSeedsIntoOneTable(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("s0.json"), b = dir.resolve("s1.json"), report = dir.resolve("merged");
        for (Path f : new Path[] {a, b}) {
            TrainCommandTest.Run r = lethe("unlearn", "--scenario", "class:3", "--methods", "retrain,ft", "--epochs", "1", "--mia-samples", "200",
                    "--seed", f == a ? "0" : "1", "--quiet", "--json", f.toString());
            assertEquals(0, r.code(), r.err());
        }
        TrainCommandTest.Run m = lethe("merge", a.toString(), b.toString(), "--report", report.toString(), "--data-line", "the bundled subset");
        assertEquals(0, m.code(), m.err());
        assertTrue(m.out().contains("seeds 0, 1") && m.out().contains(" ± ") && m.out().contains("data: the bundled subset"), m.out());
        assertTrue(Files.readString(report.resolve("results.json")).contains("\"aggregate\""));
        TrainCommandTest.Run twice = lethe("merge", a.toString(), a.toString());
        assertEquals(1, twice.code());
        assertEquals("lethe merge: merge: seed 0 is in both " + a + " and " + a, twice.err().strip());
    }

    @Test
    void methodsListsEveryHyperparameterWithItsDefault() throws Exception {
        TrainCommandTest.Run r = lethe("methods");
        assertEquals(0, r.code(), r.err());
        String graddiffLr = "lr=" + dev.lethe.unlearn.methods.Methods.spec("graddiff").hyperparameters().getFirst().defaultValue();
        for (String line : new String[] {"graddiff — ", graddiffLr, "salun — ", "fraction=0.5", "retrain — "}) {
            assertTrue(r.out().contains(line), line + " in:\n" + r.out());
        }
        TrainCommandTest.Run one = lethe("methods", "ssd");
        assertTrue(one.out().contains("alpha=10") && !one.out().contains("salun"), one.out());
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

        TrainCommandTest.Run key = lethe("unlearn", "--scenario", "class:0", "--methods", "ft", "--set", "ft.learning_rate=0.1");
        assertNotEquals(0, key.code());
        assertTrue(key.err().contains("ft has no hyperparameter 'learning_rate'") && key.err().contains("lr, momentum"), key.err());

        TrainCommandTest.Run value = lethe("unlearn", "--scenario", "class:0", "--methods", "ft", "--set", "ft.lr=fast");
        assertNotEquals(0, value.code());
        assertTrue(value.err().contains("ft.lr = 'fast' is not a number"), value.err());

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
