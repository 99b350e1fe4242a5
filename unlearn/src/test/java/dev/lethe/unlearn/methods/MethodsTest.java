package dev.lethe.unlearn.methods;

import dev.lethe.unlearn.Method;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The registry: names, defaults by name, list parsing, hyperparameter overrides and sweeps, and their errors. */
class MethodsTest {
    @Test
    void namesTheTwelveMethodsInReportOrder() {
        assertEquals(List.of("retrain", "ft", "ga", "graddiff", "rl", "l1sparse", "salun", "ssd", "scrub", "badteacher", "surgery", "wagle"), Methods.NAMES);
        for (String name : Methods.NAMES) assertEquals(name, Methods.create(name).name());
    }

    @Test
    void anUnknownNameListsTheValidOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Methods.create("salon"));
        assertTrue(e.getMessage().contains("'salon'") && e.getMessage().contains(String.join(", ", Methods.NAMES)), e.getMessage());
    }

    @Test
    void parsesAListInTheOrderGivenOrAll() {
        assertEquals(List.of("ssd", "ft", "retrain"), Methods.parseList(" ssd, ft ,retrain").stream().map(Method::name).toList());
        assertEquals(Methods.NAMES, Methods.parseList("all").stream().map(Method::name).toList());
    }

    @Test
    void rejectsEmptyUnknownAndRepeatedEntries() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Methods.parseList("")).getMessage().contains("retrain"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Methods.parseList("ft,,ga")).getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Methods.parseList("ft,gaa")).getMessage().contains("'gaa'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Methods.parseList("ft,ga,ft")).getMessage().contains("twice"));
    }

    @Test
    void everySpecBuildsFromItsDefaultsAndItsFactoryReadsEveryHyperparameter() {
        // MethodSpec.create fails when the factory leaves a listed hyperparameter unread.
        for (MethodSpec s : Methods.SPECS) {
            assertEquals(s.name(), s.create().name());
            for (Hyperparameter h : s.hyperparameters()) {
                assertEquals(s.name() + " " + h.key() + "=" + h.defaultValue(), s.create(Map.of(h.key(), h.defaultValue())).name(), "an override names the row");
            }
        }
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        Weights.assertBitwiseEqual(new FineTune(SgdSettings.of(5, 0.01)).unlearn(Fixture.ctx()).model(), Methods.create("ft").unlearn(Fixture.ctx()).model(),
                "ft: 5 epochs, lr 0.01, momentum 0.9, batch 128");
        assertEquals("1e-5:2e-5:5e-5:1e-4:2e-4", value("ga", "lr"));
        assertEquals("3:5", value("ga", "epochs"));
        assertEquals("10", value("ssd", "alpha"));
        assertEquals("0.5", value("salun", "fraction"));
        assertEquals("4", value("scrub", "temperature"));
        assertEquals("1.5", value("surgery", "alpha"));
        assertEquals("0", value("surgery", "momentum"));
    }

    private static String value(String method, String key) {
        return Methods.spec(method).hyperparameters().stream().filter(h -> h.key().equals(key)).findFirst().orElseThrow().defaultValue();
    }

    @Test
    void anOverrideChangesWhatTheMethodDoes() {
        var ctx = Fixture.ctx();
        Method noEpochs = Methods.parseList("ft", List.of("ft.epochs=0")).getFirst();
        assertEquals("ft epochs=0", noEpochs.name());
        Weights.assertBitwiseEqual(ctx.original(), noEpochs.unlearn(ctx).model(), "ft with 0 epochs is θ0");
        Weights.assertBitwiseEqual(new FineTune(SgdSettings.of(2, 0.05)).unlearn(ctx).model(),
                Methods.parseList("ft", List.of("ft.epochs=2", "ft.lr=0.05")).getFirst().unlearn(ctx).model(), "ft epochs=2 lr=0.05");
    }

    @Test
    void severalValuesSweepTheMethodOncePerCombination() {
        List<String> names = Methods.parseList("graddiff,ft", List.of("graddiff.lr=1e-4,1e-3", "graddiff.alpha=0.5,2", "ft.lr=0.02")).stream().map(Method::name).toList();
        assertEquals(List.of("graddiff lr=1e-4 alpha=0.5", "graddiff lr=1e-4 alpha=2", "graddiff lr=1e-3 alpha=0.5", "graddiff lr=1e-3 alpha=2", "ft lr=0.02"), names);
    }

    @Test
    void badOverridesNameWhatIsWrong() {
        assertMessage("expected METHOD.KEY=VALUE", () -> Methods.parseList("ft", List.of("ft.lr")));
        assertMessage("expected METHOD.KEY=VALUE", () -> Methods.parseList("ft", List.of("lr=0.1")));
        assertMessage("'fx'", () -> Methods.parseList("ft", List.of("fx.lr=0.1")));
        assertMessage("ga is not among the methods (ft)", () -> Methods.parseList("ft", List.of("ga.lr=0.1")));
        assertMessage("ft has no hyperparameter 'lrr'; its hyperparameters: epochs, lr, momentum, weight_decay, batch",
                () -> Methods.parseList("ft", List.of("ft.lrr=0.1")));
        assertMessage("ft.lr = 'fast' is not a number", () -> Methods.parseList("ft", List.of("ft.lr=fast")));
        assertMessage("ft.epochs = '2.5' is not an integer", () -> Methods.parseList("ft", List.of("ft.epochs=2.5")));
        assertMessage("learning rate must be finite and ≥ 0, got -1", () -> Methods.parseList("ft", List.of("ft.lr=-1")));
        assertMessage("ft.lr is given twice", () -> Methods.parseList("ft", List.of("ft.lr=1", "ft.lr=2")));
        assertMessage("empty value", () -> Methods.parseList("ft", List.of("ft.lr=1,")));
        assertMessage("empty entry", () -> Methods.parseList("ga", List.of("ga.lr=1e-4::1e-3")));
        assertMessage("retrain has no hyperparameters", () -> Methods.parseList("retrain", List.of("retrain.lr=1")));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        String m = assertThrows(IllegalArgumentException.class, e).getMessage();
        assertTrue(m.contains(part), m);
    }
}
