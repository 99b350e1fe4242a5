package dev.lethe.train;

import dev.lethe.autograd.NoGrad;
import dev.lethe.data.DataLoader;
import dev.lethe.data.Dataset;
import dev.lethe.nn.Module;
import dev.lethe.tensor.Tensor;

/** Inference over a dataset in eval mode, without a graph. */
public final class Evaluation {
    /** Samples per forward pass; large batches amortise the GEMM packing. */
    public static final int BATCH = 1000;

    private Evaluation() {}

    /** Percent of {@code data} that {@code model} classifies correctly (NaN for an empty set). */
    public static double accuracy(Module model, Dataset data) {
        if (data.size() == 0) return Double.NaN;
        long[] correct = {0};
        forEachBatch(model, data, (batch, logits) -> correct[0] += correct(logits, batch.labels()));
        return 100.0 * correct[0] / data.size();
    }

    /** How many rows of {@code logits} [N, classes] have their arg-max at the row's label. */
    static int correct(Tensor logits, int[] labels) {
        float[] pred = logits.detach().argmax(1, false).toFloatArray();
        int c = 0;
        for (int i = 0; i < labels.length; i++) if ((int) pred[i] == labels[i]) c++;
        return c;
    }

    /** The arg-max class of every sample, in dataset order. */
    public static int[] predictions(Module model, Dataset data) {
        int[] out = new int[data.size()];
        forEachBatch(model, data, (batch, logits) -> {
            float[] classes = logits.argmax(1, false).toFloatArray();
            for (int i = 0; i < classes.length; i++) out[batch.indices()[i]] = (int) classes[i];
        });
        return out;
    }

    /** Softmax probabilities [N, classes] of every sample, in dataset order. */
    public static float[][] probabilities(Module model, Dataset data) {
        float[][] out = new float[data.size()][];
        forEachBatch(model, data, (batch, logits) -> {
            Tensor p = logits.softmax(1);
            int c = p.size(1);
            float[] flat = p.toFloatArray();
            for (int i = 0; i < batch.size(); i++) out[batch.indices()[i]] = java.util.Arrays.copyOfRange(flat, i * c, (i + 1) * c);
        });
        return out;
    }

    /** What to do with one batch's logits. */
    interface BatchLogits {
        void accept(DataLoader.Batch batch, Tensor logits);
    }

    /** Runs the model in eval mode over unshuffled batches, restoring its mode afterwards. */
    static void forEachBatch(Module model, Dataset data, BatchLogits body) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (NoGrad g = NoGrad.enter()) {
            for (DataLoader.Batch b : new DataLoader(data, BATCH, false, 0, false)) body.accept(b, model.forward(b.inputs().to(model.device())));
        } finally {
            model.train(wasTraining);
        }
    }
}
