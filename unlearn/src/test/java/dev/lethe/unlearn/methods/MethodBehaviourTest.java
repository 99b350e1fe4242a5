package dev.lethe.unlearn.methods;

import dev.lethe.data.Dataset;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.tensor.Tensor;
import dev.lethe.train.Evaluation;
import dev.lethe.train.Trainer;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each method moves the model the way its definition says: on the shared small request (an mlp
 * that fits its 500 training items, 50 of them to forget), forgetting methods raise the loss on
 * D_f, retain-side methods keep RA, and each one's defining identity holds.
 */
class MethodBehaviourTest {
    private static final UnlearnContext CTX = Fixture.ctx();
    private static final Dataset FORGET = CTX.split().forget(), RETAIN = CTX.split().retain();

    private static double forgetLoss(Module m) {
        return Fixture.loss(m, FORGET);
    }

    /** The original fits D_f (loss ≈ 0.03); a forgetting method must at least double that. */
    private static void assertForgetLossRaised(Module unlearned) {
        double before = forgetLoss(CTX.original()), after = forgetLoss(unlearned);
        assertTrue(after > 2 * before, "CE on D_f " + before + " → " + after);
    }

    @Test
    void retrainIsTheRecipeRunFromTheInitialWeightsOnTheRetainSetAlone() {
        UnlearnContext quick = Fixture.quick();
        Module expected = Models.mlp(Fixture.INIT_SEED);
        new Trainer(expected, RETAIN, quick.recipe()).fit(null, s -> {}, e -> {});
        Weights.assertBitwiseEqual(expected, new Retrain().unlearn(quick).model(), "retrain");
        // The original's weights play no part.
        Weights.assertBitwiseEqual(expected, new Retrain().unlearn(quick.withOriginal(Models.mlp(99))).model(), "retrain ignores θ0");
    }

    @Test
    void fineTuningKeepsRetainAccuracy() {
        Module ft = new FineTune().unlearn(CTX).model();
        assertTrue(Evaluation.accuracy(ft, RETAIN) >= Evaluation.accuracy(CTX.original(), RETAIN) - 1);
    }

    @Test
    void l1SparseIsFineTuningPlusAShrinkingPenalty() {
        SgdSettings s = SgdSettings.of(2, 0.01);
        Module ft = new FineTune(s).unlearn(CTX).model();
        Weights.assertBitwiseEqual(ft, new L1Sparse(s, 0).unlearn(CTX).model(), "γ = 0 is FT");
        Module sparse = new L1Sparse(s, 5e-3).unlearn(CTX).model();
        assertTrue(l1(sparse) < l1(ft), "‖θ‖₁ " + l1(sparse) + " vs FT's " + l1(ft));
    }

    private static double l1(Module m) {
        return L1Sparse.l1(m.parameters()).item();
    }

    @Test
    void gradientAscentRaisesTheForgetLoss() {
        Module ga = new GradientAscent(1e-2, 5).unlearn(CTX).model();
        assertForgetLossRaised(ga);
    }

    @Test
    void gradientAscentReportsTheCandidateItsRuleChose() {
        Unlearned u = new GradientAscent().unlearn(CTX);
        assertTrue(List.of("1e-5", "2e-5", "5e-5", "1e-4", "2e-4").contains(u.notes().get("lr")), u.notes().toString());
        assertTrue(List.of("3", "5").contains(u.notes().get("epochs")), u.notes().toString());
        double lr = Double.parseDouble(u.notes().get("lr"));
        int epochs = Integer.parseInt(u.notes().get("epochs"));
        Weights.assertBitwiseEqual(new GradientAscent(lr, epochs).unlearn(CTX).model(), u.model(), "the chosen candidate, rerun alone");
    }

