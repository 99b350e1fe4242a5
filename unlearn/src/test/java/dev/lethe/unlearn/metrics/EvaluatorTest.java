package dev.lethe.unlearn.metrics;

import dev.lethe.data.Dataset;
import dev.lethe.data.FashionMnist;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.tensor.Tensor;
import dev.lethe.train.Recipe;
import dev.lethe.train.Trainer;
import dev.lethe.unlearn.ForgetSplit;
import dev.lethe.unlearn.Metrics;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.*;

class EvaluatorTest {
    /** A model whose logits are its inputs, so a test decides each prediction by hand. */
    static final Module LOGITS_ARE_INPUTS = new Module() {
        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    };

    /**
     * Two-class samples whose input is the logit vector: 2 at the label for a correct
     * prediction (confidence e²/(1+e²) ≈ 0.88), 2 at the other class for a wrong one (≈ 0.12).
     */
    static Dataset logits(int[] labels, boolean[] correct) {
        float[] x = new float[2 * labels.length];
        for (int i = 0; i < labels.length; i++) x[2 * i + (correct[i] ? labels[i] : 1 - labels[i])] = 2;
        return new Dataset(Tensor.fromArray(x, labels.length, 2), labels);
    }

    @Test
    void metricsOfAHandMadeModel() {
        // train: 10 forget samples (0..3 predicted wrong), 40 retain samples all right
        int[] trainLabels = new int[50];
        boolean[] trainRight = new boolean[50];
        for (int i = 0; i < 50; i++) {
            trainLabels[i] = i % 2;
            trainRight[i] = i >= 4;
        }
        Dataset train = logits(trainLabels, trainRight);
        // test: 20 samples; class 0 always right, class 1 right only at i = 1, 3 → TA = 12/20
        int[] testLabels = new int[20];
        boolean[] testRight = new boolean[20];
        for (int i = 0; i < 20; i++) {
            testLabels[i] = i % 2;
            testRight[i] = testLabels[i] == 0 || i < 4;
        }
        Dataset test = logits(testLabels, testRight);
        int[] forget = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        int[] retain = new int[40];
        for (int i = 0; i < 40; i++) retain[i] = 10 + i;
        ForgetSplit split = new ForgetSplit("hand", train, forget, train.subset(forget), train.subset(retain), test, -1);

        ModelEvaluation e = new Evaluator(0).evaluate(LOGITS_ARE_INPUTS, split, test, 3, 1.5);
        Metrics m = e.metrics();
        assertEquals(40.0, m.ua(), 1e-12, "4 of 10 forget samples wrong");
        assertEquals(100.0, m.ra(), 1e-12);
        assertEquals(60.0, m.ta(), 1e-12);
        assertEquals(1.5, m.seconds());
        assertEquals(20, e.miaSamples(), "n = min(|D_r| = 40, |D_t| = 20)");
        // attacker: 20 members at 0.88; non-members 12 at 0.88 and 8 at 0.12 → 0.88 is "member",
        // 0.12 "non-member"; the 4 wrong forget samples sit at 0.12
        assertEquals(40.0, m.miaEfficacy(), 1e-12);
        double[] perClass = e.perClassTestAcc();
        assertEquals(100.0, perClass[0], 1e-12);
        assertEquals(20.0, perClass[1], 1e-12);
        assertTrue(Double.isNaN(perClass[2]), "class 2 has no test sample");

        assertEquals(10, new Evaluator(0, 10).evaluate(LOGITS_ARE_INPUTS, split, test, 2, 0).miaSamples(), "the cap bounds n");
        assertThrows(IllegalArgumentException.class, () -> new Evaluator(0, 0));
    }

    @Test
    void trueLabelConfidenceIsTheSoftmaxAtTheLabel() {
        Dataset d = new Dataset(Tensor.fromArray(new float[] {0, 0, 1, 0, 0, 3}, 2, 3), new int[] {2, 2});
        double[] c = Evaluator.trueLabelConfidence(LOGITS_ARE_INPUTS, d);
        assertEquals(Math.E / (2 + Math.E), c[0], 1e-6);
        assertEquals(Math.exp(3) / (2 + Math.exp(3)), c[1], 1e-6);
    }

    @Test
    void aDivergedModelStillGetsAnMiaEfficacy() {
        Dataset nan = new Dataset(Tensor.fromArray(new float[] {Float.NaN, 0, 0, Float.NaN}, 2, 2), new int[] {0, 1});
        assertArrayEquals(new double[] {0, 0}, Evaluator.trueLabelConfidence(LOGITS_ARE_INPUTS, nan));
        ForgetSplit split = new ForgetSplit("nan", nan, new int[] {0}, nan.subset(new int[] {0}), nan.subset(new int[] {1}), nan, -1);
        double mia = new Evaluator(0).evaluate(LOGITS_ARE_INPUTS, split, nan, 2, 0).metrics().miaEfficacy();
        assertTrue(mia == 0 || mia == 100, "one feature value, one answer: " + mia);
    }

    /**
     * A model that memorised 200 samples: the attacker calls memorised samples members and
     * samples it never saw non-members much more often.
     */
    @Test
    void miaTellsMemorisedFromUnseenSamples() throws IOException {
        FashionMnist data = FashionMnist.bundled();
        int[] perClass = Dataset.firstPerClass(data.train().labels(), 25);   // 250 samples, 25 per class
        int[] seenIdx = new int[200], unseenIdx = new int[50];
        for (int i = 0, s = 0, u = 0; i < perClass.length; i++) {
            if (i % 5 == 4) unseenIdx[u++] = perClass[i];
            else seenIdx[s++] = perClass[i];
        }
        Dataset seen = data.train().subset(seenIdx);
        Module model = Models.mlp(1);
        // 60 passes over 200 samples (600 steps of 20) memorise them; 1.2 epochs of the bundled set in samples
        new Trainer(model, seen, new Recipe(60, 20, 0.05, Recipe.Schedule.CONSTANT, 0.9, 0, 1)).fit(null, s -> {}, e -> {});

        Dataset test = data.test().subset(Dataset.firstPerClass(data.test().labels(), 20));
        Dataset train = Dataset.concat(seen, data.train().subset(unseenIdx));    // rows 0..199 seen, 200..249 unseen
        int[] forgetSeen = range(0, 50), retainSeen = range(50, 200), forgetUnseen = range(200, 250);
        Evaluator ev = new Evaluator(3);
        ModelEvaluation memorised = ev.evaluate(model, new ForgetSplit("seen", train, forgetSeen, train.subset(forgetSeen),
                train.subset(retainSeen), test, -1), test, 10, 0);
        ModelEvaluation unseen = ev.evaluate(model, new ForgetSplit("unseen", train, forgetUnseen, train.subset(forgetUnseen),
                train.subset(retainSeen), test, -1), test, 10, 0);
        assertTrue(memorised.metrics().ua() < 10, "the model memorised its training samples: UA " + memorised.metrics().ua());
        assertTrue(memorised.metrics().miaEfficacy() < 10, "memorised samples look like members: " + memorised.metrics().miaEfficacy());
        // not 100: an unseen sample the model classifies confidently looks like a member too
        assertTrue(unseen.metrics().miaEfficacy() > memorised.metrics().miaEfficacy() + 15,
                "unseen " + unseen.metrics().miaEfficacy() + " vs memorised " + memorised.metrics().miaEfficacy());
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }
}
