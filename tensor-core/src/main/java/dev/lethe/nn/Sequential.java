package dev.lethe.nn;

import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Layers applied in order; child i is named "i" (parameter names like {@code 0.weight}). */
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
        for (Module m : layers) x = m.forward(x);
        return x;
    }

    /** Layer {@code i}. */
    public Module get(int i) {
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }
}