    @Test
    void gradientAscentRulePrefersHighestForgetErrorWithinTheRetainBound() {
        var c = List.of(
                new LearningRateRule.Candidate(1e-5, 3, 10, 99, true),
                new LearningRateRule.Candidate(1e-4, 3, 40, 96, true),    // within 5 points of 100: best UA so far
                new LearningRateRule.Candidate(1e-4, 5, 70, 94.9, true),  // too much RA lost
                new LearningRateRule.Candidate(2e-4, 3, 90, Double.NaN, false),
                new LearningRateRule.Candidate(2e-4, 5, 40, 97, true));   // ties with index 1: the earlier wins
        assertEquals(1, LearningRateRule.choose(c, 100, 5));
        // Nobody within the bound: the finite candidate with the highest RA.
        assertEquals(0, LearningRateRule.choose(c, 110, 5));
        var diverged = List.of(new LearningRateRule.Candidate(1, 3, Double.NaN, Double.NaN, false));
        assertThrows(dev.lethe.unlearn.Divergence.class, () -> LearningRateRule.choose(diverged, 100, 5));
    }

    @Test
    void theRuleCountsARunThatDivergesAsDivergedAndChoosesAmongTheOthers() {
        SgdSettings s = SgdSettings.of(5, 0);
        assertThrows(dev.lethe.unlearn.Divergence.class, () -> new GradDiff(s.withLr(1e6), 1).unlearn(CTX), "alone, a huge rate diverges");
        Unlearned u = new GradDiff(new LearningRateRule(new double[] {1e6, 1e-2}, new int[] {5}, 5, 100), s, 1).unlearn(CTX);
        assertEquals("0.01", u.notes().get("lr"), u.notes().toString());
        Weights.assertBitwiseEqual(new GradDiff(s.withLr(1e-2), 1).unlearn(CTX).model(), u.model(), "the chosen candidate, rerun alone");
    }

    @Test
    void gradDiffRaisesTheForgetLossWhileHoldingTheRetainLoss() {
        SgdSettings s = SgdSettings.of(5, 1e-2);
        Module gd = new GradDiff(s, 1).unlearn(CTX).model();
        assertForgetLossRaised(gd);
        Module gdNoRetain = new GradDiff(s, 0).unlearn(CTX).model();
        assertTrue(Fixture.loss(gd, RETAIN) < Fixture.loss(gdNoRetain, RETAIN), "the α·CE(D_r) term holds D_r");
    }

    @Test
    void randomLabelsRaiseTheForgetLoss() {
        Module rl = new RandomLabel().unlearn(CTX).model();
        assertForgetLossRaised(rl);
    }

    @Test
    void scrubsMaxStepsMoveTheForgetSetAwayFromTheTeacher() {
        SgdSettings s = SgdSettings.of(3, 0.05);
        Module scrub = new Scrub(s, 4, 0.99, 0.001, 2).unlearn(CTX).model();
        Module minOnly = new Scrub(s, 4, 0.99, 0.001, 0).unlearn(CTX).model();
        double with = klFrom(CTX.original(), scrub, FORGET), without = klFrom(CTX.original(), minOnly, FORGET);
        assertTrue(with > 2 * without, "KL(teacher‖student) on D_f with max steps " + with + ", without " + without);
    }

    @Test
    void badTeacherPullsTheForgetSetTowardTheRandomTeacher() {
        Module incompetent = Models.byName(CTX.modelName(), Batches.seed(CTX, "badteacher/incompetent"));
        Module bt = new BadTeacher(1, 1e-3, 128, 1, 0.3).unlearn(CTX).model();
        double before = klFrom(incompetent, CTX.original(), FORGET), after = klFrom(incompetent, bt, FORGET);
        assertTrue(after < 0.8 * before, "KL(random teacher‖student) on D_f: " + before + " → " + after);
    }

    /** T²-free KL(p_teacher‖p_student) averaged over {@code data}, both in eval mode. */
    private static double klFrom(Module teacher, Module student, Dataset data) {
        teacher.eval();
        student.eval();
        try (var g = dev.lethe.autograd.NoGrad.enter()) {
            Tensor x = data.inputs();
            return Distillation.kl(teacher.forward(x), student.forward(x), 1).item();
        } finally {
            teacher.train();
            student.train();
        }
    }
}
