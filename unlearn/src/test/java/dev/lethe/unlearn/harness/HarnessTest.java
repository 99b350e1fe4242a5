package dev.lethe.unlearn.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.train.Trainer;
import dev.lethe.unlearn.Metrics;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.scenario.Scenarios;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.lethe.unlearn.harness.TestMethods.*;
import static org.junit.jupiter.api.Assertions.*;

class HarnessTest {
    static Experiment grid(List<String> scenarios, List<dev.lethe.unlearn.Method> methods, List<Long> seeds, boolean noiseFloor) {
        return Experiment.of("mlp", RECIPE, TRAIN, TEST, 10, scenarios.stream().map(Scenarios::parse).toList(), methods, seeds, noiseFloor);
    }

    @Test
    void runsEveryMethodOnEveryRequestAndSeedWithGapsToRetrain() {
        Log log = new Log();
        ExperimentResult r = Harness.run(grid(List.of("random:0.1", "class:2"), List.of(identity(), retrain(), broken()), List.of(0L, 1L), true), log);

        assertEquals(4, r.runs().size(), "2 seeds × 2 scenarios");
        assertEquals(List.of("random:0.1", "class:2", "random:0.1", "class:2"), r.runs().stream().map(RunResult::scenario).toList());
        for (RunResult run : r.runs()) {
            assertEquals(List.of(Harness.ORIGINAL, "identity", Harness.RETRAIN, "broken", Harness.NOISE_FLOOR_NAME),
                    run.results().stream().map(MethodResult::method).toList());
            MethodResult original = run.row(Harness.ORIGINAL), identity = run.row("identity"), retrain = run.row(Harness.RETRAIN);
            assertEquals(0.0, retrain.avgGap(), "Retrain's gap to itself");
            assertTrue(Double.isNaN(original.metrics().seconds()));
            assertTrue(identity.metrics().seconds() >= 0);
            // the identity is θ0: the same numbers, so the same gap
            assertEquals(original.metrics().ua(), identity.metrics().ua());
            assertEquals(original.metrics().miaEfficacy(), identity.metrics().miaEfficacy());
            assertEquals(original.avgGap(), identity.avgGap(), 1e-12);
            assertEquals(original.metrics().avgGap(retrain.metrics()), original.avgGap(), 1e-12);
            assertEquals("nothing", identity.notes().get("what"));
            MethodResult noise = run.row(Harness.NOISE_FLOOR_NAME);
            assertEquals(Role.NOISE_FLOOR, noise.role());
            assertTrue(noise.avgGap() > 0, "another init seed gives another model: " + noise.avgGap());
            MethodResult broken = run.row("broken");
            assertTrue(broken.failed() && broken.error().contains("diverged on purpose"));
            assertTrue(Double.isNaN(broken.metrics().ua()) && Double.isNaN(broken.avgGap()));
            assertEquals(Math.min(run.retainSize(), run.testSize()), run.miaSamples());
            assertTrue(run.originalTrainSeconds() > 0);
        }
        RunResult classWise = r.runs().get(1);
        assertEquals(2, classWise.forgottenClass());
        assertEquals(30, classWise.forgetSize());
        assertEquals(90, classWise.testSize());
        assertEquals(270, classWise.retainSize());
        assertEquals(0.0, classWise.row(Harness.RETRAIN).perClassTestAcc()[2], "a model retrained without class 2 never predicts it");

        // progress: every planned phase started once, in order, and training reported its steps
        assertEquals(log.planned, log.phases.size());
        for (int i = 0; i < log.phases.size(); i++) assertEquals(i, log.phases.get(i).index());
        assertEquals(2 * (1 + 2 * (1 + 2 * 3 + 2)), log.planned);
        assertTrue(log.lines.get(0).startsWith("start 0/38 TRAIN_ORIGINAL original 10"), log.lines.get(0));
        assertEquals(4, log.lines.stream().filter(l -> l.equals("failed broken diverged on purpose")).count());
        assertTrue(log.steps > 0);

        // aggregate over the two seeds
        List<AggregateRow> agg = r.aggregate();
        assertEquals(10, agg.size(), "2 scenarios × 5 rows");
        AggregateRow retrainRandom = agg.stream().filter(a -> a.scenario().equals("random:0.1") && a.method().equals(Harness.RETRAIN)).findFirst().orElseThrow();
        assertEquals(2, retrainRandom.ua().n());
        double ua0 = r.runs().get(0).row(Harness.RETRAIN).metrics().ua(), ua1 = r.runs().get(2).row(Harness.RETRAIN).metrics().ua();
        assertEquals((ua0 + ua1) / 2, retrainRandom.ua().mean(), 1e-12);
        assertEquals(Math.abs(ua0 - ua1) / Math.sqrt(2), retrainRandom.ua().std(), 1e-9);
        AggregateRow brokenRow = agg.stream().filter(a -> a.method().equals("broken")).findFirst().orElseThrow();
        assertEquals(2, brokenRow.failures());
        assertEquals(2, brokenRow.seeds());
        assertEquals(0, brokenRow.ua().n());
    }

