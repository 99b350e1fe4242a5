package dev.lethe.bench;

import dev.lethe.cpu.Parallel;
import dev.lethe.data.DataLoader;
import dev.lethe.data.FashionMnist;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.optim.SGD;
import dev.lethe.tensor.Tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where a training epoch's time goes: the loop of {@code lethe train} (SGD momentum 0.9, lr
 * 0.05, batch 128, seed 0) with a clock around each phase of every step: the batch gather,
 * the forward pass, the loss, zeroing the gradients, the backward pass and the update.
 * {@code lethe train} reports only the whole epoch; this shows which part a change moved,
 * and, run with one thread and then two, which parts the second thread speeds up.
 *
 * <p>Each line also gives the distribution of the step times (gather excluded): the median,
 * the 90th percentile, the longest, and the stalls, the time steps over twice the median
 * spent beyond the median. On a two-core machine the JIT compiler is a third busy thread for
 * the first epochs; whenever it holds a core, the step waits on the thread it displaced (runs
 * of 3–5 ms steps against a 0.7 ms median, session 21), and the stalls show how much of an
 * epoch that was. The median times the steps is the epoch without them.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.lethe.bench.TrainingPhases MODEL THREADS EPOCHS [DATA_DIR]
 * </pre>
 * MODEL is mlp, cnn or resnet-mini; without DATA_DIR, the bundled 10k subset. One line per
 * epoch: the epoch's seconds, each phase's, then the step times'.
 */
public final class TrainingPhases {
    private static final String[] PHASES = {"gather", "forward", "loss", "zeroGrad", "backward", "update"};

    private TrainingPhases() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: TrainingPhases MODEL THREADS EPOCHS [DATA_DIR]  (MODEL: " + Models.NAMES + ")");
            System.exit(2);
        }
        Parallel.setThreads(positive("THREADS", args[1]));
        int epochs = positive("EPOCHS", args[2]);
        FashionMnist data;
        Module model;
        try {
            model = Models.byName(args[0], 0);
            data = args.length == 4 ? FashionMnist.load(Path.of(args[3])) : FashionMnist.bundled();
        } catch (IllegalArgumentException | java.io.IOException e) {
            System.err.println("TrainingPhases: " + e.getMessage());
            System.exit(2);
            return;
        }
        SGD optimizer = new SGD(model.parameters(), 0.05, 0.9, 0, false, 0);
        DataLoader loader = new DataLoader(data.train(), 128, true, 0, false);
        model.train();
        for (int e = 0; e < epochs; e++) {
            long[] t = new long[PHASES.length];
            long[] steps = new long[loader.numBatches()];
            int step = 0;
            long start = System.nanoTime();
            var batches = loader.epoch(e).iterator();
            while (true) {
                long now = System.nanoTime();
                if (!batches.hasNext()) break;
                DataLoader.Batch b = batches.next();
                now = lap(t, 0, now);
                long stepStart = now;
                Tensor logits = model.forward(b.inputs());
                now = lap(t, 1, now);
                Tensor loss = logits.crossEntropy(b.labels());
                loss.item();
                now = lap(t, 2, now);
                optimizer.zeroGrad();
                now = lap(t, 3, now);
                loss.backward();
                now = lap(t, 4, now);
                optimizer.step();
                steps[step++] = lap(t, 5, now) - stepStart;
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d %.3f s:", e + 1, (System.nanoTime() - start) / 1e9));
            for (int p = 0; p < PHASES.length; p++) line.append(String.format(Locale.ROOT, " %s %.3f", PHASES[p], t[p] / 1e9));
            System.out.println(line.append(stepSummary(steps)));
        }
    }

    /**
     * The step times' median, 90th percentile and longest (µs), and the stalls: for each step
     * over twice the median, its time beyond the median, summed (seconds).
     */
    static String stepSummary(long[] steps) {
        if (steps.length == 0) return "";
        long[] sorted = steps.clone();
        Arrays.sort(sorted);
        long median = sorted[sorted.length / 2], stalls = 0;
        for (long s : steps) if (s > 2 * median) stalls += s - median;
        return String.format(Locale.ROOT, " | step p50 %.0f p90 %.0f max %.0f µs, stalls %.3f s",
                median / 1e3, sorted[sorted.length * 9 / 10] / 1e3, sorted[sorted.length - 1] / 1e3, stalls / 1e9);
    }

    /** {@code value} as a whole number ≥ 1, or exit with a line naming {@code what} and the value. */
    private static int positive(String what, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        System.err.println("TrainingPhases: " + what + " must be a whole number ≥ 1, got '" + value + "'");
        System.exit(2);
        return 0;
    }

    /** Adds the time since {@code since} to phase {@code p}; returns now. */
    private static long lap(long[] t, int p, long since) {
        long now = System.nanoTime();
        t[p] += now - since;
        return now;
    }
}
