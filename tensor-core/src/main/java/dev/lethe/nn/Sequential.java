package dev.lethe.nn;

import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Layers applied in order; child i is named "i" (parameter names like {@code 0.weight}).
 *
 * <p>A {@link ReLU} followed by a {@link MaxPool2d} whose windows do not overlap runs as one
 * fused op ({@link dev.lethe.ops.MaxPool2d#afterRelu}): the same values and gradients, bit for
 * bit, without the ReLU's output and its gradient as tensors of their own; with a {@link
 * Conv2d} before them, the three run as one ({@link dev.lethe.ops.ConvReluMaxPool2d}), without
 * the convolution's output either (the CNN's conv → ReLU → pool).
 */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... layers) {
        for (Module m : layers) {
            registerModule(Integer.toString(this.layers.size()), m);
            this.layers.add(m);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Conv2d conv && reluThenPool(i + 1) instanceof MaxPool2d pool) {
                x = conv.forwardReluMaxPool(x, pool.kernel());
                i += 2;
            } else if (reluThenPool(i) instanceof MaxPool2d pool) {
                x = pool.forwardAfterRelu(x);
                i++;
            } else {
                x = layers.get(i).forward(x);
            }
        }
        return x;
    }

    /** The pool of a ReLU at {@code i} followed by a MaxPool2d whose windows do not overlap, or null. */
    private MaxPool2d reluThenPool(int i) {
        return i + 1 < layers.size() && layers.get(i) instanceof ReLU && layers.get(i + 1) instanceof MaxPool2d pool
                && pool.nonOverlapping() ? pool : null;
    }

    /** Layer {@code i}. */
    public Module get(int i) {
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }
}