    @Test
    void sameSeedSameNumbers() {
        Experiment e = grid(List.of("random:0.1"), List.of(identity(), retrain()), List.of(3L), false);
        ExperimentResult a = Harness.run(e, HarnessListener.SILENT), b = Harness.run(e, HarnessListener.SILENT);
        for (int i = 0; i < a.runs().get(0).results().size(); i++) {
            Metrics ma = a.runs().get(0).results().get(i).metrics(), mb = b.runs().get(0).results().get(i).metrics();
            assertEquals(ma.ua(), mb.ua());
            assertEquals(ma.ra(), mb.ra());
            assertEquals(ma.ta(), mb.ta());
            assertEquals(ma.miaEfficacy(), mb.miaEfficacy());
        }
    }

    @Test
    void sequenceRequestsContinueFromEachMethodsOwnOutput() {
        List<UnlearnContext> seen = new ArrayList<>();
        ExperimentResult r = Harness.run(grid(List.of("seq:random:0.1x3"), List.of(recorder(seen), retrain()), List.of(0L), false), HarnessListener.SILENT);
        assertEquals(3, r.runs().size());
        assertEquals(List.of(0, 1, 2), r.runs().stream().map(RunResult::request).toList());
        assertEquals(List.of(270, 240, 210), r.runs().stream().map(RunResult::retainSize).toList());
        assertEquals(3, seen.size());
        assertNotSame(seen.get(0).original(), seen.get(1).original(), "request 2 starts from request 1's output, not θ0");
        assertEquals("seq:random:0.1x3 (request 2/3)", r.runs().get(1).label());
        assertEquals(3, r.aggregate().stream().filter(a -> a.method().equals("recorder")).count(), "one aggregate row per request");
    }

    @Test
    void suppliedOriginalIsNotTrainedAndItsInitSeedIsTheRunSeed() {
        Module theta0 = Models.mlp(5);
        new Trainer(theta0, TRAIN, RECIPE).fit(null, s -> {}, e -> {});
        List<UnlearnContext> seen = new ArrayList<>();
        Log log = new Log();
        ExperimentResult r = Harness.run(grid(List.of("class:0"), List.of(recorder(seen)), List.of(5L), false).withOriginal(s -> theta0), log);
        assertSame(theta0, seen.get(0).original());
        assertEquals(5, seen.get(0).initSeed());
        assertTrue(Double.isNaN(r.runs().get(0).originalTrainSeconds()));
        assertTrue(log.phases.stream().noneMatch(p -> p.kind() == Phase.Kind.TRAIN_ORIGINAL));
        assertTrue(Double.isNaN(r.runs().get(0).row("recorder").avgGap()), "no Retrain, no gap");
    }

    @Test
    void sparsityHandsEveryMethodTheOmpMaskOfTheOriginal() {
        Module theta0 = Models.mlp(5);
        new Trainer(theta0, TRAIN, RECIPE).fit(null, s -> {}, e -> {});
        List<UnlearnContext> seen = new ArrayList<>();
        ExperimentResult r = Harness.run(grid(List.of("class:0"), List.of(recorder(seen)), List.of(5L), false).withOriginal(s -> theta0)
                .withSparsity(0.5), HarnessListener.SILENT);
        Map<String, dev.lethe.tensor.Tensor> mask = seen.get(0).sparsityMask();
        assertEquals(java.util.Set.of("1.weight", "3.weight", "5.weight"), mask.keySet(), "conv/linear weights only, never biases");
        long kept = 0, n = 0;
        for (dev.lethe.tensor.Tensor m : mask.values()) {
            for (float v : m.toFloatArray()) kept += (long) v;
            n += m.numel();
        }
        assertEquals(n - n / 2, kept, "half of the weights pruned");
        assertEquals(0.5, r.sparsity());
        assertThrows(IllegalArgumentException.class, () -> grid(List.of("class:0"), List.of(identity()), List.of(0L), false).withSparsity(1.0));
    }

