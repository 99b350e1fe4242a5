package dev.lethe.train;

import dev.lethe.tensor.MemoryScope;
import dev.lethe.tensor.Tensor;

import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The device memory of a training loop's steps: each step runs in a {@link MemoryScope} that
 * releases, as the step ends, what the step made (its batch, activations, gradients of
 * activations) and the gradients the previous step left in the parameters once this step's
 * {@code zeroGrad} has dropped them. Whatever gradient a parameter holds when the step ends is
 * kept (this step's, or the old one if the step threw first). A gradient this loop did not
 * leave there itself (one a caller set) is never released. On the CPU it all does nothing.
 * <pre>
 *   memory.forEach(loader.epoch(e), batch -> {   // each batch taken inside its step
 *       optimizer.zeroGrad(); loss(batch).backward(); optimizer.step();
 *   }, () -> { });
 * </pre>
 * A loop that draws no batches opens its steps itself: {@code try (StepMemory.Step s =
 * memory.open()) { … }}.
 */
public final class StepMemory {
    private final List<Tensor> params;
    /** Each parameter's gradient as the last step left it: this loop's to release once dropped. */
    private final Tensor[] left;
    /** Each parameter's gradient when the current step began. */
    private final Tensor[] before;

    /** For the steps of a loop over {@code params} (every parameter that may get a gradient). */
    public StepMemory(List<Tensor> params) {
        this.params = List.copyOf(params);
        this.left = new Tensor[this.params.size()];
        this.before = new Tensor[this.params.size()];
    }

    /** One step's scope; closing it keeps the gradients the parameters then hold, then releases the rest. */
    public final class Step implements AutoCloseable {
        private final MemoryScope scope;

        private Step(MemoryScope scope) {
            this.scope = scope;
        }

        @Override
        public void close() {
            try {
                keepGradients(scope);
            } finally {
                scope.close();
            }
        }
    }

    /**
     * Runs {@code step} on each of {@code batches} in a step of its own, then {@code afterEach}
     * once that step has ended. The batch is taken from the iterator inside its step, so a batch
     * gathered on the device (a {@link dev.lethe.data.DataLoader#on device loader}) is released
     * with it.
     */
    public <B> void forEach(Iterable<B> batches, Consumer<B> step, Runnable afterEach) {
        Iterator<B> it = batches.iterator();
        while (it.hasNext()) {
            try (Step ignored = open()) {
                step.accept(it.next());
            }
            afterEach.run();
        }
    }

    /** Opens a step, which takes over the gradients the last step left. */
    public Step open() {
        MemoryScope scope = MemoryScope.open();
        for (int i = 0; i < params.size(); i++) {
            before[i] = params.get(i).grad();
            if (before[i] != null && before[i] == left[i]) scope.adopt(before[i]);
        }
        return new Step(scope);
    }

    /** Keeps the gradients the parameters hold now past {@code scope}. */
    private void keepGradients(MemoryScope scope) {
        for (int i = 0; i < params.size(); i++) {
            Tensor g = params.get(i).grad();
            scope.keep(g);
            // A gradient this step did not make stays whose it was: this loop's if it left it
            // before, otherwise the caller's, never to be adopted.
            if (g != before[i]) left[i] = g;
            else if (g != left[i]) left[i] = null;
        }
    }
}
