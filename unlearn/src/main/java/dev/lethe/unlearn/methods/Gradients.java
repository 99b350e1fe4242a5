package dev.lethe.unlearn.methods;

import dev.lethe.data.DataLoader;
import dev.lethe.data.Dataset;
import dev.lethe.nn.Module;
import dev.lethe.tensor.MemoryScope;
import dev.lethe.tensor.Tensor;
import dev.lethe.train.StepMemory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Gradients at fixed weights, the raw material of saliency masks (SalUn, WAGLE) and Fisher
 * diagonals (SSD): the model runs in eval mode (Dropout off, BatchNorm on its running
 * statistics, which therefore stay untouched) over unshuffled batches, and nothing is updated.
 */
public final class Gradients {
    private Gradients() {}

    /**
     * Calls {@code body} once per batch of {@code data} with ∇θ loss(batch) by parameter name
     * (a zero tensor for a parameter the loss does not reach). The tensors are fresh copies.
     * On a device the batches are gathered there ({@link DataLoader#on}) and each runs in a scope
     * ({@link StepMemory}): the batch's device memory, those copies included, goes back when
     * {@code body} returns, so a body that keeps a result makes it outside ({@link
     * MemoryScope#outside}) or writes into memory made before.
     */
    public static void perBatch(Module model, Dataset data, int batchSize, BatchLoss<DataLoader.Batch> loss,
                                Consumer<Map<String, Tensor>> body) {
        if (data.size() == 0) throw new IllegalArgumentException("gradients: the data set is empty");
        boolean wasTraining = model.isTraining();
        model.eval();
        try {
            new StepMemory(model.parameters()).forEach(new DataLoader(data, batchSize, false, 0, false).on(model.device()), b -> {
                model.zeroGrad();
                loss.loss(model, b).backward();
                body.accept(current(model));
            }, () -> { });
        } finally {
            model.zeroGrad();
            model.train(wasTraining);
        }
    }

    /** Σ over the batches of {@code data} of ∇θ loss(batch), by parameter name (batches added in order). */
    public static LinkedHashMap<String, Tensor> sum(Module model, Dataset data, int batchSize, BatchLoss<DataLoader.Batch> loss) {
        LinkedHashMap<String, Tensor> total = new LinkedHashMap<>();
        perBatch(model, data, batchSize, loss, g -> g.forEach((name, t) -> {
            Tensor sum = total.get(name);
            if (sum == null) total.put(name, MemoryScope.outside(t::clone)); // outlives the batch's scope
            else sum.add(t, sum);
        }));
        return total;
    }

    /** The current gradients of the model's parameters by name (zero where none), as fresh copies. */
    public static LinkedHashMap<String, Tensor> current(Module model) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> out.put(name, p.grad() == null ? Tensor.zeros(p.dtype(), p.device(), p.shape()) : p.grad().detach().clone()));
        return out;
    }
}
