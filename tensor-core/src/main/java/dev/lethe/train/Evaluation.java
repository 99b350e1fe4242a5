package dev.lethe.train;

import dev.lethe.autograd.NoGrad;
import dev.lethe.data.DataLoader;
import dev.lethe.data.Dataset;
import dev.lethe.nn.Module;
import dev.lethe.tensor.MemoryScope;
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

    /**
     * What one inference pass over a data set gives per sample, in data-set order.
     *
     * @param predictions   the arg-max class of the logits
     * @param probabilities the softmax of the logits, [N][classes]
     */
    public record Outputs(int[] predictions, float[][] probabilities) {
        /** Percent of {@code data} (the set these outputs came from) predicted right; NaN for an empty set. */
        public double accuracy(Dataset data) {
            if (predictions.length == 0) return Double.NaN;
            long right = 0;
            for (int i = 0; i < predictions.length; i++) if (predictions[i] == data.label(i)) right++;
            return 100.0 * right / predictions.length;
        }
    }

    /** Predictions and probabilities of every sample from one forward pass per batch. */
    public static Outputs outputs(Module model, Dataset data) {
        int[] pred = new int[data.size()];
        float[][] prob = new float[data.size()][];
        forEachBatch(model, data, (batch, logits) -> {
            float[] classes = logits.argmax(1, false).toFloatArray();
            Tensor p = logits.softmax(1);
            int c = p.size(1);
            float[] flat = p.toFloatArray();
            for (int i = 0; i < batch.size(); i++) {
                pred[batch.indices()[i]] = (int) classes[i];
                prob[batch.indices()[i]] = java.util.Arrays.copyOfRange(flat, i * c, (i + 1) * c);
            }
        });
        return new Outputs(pred, prob);
    }

    /** The arg-max class of every sample, in dataset order. */
    public static int[] predictions(Module model, Dataset data) {
        return outputs(model, data).predictions();
    }

    /** Softmax probabilities [N, classes] of every sample, in dataset order. */
    public static float[][] probabilities(Module model, Dataset data) {
        return outputs(model, data).probabilities();
    }

    /** What to do with one batch's logits. */
    interface BatchLogits {
        void accept(DataLoader.Batch batch, Tensor logits);
    }

    /**
     * Runs the model in eval mode over unshuffled batches, restoring its mode afterwards. On a
     * device each batch runs in a {@link MemoryScope}: its memory goes back when {@code body}
     * returns, so a body reads what it needs to the host (as every body here does).
     */
    static void forEachBatch(Module model, Dataset data, BatchLogits body) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (NoGrad g = NoGrad.enter()) {
            for (DataLoader.Batch b : new DataLoader(data, BATCH, false, 0, false)) {
                try (MemoryScope ignored = MemoryScope.open()) {
                    body.accept(b, model.forward(b.inputs().to(model.device())));
                }
            }
        } finally {
            model.train(wasTraining);
        }
    }
}
