package dev.lethe.nn;

import dev.lethe.autograd.NoGrad;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or a network: a forward function with named parameters (trainable leaves), named
 * buffers (state that is saved but not trained, such as BatchNorm's running statistics) and
 * named child modules.
 *
 * <p>Names are dotted paths as in PyTorch ({@code layers.0.weight}); the order is a module's
 * own entries in registration order, then each child's, recursively. {@link #stateDict()}
 * holds parameters and buffers in that order, so a state dict written by PyTorch for the same
 * architecture has the same keys.
 */
public abstract class Module {
    private final LinkedHashMap<String, Parameter> params = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The module applied to {@code x}. */
    public abstract Tensor forward(Tensor x);

    // ---------------------------------------------------------------- registration

    /** Adds a parameter initialised to {@code initial} (made a leaf that requires grad). */
    protected final Parameter registerParameter(String name, Tensor initial) {
        checkName(name);
        Parameter p = new Parameter(initial);
        params.put(name, p);
        return p;
    }

    /** Adds a buffer holding {@code initial}. */
    protected final void registerBuffer(String name, Tensor initial) {
        checkName(name);
        buffers.put(name, initial);
    }

    /** Adds a child module. */
    protected final <M extends Module> M registerModule(String name, M child) {
        checkName(name);
        children.put(name, child);
        return child;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) throw new IllegalArgumentException("module: name '" + name + "' must be non-empty without dots");
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("module: name '" + name + "' is already registered in " + getClass().getSimpleName());
        }
    }

    /** This module's own buffer {@code name}. */
    protected final Tensor buffer(String name) {
        Tensor b = buffers.get(name);
        if (b == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": no buffer named '" + name + "'");
        return b;
    }

    // ---------------------------------------------------------------- train / eval

    /** Training mode for this module and every descendant (Dropout drops, BatchNorm uses batch statistics). */
    public Module train() {
        return train(true);
    }

    /** Sets training mode recursively. */
    public Module train(boolean mode) {
        training = mode;
        for (Module c : children.values()) c.train(mode);
        return this;
    }

    /** Evaluation mode, recursively: Dropout is the identity, BatchNorm uses running statistics. */
    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    // ---------------------------------------------------------------- views of the tree

    /** The direct children in registration order. */
    public LinkedHashMap<String, Module> namedChildren() {
        return new LinkedHashMap<>(children);
    }

    /** Every parameter by dotted name. */
    public LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectParameters("", out);
        return out;
    }

    private void collectParameters(String prefix, Map<String, Tensor> out) {
        params.forEach((n, p) -> out.put(prefix + n, p.value()));
        children.forEach((n, c) -> c.collectParameters(prefix + n + ".", out));
    }

    /** The parameters in {@link #namedParameters()} order. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Every buffer by dotted name. */
    public LinkedHashMap<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return out;
    }

    private void collectBuffers(String prefix, Map<String, Tensor> out) {
        out.putAll(prefixed(prefix, buffers));
        children.forEach((n, c) -> c.collectBuffers(prefix + n + ".", out));
    }

    private static Map<String, Tensor> prefixed(String prefix, Map<String, Tensor> m) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        m.forEach((n, t) -> out.put(prefix + n, t));
        return out;
    }

    /** Total number of parameter elements. */
    public long numParameters() {
        long n = 0;
        for (Tensor p : parameters()) n += p.numel();
        return n;
    }

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        for (Tensor p : parameters()) p.zeroGrad();
    }

    // ---------------------------------------------------------------- state

    /** Copies of every parameter and buffer: per module, its parameters, then its buffers, then its children's. */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        params.forEach((n, p) -> out.put(prefix + n, p.value().detach().clone()));
        buffers.forEach((n, b) -> out.put(prefix + n, b.detach().clone()));
        children.forEach((n, c) -> c.collectState(prefix + n + ".", out));
    }

    /**
     * Copies {@code state} into the parameters and buffers in place (converting the dtype), so
     * optimisers holding the parameters keep working. Strict: nothing is copied unless the keys
     * are exactly those of {@link #stateDict()} and every shape matches.
     *
     * @throws IllegalArgumentException naming every missing key, unexpected key and shape
     *         mismatch (with both shapes)
     */
    public void loadStateDict(Map<String, Tensor> state) {
        LinkedHashMap<String, Tensor> own = new LinkedHashMap<>(namedParameters());
        own.putAll(namedBuffers());
        List<String> problems = new ArrayList<>();
        for (String k : own.keySet()) if (!state.containsKey(k)) problems.add("missing key '" + k + "'");
        for (String k : state.keySet()) if (!own.containsKey(k)) problems.add("unexpected key '" + k + "'");
        own.forEach((k, t) -> {
            Tensor s = state.get(k);
            if (s != null && !Arrays.equals(s.shape(), t.shape())) {
                problems.add("shape mismatch for '" + k + "': checkpoint has " + Shapes.str(s.shape()) + ", model has " + Shapes.str(t.shape()));
            }
        });
        if (!problems.isEmpty()) throw new IllegalArgumentException("loadStateDict: " + String.join("; ", problems));
        try (NoGrad g = NoGrad.enter()) {
            own.forEach((k, t) -> t.copy_(state.get(k)));
        }
    }

    // ---------------------------------------------------------------- swapping tensors

    /**
     * Points parameter {@code name} at {@code value} (same shape; made a leaf that requires
     * grad), the way {@code torch.func.functional_call} does: used to differentiate a module
     * with respect to tensors the caller owns, as gradcheck does.
     *
     * @throws IllegalArgumentException for an unknown name or another shape
     */
    public void setParameter(String name, Tensor value) {
        Module owner = this;
        String[] path = name.split("\\.");
        for (int i = 0; i < path.length - 1 && owner != null; i++) owner = owner.children.get(path[i]);
        Parameter p = owner == null ? null : owner.params.get(path[path.length - 1]);
        if (p == null) throw new IllegalArgumentException("setParameter: no parameter named '" + name + "'");
        p.set(value);
    }

    /** Converts every parameter and buffer to {@code dtype} (fresh leaves; gradients are dropped). Returns this module. */
    public Module to(DType dtype) {
        // Tensors already in dtype stay the same objects, so optimisers holding them stay valid.
        for (Parameter p : params.values()) if (p.value().dtype() != dtype) p.set(p.value().detach().to(dtype).detach());
        buffers.replaceAll((n, b) -> b.dtype() == dtype ? b : b.detach().to(dtype).detach());
        for (Module c : children.values()) c.to(dtype);
        return this;
    }

    /**
     * Moves every parameter and buffer to {@code device} (fresh leaves; gradients are dropped).
     * Returns this module.
     *
     * @throws IllegalStateException "no CUDA device: …" when the device cannot be used
     */
    public Module to(Device device) {
        // Tensors already there stay the same objects, so optimisers holding them stay valid.
        for (Parameter p : params.values()) if (!p.value().device().equals(device)) p.set(p.value().detach().to(device).detach());
        buffers.replaceAll((n, b) -> b.device().equals(device) ? b : b.detach().to(device).detach());
        for (Module c : children.values()) c.to(device);
        return this;
    }

    /** Where the first parameter (else the first buffer) lives; the CPU for a module with neither. */
    public Device device() {
        for (Tensor t : parameters()) return t.device();
        for (Tensor t : namedBuffers().values()) return t.device();
        return Device.CPU;
    }
}