    @Test
    void aDivergedMethodGetsAFailedRowNamingTheNonFiniteWeight() {
        ExperimentResult r = Harness.run(grid(List.of("class:0"), List.of(TestMethods.nan(), retrain()), List.of(0L), false), HarnessListener.SILENT);
        MethodResult row = r.runs().get(0).row("nan");
        assertTrue(row.failed());
        assertTrue(row.error().startsWith("diverged: 1.weight[0] = NaN"), row.error());
        assertTrue(Double.isNaN(row.metrics().ua()) && Double.isNaN(row.avgGap()), "no metrics for a diverged model");
        assertFalse(r.runs().get(0).row(Harness.RETRAIN).failed());
    }

    @Test
    void aMethodThatWritesIntoItsInputStopsTheGrid() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Harness.run(grid(List.of("class:0"), List.of(vandal()), List.of(0L), false), HarnessListener.SILENT));
        assertTrue(e.getMessage().contains("'vandal' modified the model it was given"), e.getMessage());
    }

    @Test
    void badGridsAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> grid(List.of("class:0"), List.of(identity()), List.of(0L), true))
                .getMessage().contains("noise floor"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> grid(List.of("class:0"), List.of(identity(), identity()), List.of(0L), false))
                .getMessage().contains("two methods are named 'identity'"));
        assertThrows(IllegalArgumentException.class, () -> grid(List.of("class:0"), List.of(identity()), List.of(0L, 0L), false));
        assertThrows(IllegalArgumentException.class, () -> grid(List.of("class:0"), List.of(method("original", c -> null)), List.of(0L), false));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Experiment.of("vgg", RECIPE, TRAIN, TEST, 10,
                List.of(Scenarios.parse("class:0")), List.of(identity()), List.of(0L), false)).getMessage().contains("vgg"));
    }

    @Test
    void jsonOfOneRunFollowsTheIssueSchema(@TempDir Path dir) throws Exception {
        ExperimentResult r = Harness.run(grid(List.of("class:1"), List.of(identity(), retrain()), List.of(7L), false), HarnessListener.SILENT);
        Path file = dir.resolve("results.json");
        ResultsJson.write(file, r);
        JsonNode j = new ObjectMapper().readTree(Files.readString(file));
        assertEquals("class:1", j.get("scenario").asText());
        assertEquals("mlp", j.get("model").asText());
        assertEquals(7, j.get("seed").asLong());
        assertEquals(1, j.get("forgotten_class").asInt());
        JsonNode rows = j.get("results");
        assertEquals(3, rows.size());
        JsonNode retrain = rows.get(2);
        assertEquals("retrain", retrain.get("method").asText());
        for (String k : List.of("ua", "ra", "ta", "mia_efficacy", "seconds", "avg_gap")) assertTrue(retrain.get(k).isNumber(), k);
        assertEquals(r.runs().get(0).row("retrain").metrics().ua(), retrain.get("ua").asDouble());
        assertEquals(0.0, retrain.get("avg_gap").asDouble());
        assertTrue(rows.get(0).get("seconds").isNull(), "the original's NaN time is null");
        assertEquals(10, retrain.get("per_class_test_acc").size());
        assertEquals("nothing", rows.get(1).get("notes").get("what").asText());
    }

    @Test
    void jsonOfAGridHoldsRunsAndTheAggregate() throws Exception {
        ExperimentResult r = Harness.run(grid(List.of("random:0.1"), List.of(identity(), retrain()), List.of(0L, 1L), false), HarnessListener.SILENT);
        JsonNode j = new ObjectMapper().readTree(ResultsJson.text(r));
        assertEquals(2, j.get("runs").size());
        assertEquals(1, j.get("runs").get(1).get("seed").asLong());
        assertEquals(3, j.get("aggregate").size());
        JsonNode identity = j.get("aggregate").get(1);
        assertEquals("identity", identity.get("method").asText());
        assertEquals(2, identity.get("seeds").asInt());
        assertEquals(r.aggregate().get(1).avgGap().mean(), identity.get("avg_gap_mean").asDouble(), 1e-12);
        assertTrue(identity.get("ua_std").isNumber());
        assertEquals(1, j.get("recipe").get("epochs").asInt());
    }
}
