package dev.lethe.unlearn.metrics;

import dev.lethe.data.Dataset;
import dev.lethe.nn.Module;
import dev.lethe.tensor.CounterRandom;
import dev.lethe.train.Evaluation;
import dev.lethe.unlearn.ForgetSplit;
import dev.lethe.unlearn.Metrics;
import dev.lethe.unlearn.scenario.Sampling;

/**
 * Measures a model on a request (UNLEARNING.md §4), all in percent:
 * UA = 100 − acc(D_f), RA = acc(D_r), TA = acc(D_t) (D_t without the forgotten class for a
 * class-wise request), MIA-efficacy as in {@link MiaEfficacy} with the n members drawn from
 * D_r by {@link Sampling#indices} with this evaluator's seed, and per-class accuracy on the
 * full test set. Inference runs batched, in eval mode, without a graph
 * ({@link Evaluation}); the model is left in the mode it was in.
 *
 * <p>Cost: the attacker is LIBSVM's SMO on 2n one-dimensional points that overlap heavily, so
 * nearly every point ends a bounded support vector and each of the ~15 000 iterations
 * computes two fresh kernel columns; at the protocol's n = 10 000 (full Fashion-MNIST) that
 * is 10–15 s on two cores, against under a second at the bundled subset's n = 2 000. A
 * caller who cannot afford it may cap n ({@link #Evaluator(long, int)}), which changes the
 * protocol and must then be reported (the harness writes n into its results).
 */
public final class Evaluator {
    private final long seed;
    private final int miaSampleCap;

    /** The reference protocol: n = min(|D_r|, |D_t|). @param seed seeds the attacker's samples */
    public Evaluator(long seed) {
        this(seed, Integer.MAX_VALUE);
    }

    /**
     * @param seed         seeds the choice of the attacker's member (and, when capped, non-member) samples
     * @param miaSampleCap n = min(|D_r|, |D_t|, cap); {@link Integer#MAX_VALUE} for the reference protocol
     */
    public Evaluator(long seed, int miaSampleCap) {
        if (miaSampleCap < 1) throw new IllegalArgumentException("MIA sample cap must be ≥ 1, got " + miaSampleCap);
        this.seed = seed;
        this.miaSampleCap = miaSampleCap;
    }

    /**
     * Evaluates {@code model} on {@code split}.
     *
     * @param fullTest   the test set with every class, for the per-class accuracies
     * @param numClasses K, the length of the per-class array
     * @param seconds    the unlearning time to record (NaN for the original)
     */
    public ModelEvaluation evaluate(Module model, ForgetSplit split, Dataset fullTest, int numClasses, double seconds) {
        Dataset forget = split.forget(), retain = split.retain(), test = split.test();
        // One inference pass per data set; accuracies, attacker features and per-class
        // accuracies all come from these outputs.
        Evaluation.Outputs f = Evaluation.outputs(model, forget), r = Evaluation.outputs(model, retain), t = Evaluation.outputs(model, test);
        Evaluation.Outputs full = fullTest == test ? t : Evaluation.outputs(model, fullTest);
        int n = Math.min(Math.min(retain.size(), test.size()), miaSampleCap);
        int[] members = Sampling.indices(retain.size(), n, CounterRandom.bits(seed, 0));
        int[] nonMembers = n == test.size() ? null : Sampling.indices(test.size(), n, CounterRandom.bits(seed, 1));
        RbfSvm attacker = MiaEfficacy.attacker(trueLabelConfidence(r, retain, members), trueLabelConfidence(t, test, nonMembers));
        double mia = MiaEfficacy.efficacy(attacker, trueLabelConfidence(f, forget, null));
        Metrics m = new Metrics(100 - f.accuracy(forget), r.accuracy(retain), t.accuracy(test), mia, seconds);
        return new ModelEvaluation(m, perClassAccuracy(full, fullTest, numClasses), n);
    }

    /**
     * c_i = softmax(f(x_i))_{y_i} for every sample, in data-set order. A diverged model (say,
     * gradient ascent run too long) yields NaN probabilities; they count as 0 — no belief in
     * the true label — so the attacker still sees numbers and LIBSVM still terminates.
     */
    public static double[] trueLabelConfidence(Module model, Dataset data) {
        return trueLabelConfidence(Evaluation.outputs(model, data), data, null);
    }

    /** {@link #trueLabelConfidence(Module, Dataset)} from outputs on {@code data}, at {@code rows} (null: every row). */
    private static double[] trueLabelConfidence(Evaluation.Outputs out, Dataset data, int[] rows) {
        int n = rows == null ? data.size() : rows.length;
        double[] c = new double[n];
        for (int j = 0; j < n; j++) {
            int i = rows == null ? j : rows[j];
            double v = out.probabilities()[i][data.label(i)];
            c[j] = Double.isFinite(v) ? v : 0;
        }
        return c;
    }

    /** Accuracy in percent on the samples of each class 0…K−1 of {@code data} (NaN where a class has none). */
    public static double[] perClassAccuracy(Module model, Dataset data, int numClasses) {
        return perClassAccuracy(Evaluation.outputs(model, data), data, numClasses);
    }

    private static double[] perClassAccuracy(Evaluation.Outputs out, Dataset data, int numClasses) {
        int[] pred = out.predictions();
        int[] right = new int[numClasses], total = new int[numClasses];
        for (int i = 0; i < pred.length; i++) {
            int y = data.label(i);
            if (y >= numClasses) throw new IllegalArgumentException("perClassAccuracy: label " + y + " of sample " + i + " is not below " + numClasses);
            total[y]++;
            if (pred[i] == y) right[y]++;
        }
        double[] acc = new double[numClasses];
        for (int k = 0; k < numClasses; k++) acc[k] = total[k] == 0 ? Double.NaN : 100.0 * right[k] / total[k];
        return acc;
    }
}
